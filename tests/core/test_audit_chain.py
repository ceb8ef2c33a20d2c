"""The audit hash chain (issue 14, item 5): rows written by the application form a whole
chain; a row changed, deleted or inserted behind its back (triggers off, as a superuser
could) is named by `audit verify`; on PostgreSQL TRUNCATE is refused and concurrent
writers do not fork the chain."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from tests.races import all_at_once
from trainhub.core.audit import chain
from trainhub.core.audit.models import AuditEntry
from trainhub.core.audit.service import record, record_many
from trainhub.core.audit.verify import verify
from trainhub.extensions import db

TRIGGERS = ("audit_entries_no_update", "audit_entries_no_delete",
            "audit_entries_chain_link", "audit_entries_chain_head")


def _log(count: int = 5) -> list[int]:
    """`count` rows by record and three by record_many, committed; their ids."""
    for index in range(count):
        record("test.event", object_type="thing", object_id=index, region_code="360102",
               details={"n": index, "when": "2026-01-01", "nested": {"b": 1, "a": [1, 2]}})
    record_many("test.bulk", [("thing", 100 + i, {"i": i}) for i in range(3)],
                region_code="3601")
    db.session.commit()
    return list(db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))


@contextmanager
def _behind_the_application() -> Iterator[Any]:
    """The log's triggers off, as a superuser could switch them (the test's transaction
    puts them back)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        yield connection
        connection.execute(text("SET LOCAL session_replication_role = origin"))
    else:
        for name in TRIGGERS:
            connection.execute(text(f"DROP TRIGGER {name}"))
        yield connection


def _problem() -> str:
    verdict = verify(db.session.connection())
    assert not verdict.whole
    return verdict.problem


def test_rows_written_by_the_application_form_a_whole_chain(ctx):
    ids = _log()
    verdict = verify(db.session.connection())
    assert verdict.whole, verdict.problem
    assert verdict.rows == len(ids) and verdict.last_id == ids[-1]
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries[-8:]] == ["test.event"] * 5 + ["test.bulk"] * 3
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.row_hash


def test_a_changed_row_is_named(ctx):
    ids = _log()
    with _behind_the_application() as connection:
        connection.execute(text("UPDATE audit_entries SET outcome = 'failure' WHERE id = :id"),
                           {"id": ids[-3]})
    assert f"row #{ids[-3]} does not match its hash" in _problem()


def test_a_deleted_row_is_named_by_the_row_after_it(ctx):
    ids = _log()
    with _behind_the_application() as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": ids[-4]})
    assert f"the link before row #{ids[-3]} is broken: it does not follow row #{ids[-5]}" \
        in _problem()


def test_rows_cut_off_the_end_are_missed(ctx):
    ids = _log()
    with _behind_the_application() as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE id >= :id"), {"id": ids[-2]})
    assert f"rows after #{ids[-3]} are missing: the chain's head is row #{ids[-1]}" \
        in _problem()


def _raw_row(id_: int, prev: str) -> dict[str, Any]:
    row = {"id": id_, "occurred_at": "2026-01-01 00:00:00", "actor_id": None,
           "actor_username": "", "actor_role": "", "action": "auth.login",
           "object_type": "", "object_id": "", "outcome": "success", "region_code": None,
           "client_address": "", "details": "{}", "prev_hash": prev, "row_hash": "f" * 64}
    return row


INSERT = text("INSERT INTO audit_entries (id, occurred_at, actor_id, actor_username, "
              "actor_role, action, object_type, object_id, outcome, region_code, "
              "client_address, details, prev_hash, row_hash) VALUES (:id, :occurred_at, "
              ":actor_id, :actor_username, :actor_role, :action, :object_type, :object_id, "
              ":outcome, :region_code, :client_address, :details, :prev_hash, :row_hash)")


def test_an_inserted_row_is_named(ctx):
    ids = _log()
    last = db.session.get(AuditEntry, ids[-1])
    assert last is not None
    with _behind_the_application() as connection:
        connection.execute(INSERT, _raw_row(ids[-1] + 1, last.row_hash))
    assert f"row #{ids[-1] + 1} does not match its hash" in _problem()


def test_an_inserted_row_with_a_forged_hash_lies_beyond_the_head(ctx):
    """Whoever knows the algorithm can hash a row of their own; with the triggers off the
    head stays where the application left it."""
    ids = _log()
    last = db.session.get(AuditEntry, ids[-1])
    assert last is not None
    row = _raw_row(ids[-1] + 1, last.row_hash)
    with _behind_the_application() as connection:
        connection.execute(INSERT, row)
        forged = connection.execute(select(AuditEntry.__table__).where(
            AuditEntry.id == row["id"])).mappings().one()
        connection.execute(text("DELETE FROM audit_entries WHERE id = :id"), row)
        connection.execute(INSERT, {**row, "row_hash": chain.row_hash(last.row_hash, forged)})
    assert f"row #{ids[-1] + 1} lies beyond the chain's head (row #{ids[-1]})" in _problem()


def test_a_row_that_does_not_link_to_the_head_is_refused(ctx):
    ids = _log()
    nested = db.session.begin_nested()
    with pytest.raises(DatabaseError, match="must link to the head"):
        db.session.execute(INSERT, _raw_row(ids[-1] + 1, "0" * 64))
    nested.rollback()


def test_truncate_is_refused_on_postgresql(ctx):
    if db.session.connection().dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    _log(1)
    nested = db.session.begin_nested()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("TRUNCATE audit_entries"))
    nested.rollback()


def test_linking_costs_one_statement_per_flush_whatever_the_rows(ctx, count_queries):
    record("test.before")
    db.session.flush()
    with count_queries() as statements:
        record_many("test.bulk", [("thing", i, {}) for i in range(2500)])
    links = [s for s in statements if "audit_chain" in s]
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert len(links) == 1 and 1 <= len(inserts) <= 3, statements
    assert verify(db.session.connection()).whole


def test_the_command_reports_a_whole_chain_and_a_broken_one(app, ctx):
    ids = _log()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"audit chain whole: {len(ids)} rows, last row #{ids[-1]}" in result.output
    with _behind_the_application() as connection:
        connection.execute(text("UPDATE audit_entries SET action = 'x' WHERE id = :id"),
                           {"id": ids[1]})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken after 1 whole rows: row #{ids[1]} does not match its hash" in result.output


def test_concurrent_writers_do_not_fork_the_chain(race_app):
    """Eight transactions appending at once, some one row at a time, some in bulk."""
    def append(index: int) -> int:
        with race_app.app_context():
            if index % 2:
                record_many("test.bulk", [("thing", i, {"by": index}) for i in range(50)])
            else:
                for i in range(5):
                    record("test.event", object_type="thing", object_id=i)
                    db.session.flush()
            db.session.commit()
            return index

    assert all_at_once(8, append) == list(range(8))
    with race_app.app_context():
        verdict = verify(db.session.connection())
        assert verdict.whole, verdict.problem
        assert verdict.rows >= 4 * 50 + 4 * 5
