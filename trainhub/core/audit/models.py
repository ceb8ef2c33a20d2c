"""Audit rows: written in the same transaction as the change they describe, never altered."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DDL, JSON, CheckConstraint, ColumnDefault, Integer, String, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from trainhub.core.audit import chain
from trainhub.core.timeutil import utcnow
from trainhub.core.types import UTCDateTime
from trainhub.extensions import Model


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    DENIED = "denied"


class AuditEntry(Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # No foreign key: the log outlives whatever it names.
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_username: Mapped[str] = mapped_column(String(64), default="")
    actor_role: Mapped[str] = mapped_column(String(24), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    outcome: Mapped[str] = mapped_column(String(10))
    # The region the event belongs to, so officers can search within their scope.
    region_code: Mapped[str | None] = mapped_column(String(6), index=True)
    client_address: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The hash chain (chain.py): the previous row's hash, and this row's over both.
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Model):
    """The chain's last row, one row only: appending locks it (chain.py), triggers move it."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


# Migrations build the schema (0018 makes the head and the triggers); these complete a
# schema made by create_all(), which some SQLite tests use, with the same head row and
# SQLite triggers as 0018.
_HEAD_ROW = "INSERT INTO audit_chain_head (id, last_id, last_hash) VALUES (1, 0, '{}')"
event.listen(AuditChainHead.__table__, "after_create", DDL(_HEAD_ROW.format(chain.GENESIS)))
for _statement in (
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END",
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END",
    "CREATE TRIGGER audit_entries_chain_head AFTER INSERT ON audit_entries "
    "BEGIN UPDATE audit_chain_head SET last_id = NEW.id, last_hash = NEW.row_hash "
    "WHERE id = 1 AND NEW.id > last_id; END",
):
    event.listen(AuditEntry.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="sqlite"))


class AuditTamperError(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry):
            raise AuditTamperError("audit entries are append-only")


def _columns_of(entry: AuditEntry) -> dict[str, Any]:
    """The entry's hashed columns, its unset defaults filled in now (the INSERT would fill
    them after the hash is computed) and its details as the database will give them back."""
    for column in AuditEntry.__table__.columns:
        default = column.default
        if getattr(entry, column.key) is None and isinstance(default, ColumnDefault):
            setattr(entry, column.key, default.arg(None) if default.is_callable else default.arg)
    entry.details = chain.stored_details(entry.details)
    return {name: getattr(entry, name) for name in chain.HASHED if name != "id"}


@event.listens_for(Session, "before_flush")
def _chain_new_entries(session: Session, flush_context: Any, instances: Any) -> None:
    """Link the entries this flush writes, in the order they were added, in one statement."""
    entries = sorted((obj for obj in session.new if isinstance(obj, AuditEntry)),
                     key=lambda obj: inspect(obj).insert_order or 0)
    if not entries:
        return
    rows = [_columns_of(entry) for entry in entries]
    chain.link(session.connection(), rows)
    for entry, row in zip(entries, rows, strict=True):
        entry.id, entry.prev_hash, entry.row_hash = row["id"], row["prev_hash"], row["row_hash"]
