"""What the audit administrator's home page shows: today's refused and failed actions (in
the audit search's scope, `policy.officer_region`) and whether the log still ends where its
chain's head says, all in one statement. The head check is cheap and catches rows cut off
the end; the full walk of every link stays `flask audit verify`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select

from trainhub.core import policy
from trainhub.core.audit.models import AuditChainHead, AuditEntry, Outcome
from trainhub.core.timeutil import LOCAL_TZ
from trainhub.extensions import db


@dataclass(frozen=True)
class AuditState:
    denied_today: int
    failed_today: int
    head_matches: bool  # the last entry is the one the chain's head records, with its hash


def state(user: Any, today: date) -> AuditState:
    since = datetime.combine(today, time.min, tzinfo=LOCAL_TZ)
    region = policy.officer_region(user)

    def today_with(outcome: Outcome) -> Any:
        stmt = select(func.count()).where(
            AuditEntry.occurred_at >= since, AuditEntry.outcome == outcome.value
        )
        if region is not None:
            stmt = stmt.where(AuditEntry.region_code.startswith(region))
        return stmt.scalar_subquery()

    newest = select(func.max(AuditEntry.id)).scalar_subquery()
    hash_at_head = (
        select(AuditEntry.row_hash).where(AuditEntry.id == AuditChainHead.last_id).scalar_subquery()
    )
    last_id, last_hash, newest_id, stored_hash, denied, failed = db.session.execute(
        select(
            AuditChainHead.last_id,
            AuditChainHead.last_hash,
            newest,
            hash_at_head,
            today_with(Outcome.DENIED),
            today_with(Outcome.FAILURE),
        ).where(AuditChainHead.id == 1)
    ).one()
    # an empty log: the head is at its genesis (id 0), no entry to compare
    matches = (newest_id or 0) == last_id and (newest_id is None or stored_hash == last_hash)
    return AuditState(int(denied), int(failed), matches)
