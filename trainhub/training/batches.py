"""Batches (机构接单): creation by a certified base, planned sessions, and the lifecycle
draft → submitted → approved → enrolling → in progress → completed → settled, with
returned, rejected and cancelled on the way. One function per transition; each checks the
state with a conditional UPDATE, so a double click or two officers at once get a clear
error instead of a second transition. Services flush and audit, never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import update

from trainhub.bases.lifecycle import effective_status
from trainhub.bases.models import Base, BaseKind
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, Conflict, DomainError
from trainhub.core.timeutil import to_local, utcnow
from trainhub.extensions import db
from trainhub.training import catalog, signals
from trainhub.training.catalog import (
    CANCELLABLE_BATCH,
    EDITABLE_BATCH,
    MAX_CAPACITY,
    BatchStatus,
    CertificateType,
    Delivery,
    DemandStatus,
    SessionMode,
    TrainingType,
)
from trainhub.training.completion import trainees_without_result
from trainhub.training.enrolment import decline_pending
from trainhub.training.models import Batch, Demand, Session

MAX_FEE_FEN = 10_000_000  # ¥100,000: far above any real fee, below integer trouble
MAX_SESSION_HOURS = Decimal(12)


@dataclass(frozen=True)
class BatchInput:
    title: str
    category: str
    occupation: str
    training_type: str
    certificate_type: str
    certificate_level: str | None
    delivery: str
    delivery_models: tuple[str, ...]
    provisions: tuple[str, ...]
    start_date: date
    end_date: date
    capacity: int
    fee_fen: int
    admission: str
    venue: str = ""
    description: str = ""
    jiangxi_household_only: bool = False
    open_to_family_members: bool = False


@dataclass(frozen=True)
class SessionInput:
    starts_at: datetime  # aware
    ends_at: datetime
    hours: Decimal
    mode: str
    topic: str = ""


def _audit(action: str, batch: Batch, **details: Any) -> None:
    record(action, object_type="training_batch", object_id=batch.id,
           region_code=batch.region_code, details=details)


# --- checks ----------------------------------------------------------------------------

def check_base(base: Base, data: BatchInput, today: date, checks: Checks | None = None) -> None:
    """The base must be certified and valid on every day of the batch, for its category.
    Each problem is collected in `checks` (raised together when none is given)."""
    found = Checks() if checks is None else checks
    if base.kind == BaseKind.INCUBATOR and data.training_type != TrainingType.ENTREPRENEURSHIP:
        found.add(N_("An incubation base may run entrepreneurship training only."),
                  field="training_type")
    status = effective_status(base, today)
    if status != "valid":
        found.add(N_("The base %(number)s is not currently certified, so it cannot "
                     "run a batch."), field="base_id", number=base.certificate_number)
    elif data.start_date and data.end_date and (data.start_date < base.valid_from
                                                or data.end_date > base.valid_until):
        found.add(N_("The base's certificate is valid until %(until)s, but the batch "
                     "ends on %(end)s: a batch must fall within the certificate's "
                     "validity."), field="end_date", until=base.valid_until,
                  end=data.end_date)
    if data.category in catalog.SPECIALTY_OF and catalog.required_specialty(data.category) \
            not in base.specialties:
        found.add(N_("The base is not certified for this category of training. Its "
                     "specialties do not include the one the category needs."),
                  field="category")
    if checks is None:
        found.done()


def categories_for(bases: Sequence[Base]) -> list[str]:
    """The categories of training the bases are certified for (a category needs one
    specialty of the base), in the catalogue's order: the only ones a batch can be for."""
    held = {specialty for base in bases for specialty in base.specialties}
    return [c for c in catalog.values(catalog.Category)
            if catalog.required_specialty(c) in held]


def _check_choice(checks: Checks, value: str | None, allowed: Sequence[str], message: str,
                  field: str) -> None:
    if value not in allowed:
        checks.add(message, field=field)


