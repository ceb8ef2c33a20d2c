"""劳动者点单: applications, admission, the waiting list and withdrawal.

Seats are counted in `training_batches.seats_taken` and taken or given back only through
conditional UPDATEs (`seats_taken < capacity`), so the database decides who gets the last
seat when many apply at once: capacity is never exceeded and nobody gets a server error.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Conflict, DomainError, Phrase, Phrases, Problems
from trainhub.core.parameters import service as parameters
from trainhub.core.people.models import EmploymentStatus, Person
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.training import eligibility, signals
from trainhub.training.catalog import (
    ACTIVE_ENROLMENT,
    MAX_CAPACITY,
    Admission,
    BatchStatus,
    EnrolmentStatus,
)
from trainhub.training.models import Batch, Enrolment, Session

# While a batch runs, its trainees may still withdraw; nobody joins after the start.
WITHDRAWABLE_BATCH = (BatchStatus.ENROLLING, BatchStatus.IN_PROGRESS)
_EDITABLE_OR_OPEN = (BatchStatus.DRAFT, BatchStatus.RETURNED, BatchStatus.SUBMITTED,
                     BatchStatus.APPROVED, BatchStatus.ENROLLING)


def _audit(action: str, enrolment: Enrolment, batch: Batch, **details: object) -> None:
    record(action, object_type="training_enrolment", object_id=enrolment.id,
           region_code=batch.region_code, details={"batch": batch.id, **details})


# --- seats -----------------------------------------------------------------------------

def take_seat(batch: Batch) -> bool:
    stmt = (update(Batch).where(Batch.id == batch.id, Batch.seats_taken < Batch.capacity)
            .values(seats_taken=Batch.seats_taken + 1))
    return db.session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]


def take_seats(batch: Batch, count: int) -> bool:
    """`count` seats at once, or none: one conditional UPDATE (an import)."""
    stmt = (update(Batch).where(Batch.id == batch.id,
                                Batch.seats_taken + count <= Batch.capacity)
            .values(seats_taken=Batch.seats_taken + count))
    return db.session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]


def _release_seat(batch: Batch) -> None:
    db.session.execute(update(Batch).where(Batch.id == batch.id, Batch.seats_taken > 0)
                       .values(seats_taken=Batch.seats_taken - 1))


def _set_status(enrolment: Enrolment, from_states: tuple[EnrolmentStatus, ...],
                to: EnrolmentStatus, **values: object) -> bool:
    stmt = (update(Enrolment)
            .where(Enrolment.id == enrolment.id,
                   Enrolment.status.in_([s.value for s in from_states]))
            .values(status=to.value, **values))
    return db.session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]


def change_capacity(batch: Batch, capacity: int) -> int:
    """Raise or lower the capacity; never below the seats already taken. A raise admits
    from the waiting list at once. Returns how many were promoted."""
    if batch.status not in _EDITABLE_OR_OPEN:
        raise Conflict(N_("The capacity can no longer be changed."))
    if not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(N_("The capacity must be between 1 and %(max)s."),
                          max=MAX_CAPACITY).on("capacity")
    stmt = (update(Batch).where(Batch.id == batch.id, Batch.seats_taken <= capacity)
            .values(capacity=capacity))
    if db.session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
        db.session.refresh(batch)
        raise DomainError(N_("%(taken)s seats are already taken; the capacity cannot be lower."),
                          taken=batch.seats_taken).on("capacity")
    old = batch.capacity
    db.session.refresh(batch)
    record("training_batch.capacity", object_type="training_batch", object_id=batch.id,
           region_code=batch.region_code, details={"from": old, "to": capacity})
    return promote_waiting(batch)


# --- overlapping seats -----------------------------------------------------------------

def _overlapping(batch: Batch, *columns: Any) -> Select[Any]:
    """Another batch where a person holds a seat and a session overlaps one of this batch's
    sessions, as a query of `columns` to narrow down to the people asked about."""
    mine, theirs = aliased(Session), aliased(Session)
    return (select(*columns)
            .join(Enrolment, Enrolment.batch_id == Batch.id)
            .join(theirs, theirs.batch_id == Batch.id)
            .join(mine, and_(mine.batch_id == batch.id, mine.starts_at < theirs.ends_at,
                             theirs.starts_at < mine.ends_at))
            .where(Batch.id != batch.id, Enrolment.status == EnrolmentStatus.ADMITTED.value,
                   Batch.status.not_in([BatchStatus.CANCELLED.value,
                                        BatchStatus.REJECTED.value])))


def overlapping_batch(person_id: int, batch: Batch) -> Batch | None:
    """Another batch where the person holds a seat and a session overlaps one of this
    batch's sessions (one query, whatever the number of sessions)."""
    return db.session.scalar(_overlapping(batch, Batch)
                             .where(Enrolment.person_id == person_id).limit(1))


