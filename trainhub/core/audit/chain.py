"""The audit hash chain: every row carries sha256(previous row's hash + its own columns).

Changing a row breaks its own hash; deleting one breaks the link of the row after it;
a row written outside the application has no valid hash or breaks the next link; rows cut
off the end no longer reach the head that `audit_chain_head` records. `verify` walks it.

Why rows are chained when they are written, under a lock, in id order
----------------------------------------------------------------------
Two transactions that read the same last hash at once would both link to it and fork
the chain. So appending starts by locking the one row of `audit_chain_head`
(PostgreSQL: `SELECT ... FOR UPDATE` inside `audit_chain_take`; SQLite: an UPDATE, which
takes the database's write lock) and draws the new rows' ids only then. The lock is held
until commit, so the next writer waits, then reads the head this one left: ids follow
the chain, and the chain is verified in id order. A rolled-back writer leaves a gap in
the ids and no link, which is fine: links name hashes, not ids. A row lock rather than
an advisory lock because under REPEATABLE READ a stale head then raises a serialisation
error instead of forking silently.

A sealing step run afterwards would keep the lock out of requests, but a row would be
unprotected until sealed, lower ids that commit late would have to be ordered by some
other key, and the sealer would need UPDATE on the log, the very right the
application's role must not have. The cost of appending under a lock is one statement
per flush that writes audit rows, whatever their number (record_many stays one INSERT:
hashes are computed here in Python over the batch), and writers take turns only from
that flush to their commit. The head follows every INSERT through a trigger.

The serialisation (`canonical`) is the contract of every stored hash: a new column must
come with a new version of it, never a change to this one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, RowMapping

# The hashed columns, in the order they are serialised.
HASHED = ("id", "occurred_at", "actor_id", "actor_username", "actor_role", "action",
          "object_type", "object_id", "outcome", "region_code", "client_address", "details")
GENESIS = "0" * 64  # what the first row links to

# A row's columns by name: a dict before the INSERT, a RowMapping when read back.
Row = Mapping[str, Any] | RowMapping


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def canonical(row: Row) -> bytes:
    """The hashed columns as compact JSON with sorted keys: the same bytes whether the
    values come from the application or are read back from either database."""
    return json.dumps([_plain(row[name]) for name in HASHED], ensure_ascii=False,
                      sort_keys=True, separators=(",", ":")).encode()


def row_hash(prev_hash: str, row: Row) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(row)).hexdigest()


def stored_details(details: Any) -> Any:
    """Details as the database gives them back (tuples become lists, keys strings), so
    the hash computed before the INSERT matches the one verify computes after it."""
    return json.loads(json.dumps(details if details is not None else {}))


def _take(connection: Connection, count: int) -> tuple[str, list[int]]:
    """Lock the chain's head until commit; its hash and `count` new ids, in order."""
    if connection.dialect.name == "postgresql":
        prev, ids = connection.execute(
            text("SELECT prev_hash, ids FROM audit_chain_take(:n)"), {"n": count}).one()
        return prev, list(ids)
    prev, last = connection.execute(text(
        "UPDATE audit_chain_head SET last_id = last_id WHERE id = 1 RETURNING last_hash, "
        "max(last_id, (SELECT coalesce(max(id), 0) FROM audit_entries))")).one()
    return prev, list(range(last + 1, last + 1 + count))


def link(connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Give each row (a dict of its columns, in the order they are to be chained) its id,
    prev_hash and row_hash. Called in the writing transaction, just before the INSERT."""
    if not rows:
        return
    prev, ids = _take(connection, len(rows))
    for row, id_ in zip(rows, ids, strict=True):
        row["id"] = id_
        row["prev_hash"] = prev
        row["row_hash"] = prev = row_hash(prev, row)


# PostgreSQL: a whole batch as one INSERT ... SELECT FROM unnest(one array per column):
# the head's trigger runs once, and the driver converts 14 parameters, not 14 per row.
_PG_TYPES = {"id": "integer", "occurred_at": "timestamptz", "actor_id": "integer"}
_COLUMNS = (*HASHED, "prev_hash", "row_hash")
_SELECTED = ", ".join(c + "::json" if c == "details" else c for c in _COLUMNS)
_ARRAYS = ", ".join(f"CAST(:{c} AS {_PG_TYPES.get(c, 'text')}[])" for c in _COLUMNS)
_PG_INSERT = text(  # constant column names; the values are bound
    f"INSERT INTO audit_entries ({', '.join(_COLUMNS)}) SELECT {_SELECTED} "  # noqa: S608
    f"FROM unnest({_ARRAYS}) AS batch({', '.join(_COLUMNS)})")


def insert_rows(connection: Connection, rows: Sequence[dict[str, Any]], table: Any) -> None:
    """Write linked rows set-based: one statement on PostgreSQL, an executemany on SQLite
    (whose row triggers cost no round trip)."""
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), list(rows))
        return
    columns: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
    for row in rows:
        for name in _COLUMNS:
            columns[name].append(row[name])
    columns["details"] = [json.dumps(value, ensure_ascii=False) for value in columns["details"]]
    connection.execute(_PG_INSERT, columns)