def check_input(data: BatchInput, today: date, checks: Checks | None = None) -> None:
    """What the batch says, each problem on its field; a date not given (None, the form
    says so) is not compared."""
    found = Checks() if checks is None else checks
    if not data.title.strip():
        found.add(N_("Give the batch a title and an occupation."), field="title")
    if not data.occupation.strip():
        found.add(N_("Give the batch a title and an occupation."), field="occupation")
    _check_choice(found, data.category, catalog.values(catalog.Category),
                  N_("Choose a category."), "category")
    _check_choice(found, data.training_type, catalog.values(TrainingType),
                  N_("Choose a training type."), "training_type")
    _check_choice(found, data.delivery, catalog.values(Delivery),
                  N_("Choose how it is delivered."), "delivery")
    _check_choice(found, data.admission, catalog.values(catalog.Admission),
                  N_("Choose how applicants are admitted."), "admission")
    _check_certificate(found, data.certificate_type, data.certificate_level)
    if not set(data.delivery_models) <= set(catalog.values(catalog.DeliveryModel)):
        found.add(N_("Unknown delivery model."), field="delivery_models")
    if not set(data.provisions) <= set(catalog.values(catalog.Provision)):
        found.add(N_("Unknown accessibility provision."), field="provisions")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        found.add(N_("The batch cannot end before it starts."), field="end_date")
    if data.start_date and data.start_date < today:
        found.add(N_("A new batch cannot start in the past."), field="start_date")
    if not 1 <= data.capacity <= MAX_CAPACITY:
        found.add(N_("The capacity must be between 1 and %(max)s."), field="capacity",
                  max=MAX_CAPACITY)
    if not 0 <= data.fee_fen <= MAX_FEE_FEN:
        found.add(N_("The fee per trainee is out of range."), field="fee")
    if checks is None:
        found.done()


def _check_certificate(checks: Checks, kind: str, level: str | None) -> None:
    _check_choice(checks, kind, catalog.values(CertificateType),
                  N_("Choose the certificate targeted."), "certificate_type")
    if kind in catalog.LEVELLED_TYPES:
        _check_choice(checks, level, catalog.values(catalog.CertificateLevel),
                      N_("Choose the level of the certificate targeted."), "certificate_level")
    elif level:
        checks.add(N_("This kind of certificate has no level."), field="certificate_level")


def check_batch(base: Base | None, data: BatchInput, today: date,
                demand: Demand | None = None) -> None:
    """Every rule a new or edited batch must meet, all problems raised together (a base
    not given is not checked: the form says so)."""
    checks = Checks()
    check_input(data, today, checks)
    if base is not None:
        check_base(base, data, today, checks)
    if demand is not None and (demand.status != DemandStatus.OPEN or demand.deadline < today):
        checks.add(N_("This demand is closed; it can no longer be taken."))
    checks.done()


# --- create and edit -------------------------------------------------------------------

def _apply(batch: Batch, data: BatchInput) -> None:
    for name in ("category", "training_type", "certificate_type", "delivery", "start_date",
                 "end_date", "capacity", "fee_fen", "admission"):
        setattr(batch, name, getattr(data, name))
    batch.title, batch.occupation = data.title.strip(), data.occupation.strip()
    batch.venue, batch.description = data.venue.strip(), data.description.strip()
    batch.certificate_level = data.certificate_level or None
    batch.delivery_models = sorted(set(data.delivery_models))
    batch.provisions = sorted(set(data.provisions))
    batch.jiangxi_household_only = data.jiangxi_household_only
    batch.open_to_family_members = data.open_to_family_members


def create_batch(base: Base, data: BatchInput, by: User, today: date,
                 demand: Demand | None = None) -> Batch:
    check_batch(base, data, today, demand)
    batch = Batch(institution_id=base.institution_id, base_id=base.id, region_code=base.region_code,
                  demand_id=demand.id if demand else None, created_by_id=by.id)
    _apply(batch, data)
    db.session.add(batch)
    db.session.flush()
    _audit("training_batch.create", batch, base=base.certificate_number,
           demand=demand.id if demand else None)
    return batch


def update_batch(batch: Batch, data: BatchInput, today: date) -> None:
    _require(batch, EDITABLE_BATCH, N_("Only a draft or returned batch can be edited."))
    check_batch(batch.base, data, today)
    _apply(batch, data)
    check_sessions(batch, batch.sessions)
    _audit("training_batch.update", batch)


def _require(batch: Batch, states: Sequence[BatchStatus], message: str) -> None:
    if batch.status not in states:
        raise Conflict(message)