def overlapping_titles(person_ids: Sequence[int], batch: Batch) -> dict[int, str]:
    """overlapping_batch for many people at once: person id → the title of one batch whose
    seat overlaps this one (the first by id), for those who hold one."""
    first: dict[int, int] = {person: batch_id for person, batch_id in db.session.execute(
        _overlapping(batch, Enrolment.person_id, func.min(Batch.id))
        .where(Enrolment.person_id.in_(person_ids)).group_by(Enrolment.person_id))}
    titles: dict[int, str] = {batch_id: title for batch_id, title in db.session.execute(
        select(Batch.id, Batch.title).where(Batch.id.in_(set(first.values()))))}
    return {person: titles[batch_id] for person, batch_id in first.items()}


def _refuse_overlap(person_id: int, batch: Batch) -> None:
    # Lock the person's row on PostgreSQL, so two applications of the same person to two
    # overlapping batches are decided one after the other (SQLite serialises writes).
    db.session.execute(select(Person.id).where(Person.id == person_id).with_for_update())
    other = overlapping_batch(person_id, batch)
    if other is not None:
        raise DomainError(N_("You already hold a seat in “%(title)s”, whose sessions overlap "
                             "this batch's."), title=other.title)


# --- who may take a seat ---------------------------------------------------------------

def terms_of(batch: Batch) -> eligibility.Terms:
    """The batch's conditions, with the working-age bounds (DESIGN §5) in force on its
    start date in its region."""
    on, region = batch.start_date, batch.region_code
    return eligibility.Terms(
        start_date=on,
        age_min=parameters.int_value("subsidies.working_age_min", on, region),
        age_limit_male=parameters.int_value("subsidies.working_age_limit_male", on, region),
        age_limit_female=parameters.int_value("subsidies.working_age_limit_female", on,
                                              region),
        jiangxi_household_only=batch.jiangxi_household_only,
        open_to_family_members=batch.open_to_family_members)


def applicant_of(person: Person,
                 family: eligibility.FamilyTie | None = None) -> eligibility.Applicant:
    return eligibility.Applicant(sex=person.sex, birth_date=person.birth_date,
                                 has_certificate=person.disability_category is not None,
                                 household_region_code=person.household_region_code,
                                 family_relation=family.relation if family else None)


NOT_ELIGIBLE = N_("Cannot take a seat in this batch: %(reasons)s")


def refuse_ineligible(reasons: list[eligibility.Reason]) -> None:
    if reasons:
        raise DomainError(NOT_ELIGIBLE,
                          reasons=Phrases([Phrase(r.msgid, **r.params) for r in reasons]))


def check_eligible(batch: Batch, person: Person,
                   family: eligibility.FamilyTie | None = None) -> None:
    """Refuse a seat (application or admission) to someone the batch does not admit."""
    refuse_ineligible(eligibility.refusals(applicant_of(person, family), terms_of(batch)))


