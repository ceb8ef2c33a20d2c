"""Walk the audit chain in id order and name the first broken or missing link."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.engine import Connection, RowMapping

from trainhub.core.audit import chain
from trainhub.core.audit.models import AuditEntry

PAGE = 5000


@dataclass(frozen=True)
class Verdict:
    rows: int
    last_id: int
    last_hash: str
    problem: str = ""  # empty when the chain is whole

    @property
    def whole(self) -> bool:
        return not self.problem


def _pages(connection: Connection) -> Iterator[Sequence[RowMapping]]:
    """Every row, page by page in id order (keyset, so memory stays flat)."""
    table = AuditEntry.__table__
    columns = [table.c[name] for name in (*chain.HASHED, "prev_hash", "row_hash")]
    last = 0
    while True:
        page = connection.execute(select(*columns).where(table.c.id > last)
                                  .order_by(table.c.id).limit(PAGE)).mappings().all()
        if not page:
            return
        yield page
        last = page[-1]["id"]


def _check_row(row: RowMapping, prev_id: int | None, prev: str) -> str:
    """What is wrong with one row, given the hash of the row before it."""
    where = f"row #{prev_id}" if prev_id is not None else "the start of the chain"
    if not row["row_hash"] or not row["prev_hash"]:
        return f"row #{row['id']} has no hash: it was written outside the application"
    if chain.row_hash(row["prev_hash"], row) != row["row_hash"]:
        return (f"row #{row['id']} does not match its hash: it was changed, or written "
                "outside the application")
    if row["prev_hash"] != prev:
        return (f"the link before row #{row['id']} is broken: it does not follow {where} "
                f"(a row between them was deleted, or #{row['id']} was inserted or altered)")
    return ""


def _check_head(connection: Connection, last_id: int, last_hash: str) -> str:
    head = connection.execute(text("SELECT last_id, last_hash FROM audit_chain_head "
                                   "WHERE id = 1")).first()
    if head is None:
        return "the chain's head (audit_chain_head) is missing"
    if head.last_id > last_id:
        return (f"rows after #{last_id} are missing: the chain's head is row #{head.last_id}")
    if head.last_id < last_id:
        return f"row #{last_id} lies beyond the chain's head (row #{head.last_id})"
    if head.last_hash != last_hash:
        return f"row #{last_id} is not the row the chain's head recorded"
    return ""


def verify(connection: Connection) -> Verdict:
    count, prev_id, prev = 0, None, chain.GENESIS
    for page in _pages(connection):
        for row in page:
            problem = _check_row(row, prev_id, prev)
            if problem:
                return Verdict(count, prev_id or 0, prev, problem)
            count, prev_id, prev = count + 1, row["id"], row["row_hash"]
    return Verdict(count, prev_id or 0, prev, _check_head(connection, prev_id or 0, prev))
