"""Attendance per planned session: present, late, excused or absent, with who marked it
and when. A session is marked once it has begun; later changes are corrections, audited
with the old and new values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Select, and_, exists, insert, literal, select

from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Conflict, DomainError
from trainhub.core.parameters import service as parameters
from trainhub.core.timeutil import to_local
from trainhub.extensions import db
from trainhub.training import catalog
from trainhub.training.catalog import AttendanceStatus, BatchStatus, EnrolmentStatus
from trainhub.training.models import Attendance, Batch, Enrolment, Session
from trainhub.training.rates import AttendanceSummary, summarise

# Marks may be corrected until the batch is settled.
MARKABLE_BATCH = (BatchStatus.IN_PROGRESS, BatchStatus.COMPLETED)
THRESHOLD_KEY = "training.attendance_warning_percent"


def mark_session(session: Session, marks: Mapping[int, str], by: User,
                 now: datetime) -> tuple[int, int]:
    """Record marks of one session: enrolment id → status. All or nothing: one wrong row
    refuses the whole sheet. Returns (new marks, corrections)."""
    batch = session.batch
    refuse_unmarkable(session, now)
    allowed = set(catalog.values(AttendanceStatus))
    if not set(marks.values()) <= allowed:
        raise DomainError(N_("Unknown attendance status."))
    enrolled = set(db.session.scalars(select(Enrolment.id).where(
        Enrolment.batch_id == batch.id, Enrolment.status == EnrolmentStatus.ADMITTED.value)))
    strangers = set(marks) - enrolled
    if strangers:
        raise DomainError(N_("Attendance can be marked only for trainees admitted to this "
                             "batch."))
    existing = {a.enrolment_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session.id))}
    corrections: list[dict[str, object]] = []
    for enrolment_id, status in marks.items():
        row = existing.get(enrolment_id)
        if row is None:
            db.session.add(Attendance(enrolment_id=enrolment_id, session_id=session.id,
                                      status=status, marked_by_id=by.id, marked_at=now))
        elif row.status != status:
            corrections.append({"enrolment": enrolment_id, "from": row.status, "to": status})
            row.status, row.marked_by_id, row.marked_at = status, by.id, now
    db.session.flush()
    created = len([e for e in marks if e not in existing])
    record("training_attendance.mark", object_type="training_session", object_id=session.id,
           region_code=batch.region_code,
           details={"batch": batch.id, "marked": created, "corrections": corrections})
    return created, len(corrections)


def refuse_unmarkable(session: Session, now: datetime) -> None:
    if session.batch.status not in MARKABLE_BATCH:
        raise Conflict(N_("Attendance is marked while the batch runs."))
    if now < session.starts_at:
        raise DomainError(N_("This session has not taken place yet; it cannot be marked."))


def mark_unmarked_present(session: Session, by: User, now: datetime,
                          only: Select[int] | None = None) -> int:
    """Every admitted trainee of the batch without a mark for the session (among the
    enrolment ids `only` selects, if given) marked present, in one INSERT … SELECT;
    returns how many. The caller checks the session can be marked."""
    unmarked = (select(Enrolment.id, literal(session.id), literal(AttendanceStatus.PRESENT.value),
                       literal(by.id), literal(now, Attendance.marked_at.type))
                .where(Enrolment.batch_id == session.batch_id,
                       Enrolment.status == EnrolmentStatus.ADMITTED.value,
                       ~exists().where(and_(Attendance.enrolment_id == Enrolment.id,
                                            Attendance.session_id == session.id))))
    if only is not None:
        unmarked = unmarked.where(Enrolment.id.in_(only))
    # The rows come back (RETURNING their ids): the driver's row count of an INSERT …
    # SELECT is -1 on PostgreSQL through psycopg.
    return len(db.session.execute(insert(Attendance).from_select(
        ["enrolment_id", "session_id", "status", "marked_by_id", "marked_at"], unmarked)
        .returning(Attendance.id)).all())


def mark_all_present(session: Session, by: User, now: datetime) -> int:
    """"All present, then the exceptions": every admitted trainee without a mark for the
    session is marked present, in one INSERT … SELECT whatever the size of the batch. Marks
    already given are kept (changing them is a correction, made one by one on the sheet).
    Returns how many were marked."""
    refuse_unmarkable(session, now)
    count = mark_unmarked_present(session, by, now)
    record("training_attendance.all_present", object_type="training_session",
           object_id=session.id, region_code=session.batch.region_code,
           details={"batch": session.batch_id, "marked": count})
    return count


@dataclass(frozen=True, slots=True)
class Mark:
    """A mark as a sheet shows it: its columns, not the ORM row. A batch of 40 trainees and
    20 sessions has 800 marks; as ORM objects (identity map, instance state with its
    weakref callback, a __dict__ each) they were most of the sheet's reading, and their
    churn is what set off CPython 3.11.7's use-after-free (a weakref callback run by the
    collector while an instance dict is being materialised) that killed the process
    with SIGSEGV after a few sheets (issue 13)."""

    enrolment_id: int
    session_id: int
    status: str
    marked_by_id: int
    marked_at: datetime


@dataclass(frozen=True)
class Sheet:
    """The attendance grid of a batch: sessions × admitted trainees."""

    sessions: list[Session]
    enrolments: list[Enrolment]
    marks: dict[tuple[int, int], Mark]   # (enrolment id, session id) → mark
    summaries: dict[int, AttendanceSummary]    # enrolment id → rate over planned hours
    threshold: Decimal

    def flagged(self, enrolment_id: int) -> bool:
        """Warned only when the sessions not yet held can no longer reach the threshold."""
        return self.summaries[enrolment_id].out_of_reach(self.threshold)


def threshold(batch: Batch) -> Decimal:
    return parameters.decimal_value(THRESHOLD_KEY, batch.start_date, batch.region_code)


def not_yet_held(batch: Batch, now: datetime) -> list[int]:
    return [s.id for s in batch.sessions if s.starts_at > now]


def sheet(batch: Batch, enrolments: Sequence[Enrolment], now: datetime) -> Sheet:
    """Three queries whatever the size: sessions (loaded with the batch), marks, and the
    threshold parameter. Sessions beginning after `now` are still ahead."""
    ids = [e.id for e in enrolments]
    columns = (Attendance.enrolment_id, Attendance.session_id, Attendance.status,
               Attendance.marked_by_id, Attendance.marked_at)
    rows = [Mark(*row) for row in db.session.execute(
        select(*columns).where(Attendance.enrolment_id.in_(ids)))] if ids else []
    marks = {(a.enrolment_id, a.session_id): a for a in rows}
    planned = {s.id: s.hours for s in batch.sessions}
    per_person: dict[int, list[tuple[int, str]]] = {i: [] for i in ids}
    for a in rows:
        per_person[a.enrolment_id].append((a.session_id, a.status))
    ahead = not_yet_held(batch, now)
    summaries = {i: summarise(planned, per_person[i], ahead) for i in ids}
    return Sheet(list(batch.sessions), list(enrolments), marks, summaries, threshold(batch))


def summary_for(enrolment: Enrolment, now: datetime | None = None) -> AttendanceSummary:
    """One trainee's rate; given `now`, with the sessions beginning after it still ahead, so
    that `out_of_reach` tells them what the attendance sheet tells the staff (`Sheet.flagged`)."""
    batch = enrolment.batch
    planned = {s.id: s.hours for s in batch.sessions}
    return summarise(planned, [(a.session_id, a.status) for a in enrolment.attendance],
                     not_yet_held(batch, now) if now is not None else ())


def sessions_due(batch: Batch, today: date) -> list[Session]:
    return [s for s in batch.sessions if to_local(s.starts_at).date() <= today]