# The form fields (and API fields) of a declared tie, by eligibility.Field.
TIE_FIELDS = {eligibility.Field.RELATION: "family_relation",
              eligibility.Field.RELATIVE_CERTIFICATE: "relative_cert_number"}


def declared_tie(relation: str, certificate: str, person: Person,
                 today: date) -> eligibility.FamilyTie | None:
    """A family tie as typed on a form or sent to the API; None when nothing was typed.
    Refuses a tie half given or wrongly given, each problem on its field."""
    tie, problems = eligibility.read_tie(relation, certificate, person.id_number, today)
    if problems:
        raise Problems([DomainError(p.msgid, **p.params).on(TIE_FIELDS[p.field])
                        for p in problems])
    return tie


def tie_of(enrolment: Enrolment) -> eligibility.FamilyTie | None:
    """The family tie recorded with a seat taken as a family member."""
    if enrolment.family_relation is None or enrolment.family_cert_number is None:
        return None
    return eligibility.FamilyTie(enrolment.family_relation, enrolment.family_cert_number)


def kept_tie(applicant: eligibility.Applicant, family: eligibility.FamilyTie | None,
             terms: eligibility.Terms) -> eligibility.FamilyTie | None:
    """The tie recorded with a seat: only when the seat is taken as a family member (a
    certificate holder takes it in their own right)."""
    return family if family is not None and eligibility.family_seat(applicant, terms) \
        else None


def _record_tie(enrolment: Enrolment, batch: Batch, person: Person,
                family: eligibility.FamilyTie | None) -> None:
    kept = kept_tie(applicant_of(person, family), family, terms_of(batch))
    enrolment.family_relation = kept.relation if kept else None
    enrolment.family_cert_number = kept.relative_certificate if kept else None


def notices(enrolment: Enrolment) -> list[eligibility.Reason]:
    """What the person and the staff are told about a seat without refusing it: a family
    member's seat brings no subsidy."""
    return [eligibility.Reason(eligibility.Field.FAMILY, eligibility.FAMILY_NOTICE)] \
        if enrolment.family_relation else []


def unmet_needs(batch: Batch, person: Person) -> list[str]:
    """The provisions the person's recorded needs call for and the batch lacks."""
    return eligibility.unmet_needs(person.accessibility_needs(), batch.provisions)


# --- applying --------------------------------------------------------------------------

def apply(batch: Batch, person: Person, by: User, source: str = "self",
          family: eligibility.FamilyTie | None = None) -> Enrolment:
    """Apply for a seat. Automatic admission gives a free seat at once, or a place on the
    waiting list; manual admission leaves the decision to the institution. `family`: the
    tie declared by a family member of a person with disabilities (recorded when the seat
    is taken as one)."""
    if batch.status != BatchStatus.ENROLLING:
        raise Conflict(N_("This batch is not open for applications."))
    existing = db.session.scalar(select(Enrolment).where(Enrolment.batch_id == batch.id,
                                                         Enrolment.person_id == person.id))
    if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
        raise Conflict(N_("An application for this batch already exists."))
    check_eligible(batch, person, family)
    _refuse_overlap(person.id, batch)
    enrolment = existing or Enrolment(batch_id=batch.id, person_id=person.id)
    _record_tie(enrolment, batch, person, family)
    enrolment.source, enrolment.applied_at = source, utcnow()
    enrolment.withdrawn_at = enrolment.decided_at = enrolment.decided_by_id = None
    enrolment.employed_at_enrolment = person.employment_status != EmploymentStatus.UNEMPLOYED
    enrolment.status = _first_status(batch)
    try:
        with db.session.begin_nested():
            db.session.add(enrolment)
    except IntegrityError:  # the same person applying twice at the same moment
        raise Conflict(N_("An application for this batch already exists.")) from None
    if enrolment.status == EnrolmentStatus.ADMITTED:
        enrolment.decided_at = utcnow()
    _audit("training_enrolment.apply", enrolment, batch, status=enrolment.status,
           source=source, **({"family_relation": enrolment.family_relation}
                             if enrolment.family_relation else {}))
    if enrolment.status == EnrolmentStatus.ADMITTED:
        signals.seat_taken.send(enrolment)
    if by.person_id != person.id and enrolment.status != EnrolmentStatus.APPLIED:
        # Applied on the person's behalf: they did not see the answer on the screen.
        signals.application_decided.send(enrolment, outcome=str(enrolment.status))
    return enrolment