# --- sessions --------------------------------------------------------------------------

def _check_session(batch: Batch, data: SessionInput) -> None:
    """A session's rules, every problem raised together, each on the session form's field."""
    checks = Checks()
    if data.ends_at <= data.starts_at:
        checks.add(N_("A session must end after it starts."), field="ends")
    else:
        first, last = to_local(data.starts_at).date(), to_local(data.ends_at).date()
        if first < batch.start_date or last > batch.end_date:
            checks.add(N_("The session on %(day)s falls outside the batch dates "
                          "(%(start)s to %(end)s)."), field="day", day=first,
                       start=batch.start_date, end=batch.end_date)
        span = Decimal((data.ends_at - data.starts_at).total_seconds()) / 3600
        if not Decimal(0) < data.hours <= min(span, MAX_SESSION_HOURS):
            checks.add(N_("The hours of a session must be more than 0 and no more than "
                          "its length."), field="hours")
    if data.hours != data.hours.quantize(Decimal("0.01")):
        checks.add(N_("Hours take at most two decimals."), field="hours")
    if data.mode not in catalog.values(SessionMode):
        checks.add(N_("Choose whether the session is in person or online."), field="mode")
    elif batch.delivery == Delivery.IN_PERSON and data.mode != SessionMode.IN_PERSON:
        checks.add(N_("This batch is delivered in person only: every session must be "
                      "in person."), field="mode")
    elif batch.delivery == Delivery.ONLINE and data.mode != SessionMode.ONLINE:
        checks.add(N_("This batch is delivered online only: every session must be "
                      "online."), field="mode")
    checks.done()


def session_modes(batch: Batch) -> list[str]:
    """The modes a session of the batch can have: its delivery's (both when mixed)."""
    if batch.delivery == Delivery.IN_PERSON:
        return [SessionMode.IN_PERSON.value]
    if batch.delivery == Delivery.ONLINE:
        return [SessionMode.ONLINE.value]
    return catalog.values(SessionMode)


def check_sessions(batch: Batch, sessions: Sequence[Session | SessionInput]) -> None:
    """Every session within the batch dates; no two sessions of the batch overlap. Every
    problem is raised together."""
    checks = Checks()
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    for session in ordered:
        try:
            _check_session(batch, SessionInput(session.starts_at, session.ends_at,
                                               session.hours, session.mode, session.topic))
        except DomainError as error:
            checks.extend(error)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.starts_at < earlier.ends_at:
            checks.add(N_("Two sessions overlap on %(day)s."), field="day",
                       day=to_local(later.starts_at).date())
    checks.done()


def add_session(batch: Batch, data: SessionInput) -> Session:
    _require(batch, EDITABLE_BATCH, N_("Sessions can be changed only while the batch is a "
                                       "draft or returned."))
    check_sessions(batch, [*batch.sessions, data])
    session = Session(batch_id=batch.id, starts_at=data.starts_at, ends_at=data.ends_at,
                      hours=data.hours, mode=data.mode, topic=data.topic.strip())
    batch.sessions.append(session)
    db.session.flush()
    _audit("training_batch.session_add", batch, session=session.id,
           starts_at=data.starts_at.isoformat(), hours=str(data.hours))
    return session


def remove_session(batch: Batch, session: Session) -> None:
    _require(batch, EDITABLE_BATCH, N_("Sessions can be changed only while the batch is a "
                                       "draft or returned."))
    _audit("training_batch.session_remove", batch, session=session.id,
           starts_at=session.starts_at.isoformat())
    batch.sessions.remove(session)
    db.session.flush()


# --- transitions -----------------------------------------------------------------------

def transition(batch: Batch, from_states: Sequence[BatchStatus], to: BatchStatus,
               **values: Any) -> None:
    """Move the batch with a conditional UPDATE; if another request moved it first, the row
    count is 0 and the caller's transaction is refused."""
    stmt = (update(Batch).where(Batch.id == batch.id,
                                Batch.status.in_([s.value for s in from_states]))
            .values(status=to.value, **values))
    if db.session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(N_("This batch has already been acted on. Reload the page."))
    db.session.refresh(batch)


