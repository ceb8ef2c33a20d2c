"""What waits for a user in training, for their home page: counts and a few rows, each read
in one aggregate statement whatever the number of batches, scoped by the rules the list
pages use (`training.rules` through `policy.where`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import distinct, exists, func, select

from trainhub.core import policy
from trainhub.core.accounts.models import Role
from trainhub.extensions import db
from trainhub.training import versions
from trainhub.training.catalog import BatchStatus, DemandStatus, EnrolmentStatus
from trainhub.training.models import (
    Attendance,
    Batch,
    Completion,
    Demand,
    Enrolment,
    Session,
)

SHORT = 5  # rows of a short list on a home page


@dataclass(frozen=True)
class BatchRow:
    """A batch of a short list and how many of its things wait."""

    id: int
    title: str
    count: int


@dataclass
class Training:
    by_status: dict[str, int] = field(default_factory=dict)
    submitted: list[BatchRow] = field(default_factory=list)
    to_decide: int = 0  # applications awaiting the institution's decision
    to_decide_rows: list[BatchRow] = field(default_factory=list)
    to_mark: int = 0  # sessions begun with no attendance marked
    to_mark_rows: list[BatchRow] = field(default_factory=list)
    to_record: int = 0  # admitted trainees of completed batches without a result


def _status_counts(stmt: Any) -> dict[str, int]:
    return {status: count for status, count in db.session.execute(stmt)}


def _batches_seen(user: Any) -> Any:
    return policy.where(user, "training.batches.view", Batch)


def _grouped(stmt: Any, limit: int = SHORT) -> tuple[int, list[BatchRow]]:
    """The total of a per-batch count (id, title, count) and its largest few batches, in one
    statement (the total is a window over the groups, computed before the LIMIT)."""
    rows = db.session.execute(
        stmt.add_columns(func.sum(func.count()).over().label("total"))
        .order_by(func.count().desc(), Batch.id)
        .limit(limit)
    ).all()
    total = int(rows[0][3]) if rows else 0
    return total, [BatchRow(r[0], r[1], int(r[2])) for r in rows]


def for_officer(user: Any) -> Training:
    """Batches in the officer's region by status, and the oldest submitted for approval,
    read once for each state of the region's training (versions.kept: every change to one
    of its batches moves it)."""

    def read() -> tuple[dict[str, int], list[BatchRow]]:
        by_status = _status_counts(
            select(Batch.status, func.count()).where(_batches_seen(user)).group_by(Batch.status)
        )
        submitted = [
            BatchRow(i, t, 0)
            for i, t in db.session.execute(
                select(Batch.id, Batch.title)
                .where(_batches_seen(user), Batch.status == BatchStatus.SUBMITTED.value)
                .order_by(Batch.submitted_at, Batch.id)
                .limit(SHORT)
            )
        ]
        return by_status, submitted

    if user.role == Role.FEDERATION_OFFICER:  # an officer's scope is their region's batches
        by_status, submitted = versions.kept(
            user.region_code or "", ("batches", user.role), read
        )
    else:
        by_status, submitted = read()
    return Training(by_status=dict(by_status), submitted=list(submitted))


def for_staff(user: Any, now: datetime) -> Training:
    """An institution's batches by status, the applications to decide, the sessions begun
    whose attendance is not marked, and the results still to record."""
    found = Training(
        by_status=_status_counts(
            select(Batch.status, func.count()).where(_batches_seen(user)).group_by(Batch.status)
        )
    )
    found.to_decide, found.to_decide_rows = _grouped(
        select(Batch.id, Batch.title, func.count().label("count"))
        .join(Enrolment, Enrolment.batch_id == Batch.id)
        .where(
            _batches_seen(user),
            Enrolment.status == EnrolmentStatus.APPLIED.value,
            Batch.status.in_([BatchStatus.ENROLLING.value, BatchStatus.IN_PROGRESS.value]),
        )
        .group_by(Batch.id, Batch.title)
    )
    unmarked = ~exists().where(Attendance.session_id == Session.id)
    found.to_mark, found.to_mark_rows = _grouped(
        select(Batch.id, Batch.title, func.count().label("count"))
        .join(Session, Session.batch_id == Batch.id)
        .where(
            _batches_seen(user),
            Batch.status == BatchStatus.IN_PROGRESS.value,
            Session.starts_at <= now,
            unmarked,
        )
        .group_by(Batch.id, Batch.title)
    )
    found.to_record = (
        db.session.scalar(
            select(func.count())
            .select_from(Enrolment)
            .join(Batch, Batch.id == Enrolment.batch_id)
            .where(
                _batches_seen(user),
                Batch.status == BatchStatus.COMPLETED.value,
                Enrolment.status == EnrolmentStatus.ADMITTED.value,
                ~exists().where(Completion.enrolment_id == Enrolment.id),
            )
        )
        or 0
    )
    return found


@dataclass
class Mine:
    """A trainee's applications by status and their next sessions."""

    by_status: dict[str, int]
    next_sessions: list[tuple[str, datetime, datetime, str]]


def for_trainee(person_id: int, now: datetime) -> Mine:
    by_status = _status_counts(
        select(Enrolment.status, func.count())
        .where(Enrolment.person_id == person_id)
        .group_by(Enrolment.status)
    )
    upcoming = db.session.execute(
        select(Batch.title, Session.starts_at, Session.ends_at, Batch.venue)
        .join(Session, Session.batch_id == Batch.id)
        .join(Enrolment, Enrolment.batch_id == Batch.id)
        .where(
            Enrolment.person_id == person_id,
            Enrolment.status == EnrolmentStatus.ADMITTED.value,
            Session.ends_at >= now,
            Batch.status.in_(
                [
                    BatchStatus.ENROLLING.value,
                    BatchStatus.IN_PROGRESS.value,
                    BatchStatus.APPROVED.value,
                ]
            ),
        )
        .order_by(Session.starts_at)
        .limit(3)
    )
    return Mine(by_status, [(t, s, e, v) for t, s, e, v in upcoming])


@dataclass
class Orders:
    """An enterprise's demands: open and closed, and the batches answering them by status."""

    demands: dict[str, int]
    batches: dict[str, int]


def for_enterprise(user: Any) -> Orders:
    seen = policy.where(user, "training.demands.view", Demand)
    demands = _status_counts(
        select(Demand.status, func.count()).where(seen).group_by(Demand.status)
    )
    batches = _status_counts(
        select(Batch.status, func.count())
        .join(Demand, Demand.id == Batch.demand_id)
        .where(seen)
        .group_by(Batch.status)
    )
    demands.setdefault(DemandStatus.OPEN.value, 0)
    return Orders(demands, batches)


def trainees_in_year(user: Any, year: int) -> int:
    """Distinct people admitted to a batch of the officer's region starting in `year`,
    counted once for each state of the region's training (versions.kept: a province joins
    ~44,000 admitted enrolments to their batches, 20-40 ms, for one figure)."""

    def count() -> int:
        return (
            db.session.scalar(
                select(func.count(distinct(Enrolment.person_id)))
                .join(Batch, Batch.id == Enrolment.batch_id)
                .where(
                    _batches_seen(user),
                    Enrolment.status == EnrolmentStatus.ADMITTED.value,
                    Batch.start_date >= date(year, 1, 1),
                    Batch.start_date <= date(year, 12, 31),
                )
            )
            or 0
        )

    if user.role != Role.FEDERATION_OFFICER:  # an officer's scope is their region's batches
        return count()
    return versions.kept(user.region_code or "", ("trainees", user.role, year), count)