def _first_status(batch: Batch) -> EnrolmentStatus:
    if batch.admission == Admission.MANUAL:
        return EnrolmentStatus.APPLIED
    return EnrolmentStatus.ADMITTED if take_seat(batch) else EnrolmentStatus.WAITING


def admit(enrolment: Enrolment, by: User) -> None:
    """Staff admit an applicant (or someone waiting); refused when the batch is full."""
    batch = enrolment.batch
    if batch.status != BatchStatus.ENROLLING:
        raise Conflict(N_("This batch is not open for admission."))
    family = tie_of(enrolment)
    check_eligible(batch, enrolment.person, family)
    _refuse_overlap(enrolment.person_id, batch)
    if not take_seat(batch):
        raise Conflict(N_("The batch is full (%(capacity)s seats). Put the applicant on the "
                          "waiting list, or raise the capacity."), capacity=batch.capacity)
    if not _set_status(enrolment, (EnrolmentStatus.APPLIED, EnrolmentStatus.WAITING),
                       EnrolmentStatus.ADMITTED, decided_at=utcnow(), decided_by_id=by.id):
        raise Conflict(N_("This application has already been decided. Reload the page."))
    db.session.refresh(enrolment)
    # A certificate obtained since the application: the seat is taken in one's own right.
    _record_tie(enrolment, batch, enrolment.person, family)
    _audit("training_enrolment.admit", enrolment, batch)
    signals.seat_taken.send(enrolment)
    signals.application_decided.send(enrolment, outcome="admitted")


def put_on_waiting_list(enrolment: Enrolment, by: User) -> None:
    if not _set_status(enrolment, (EnrolmentStatus.APPLIED,), EnrolmentStatus.WAITING,
                       decided_by_id=by.id):
        raise Conflict(N_("This application has already been decided. Reload the page."))
    db.session.refresh(enrolment)
    _audit("training_enrolment.wait", enrolment, enrolment.batch)
    signals.application_decided.send(enrolment, outcome="waiting")


def decline(enrolment: Enrolment, by: User, note: str) -> None:
    if not note.strip():
        raise DomainError(N_("Tell the applicant why (the note is shown to them)."))
    if not _set_status(enrolment, (EnrolmentStatus.APPLIED, EnrolmentStatus.WAITING),
                       EnrolmentStatus.DECLINED, decided_at=utcnow(), decided_by_id=by.id,
                       decision_note=note.strip()):
        raise Conflict(N_("This application has already been decided. Reload the page."))
    db.session.refresh(enrolment)
    _audit("training_enrolment.decline", enrolment, enrolment.batch)
    signals.application_decided.send(enrolment, outcome="declined")


def withdraw(enrolment: Enrolment, by: User) -> None:
    """The trainee (or staff on their behalf, through the API) withdraws; a freed seat
    goes to the first person waiting."""
    _leave(enrolment, "training_enrolment.withdraw", by=by.id,
           values={"withdrawn_at": utcnow(), "decision_note": ""})


def remove(enrolment: Enrolment, by: User, reason: str) -> None:
    """The institution removes a trainee (移出) from the batch, with a reason the trainee
    reads on their applications page; audited with the reason. A freed seat goes to the
    first person waiting."""
    reason = reason.strip()
    if not reason:
        raise DomainError(N_("Give the reason for removing the trainee.")).on("reason")
    now = utcnow()
    _leave(enrolment, "training_enrolment.remove", by=by.id, reason=reason,
           values={"withdrawn_at": now, "decided_at": now, "decided_by_id": by.id,
                   "decision_note": reason})
    signals.application_decided.send(enrolment, outcome="removed")