def submit(batch: Batch, today: date) -> None:
    if not batch.sessions:
        raise DomainError(N_("Plan at least one session before submitting."))
    if batch.start_date < today:
        raise DomainError(N_("The batch's start date has passed; change the dates first."))
    check_base(batch.base, _as_input(batch), today)
    transition(batch, EDITABLE_BATCH, BatchStatus.SUBMITTED, submitted_at=utcnow())
    _audit("training_batch.submit", batch)


def _as_input(batch: Batch) -> BatchInput:
    return BatchInput(
        title=batch.title, category=batch.category, occupation=batch.occupation,
        training_type=batch.training_type, certificate_type=batch.certificate_type,
        certificate_level=batch.certificate_level, delivery=batch.delivery,
        delivery_models=tuple(batch.delivery_models), provisions=tuple(batch.provisions),
        start_date=batch.start_date, end_date=batch.end_date, capacity=batch.capacity,
        fee_fen=batch.fee_fen, admission=batch.admission,
        jiangxi_household_only=batch.jiangxi_household_only,
        open_to_family_members=batch.open_to_family_members)


def approve(batch: Batch, by: User, today: date, comment: str = "") -> None:
    """开班审批: before the batch starts, and while its base is still valid for it."""
    if batch.status == BatchStatus.SUBMITTED and batch.start_date < today:
        raise DomainError(N_("The batch was due to start on %(date)s; it can no longer be "
                             "approved. Return it so the dates can be changed."),
                          date=batch.start_date)
    check_base(batch.base, _as_input(batch), today)
    transition(batch, (BatchStatus.SUBMITTED,), BatchStatus.APPROVED, approved_by_id=by.id,
               approved_at=utcnow(), review_comment=comment.strip())
    _audit("training_batch.approve", batch)
    signals.batch_reviewed.send(batch, outcome="approved")


def send_back(batch: Batch, reject: bool, comment: str) -> None:
    """Return for changes (the institution may edit and resubmit) or reject for good."""
    if not comment.strip():
        raise DomainError(N_("Explain your decision in the comments."))
    target = BatchStatus.REJECTED if reject else BatchStatus.RETURNED
    transition(batch, (BatchStatus.SUBMITTED,), target, review_comment=comment.strip())
    _audit(f"training_batch.{'reject' if reject else 'return'}", batch, comment=comment.strip())
    signals.batch_reviewed.send(batch, outcome="rejected" if reject else "returned")


def open_enrolment(batch: Batch) -> None:
    transition(batch, (BatchStatus.APPROVED,), BatchStatus.ENROLLING)
    _audit("training_batch.open_enrolment", batch)


def start(batch: Batch, today: date) -> int:
    """Close enrolment and begin. Applications still undecided or waiting are declined:
    nobody joins after the start. Returns how many were declined."""
    if today < batch.start_date:
        raise DomainError(N_("The batch starts on %(date)s; it cannot begin earlier."),
                          date=batch.start_date)
    transition(batch, (BatchStatus.ENROLLING,), BatchStatus.IN_PROGRESS)
    declined = decline_pending(batch)
    _audit("training_batch.start", batch, declined=declined)
    return declined


def complete(batch: Batch, now: datetime) -> None:
    end = batch.last_session_end
    if end is not None and now < end:
        raise DomainError(N_("The last session has not ended yet."))
    transition(batch, (BatchStatus.IN_PROGRESS,), BatchStatus.COMPLETED)
    _audit("training_batch.complete", batch)


def settle(batch: Batch) -> None:
    """结算: once every admitted trainee has a recorded result."""
    missing = trainees_without_result(batch)
    if missing:
        raise DomainError(N_("%(count)s trainees have no recorded result yet."), count=missing)
    transition(batch, (BatchStatus.COMPLETED,), BatchStatus.SETTLED)
    _audit("training_batch.settle", batch)


def cancel(batch: Batch, reason: str) -> None:
    if not reason.strip():
        raise DomainError(N_("Give the reason."))
    transition(batch, CANCELLABLE_BATCH, BatchStatus.CANCELLED, review_comment=reason.strip())
    _audit("training_batch.cancel", batch, reason=reason.strip())
    signals.batch_cancelled.send(batch)