def _leave(enrolment: Enrolment, action: str, values: dict[str, object],
           **details: object) -> None:
    batch = enrolment.batch
    if batch.status not in WITHDRAWABLE_BATCH:
        raise Conflict(N_("Withdrawal is no longer possible for this batch."))
    held_seat = enrolment.status == EnrolmentStatus.ADMITTED
    if not _set_status(enrolment, ACTIVE_ENROLMENT, EnrolmentStatus.WITHDRAWN, **values):
        raise Conflict(N_("This application has already been withdrawn or decided."))
    db.session.refresh(enrolment)
    _audit(action, enrolment, batch, **details)
    if held_seat:
        _release_seat(batch)
        signals.seat_released.send(enrolment)
        if batch.status == BatchStatus.ENROLLING:
            promote_waiting(batch)


def promote_waiting(batch: Batch) -> int:
    """Fill free seats from the waiting list, first come first served. Someone who now
    holds an overlapping seat elsewhere is skipped and told why."""
    promoted = 0
    while True:
        candidate = _next_waiting(batch)
        if candidate is None or not take_seat(batch):
            break
        if overlapping_batch(candidate.person_id, batch) is not None:
            _release_seat(batch)
            if _set_status(candidate, (EnrolmentStatus.WAITING,), EnrolmentStatus.DECLINED,
                           decided_at=utcnow(), decision_note=OVERLAP_NOTE):
                signals.application_decided.send(candidate, outcome="declined")
            continue
        if _set_status(candidate, (EnrolmentStatus.WAITING,), EnrolmentStatus.ADMITTED,
                       decided_at=utcnow()):
            promoted += 1
            db.session.refresh(candidate)
            _audit("training_enrolment.promote", candidate, batch)
            signals.seat_taken.send(candidate)
            signals.application_decided.send(candidate, outcome="promoted")
        else:  # taken by a concurrent promotion: give the seat back and look again
            _release_seat(batch)
    db.session.refresh(batch)
    return promoted


OVERLAP_NOTE = N_("You hold a seat in another batch whose sessions overlap this one.")


def _next_waiting(batch: Batch) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment).where(Enrolment.batch_id == batch.id,
                                Enrolment.status == EnrolmentStatus.WAITING.value)
        .order_by(Enrolment.applied_at, Enrolment.id).limit(1))


def decline_pending(batch: Batch) -> int:
    """At the start: whoever is still undecided or waiting is declined (and told)."""
    stmt = (update(Enrolment)
            .where(Enrolment.batch_id == batch.id,
                   Enrolment.status.in_([EnrolmentStatus.APPLIED.value,
                                         EnrolmentStatus.WAITING.value]))
            .values(status=EnrolmentStatus.DECLINED.value, decided_at=utcnow(),
                    decision_note=STARTED_NOTE)
            .returning(Enrolment.person_id).execution_options(synchronize_session=False))
    people = list(db.session.scalars(stmt))
    if people:
        signals.pending_declined.send(batch, person_ids=people)
    return len(people)


STARTED_NOTE = N_("The batch started before a seat became free.")


def waiting_position(enrolment: Enrolment) -> int | None:
    """1 for the first person waiting; None when not waiting."""
    if enrolment.status != EnrolmentStatus.WAITING:
        return None
    ahead = db.session.scalar(
        select(db.func.count()).select_from(Enrolment).where(
            Enrolment.batch_id == enrolment.batch_id,
            Enrolment.status == EnrolmentStatus.WAITING.value,
            (Enrolment.applied_at < enrolment.applied_at)
            | ((Enrolment.applied_at == enrolment.applied_at) & (Enrolment.id < enrolment.id))))
    return int(ahead or 0) + 1
