"""Enrolment of a whole checked file at once (the Excel import).

What the batch already holds for the file's people is read in a few set queries (IN lists
of a few hundred), and every seat is written together: the seats by one conditional
UPDATE, new people and enrolments by bulk INSERT … RETURNING a chunk at a time, one audit
row each, the vouchers of all the new seats in a few queries. The rules, the stored rows
and the audit rows are those of enrolment.apply (and admit) run once per row; a
differential test (tests/training/test_bulk_enrolment.py) holds the two paths equal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update

from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record_many
from trainhub.core.people.models import EmploymentStatus, Person
from trainhub.core.people.services import PersonInput, create_people, id_index
from trainhub.core.sets import chunks
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.training import eligibility, enrolment, signals
from trainhub.training.catalog import ACTIVE_ENROLMENT, Admission, EnrolmentStatus
from trainhub.training.imports import Trainee
from trainhub.training.models import Batch, Enrolment

WRITE_CHUNK = 1000  # rows per bulk INSERT, and per progress step while writing


def registered(id_numbers: Iterable[str]) -> dict[str, Person]:
    """Resident ID number → the person already registered, through the blind index."""
    by_index = {id_index(number): number for number in id_numbers}
    found: dict[str, Person] = {}
    for chunk in chunks(by_index):
        for person in db.session.scalars(select(Person).where(Person.id_number_index.in_(chunk))):
            found[by_index[person.id_number_index]] = person
    return found


@dataclass(frozen=True)
class Holding:
    """What people of the file already hold, by person id: in this batch, an application
    or a seat (active), a declined application (which stands: apply refuses a second), a
    withdrawn one (taken up again, as apply does); elsewhere, a seat whose sessions overlap
    this batch's (the other batch's title)."""

    active: frozenset[int]
    declined: frozenset[int]
    withdrawn: Mapping[int, int]   # person id → the withdrawn enrolment's id
    overlapping: Mapping[int, str]


def holding(batch: Batch, person_ids: Sequence[int]) -> Holding:
    statuses: dict[int, tuple[str, int]] = {}
    overlapping: dict[int, str] = {}
    for chunk in chunks(person_ids):
        statuses.update((person, (status, enrolment_id)) for person, status, enrolment_id in
                        db.session.execute(select(Enrolment.person_id, Enrolment.status,
                                                  Enrolment.id)
                                           .where(Enrolment.batch_id == batch.id,
                                                  Enrolment.person_id.in_(chunk))))
        overlapping.update(enrolment.overlapping_titles(chunk, batch))
    active = {s.value for s in ACTIVE_ENROLMENT}
    return Holding(
        active=frozenset(p for p, (status, _) in statuses.items() if status in active),
        declined=frozenset(p for p, (status, _) in statuses.items()
                           if status == EnrolmentStatus.DECLINED),
        withdrawn={p: e for p, (status, e) in statuses.items()
                   if status == EnrolmentStatus.WITHDRAWN},
        overlapping=overlapping)


@dataclass(frozen=True)
class Seat:
    """One row's seat to write: the person (None for a new one), whether they work, and the
    family tie recorded with it (enrolment.kept_tie)."""

    trainee: Trainee
    person_id: int | None
    employed: bool
    tie: eligibility.FamilyTie | None


def seat_of(trainee: Trainee, person: Person | None, applicant: eligibility.Applicant,
            terms: eligibility.Terms) -> Seat:
    """A registered person is reused as recorded (their employment, not the row's)."""
    employment = person.employment_status if person else trainee.employment
    return Seat(trainee, person.id if person else None,
                employment != EmploymentStatus.UNEMPLOYED,
                enrolment.kept_tie(applicant, trainee.family, terms))


def enrol_all(batch: Batch, seats: Sequence[Seat], withdrawn: Mapping[int, int], by: User,
              today: date, progress: Callable[[int], None]) -> bool:
    """Every seat admitted, or nothing written and False when the batch has fewer seats left
    than `seats` (taken by others since the check)."""
    if not enrolment.take_seats(batch, len(seats)):
        return False
    now, done = utcnow(), 0
    taken: dict[int, int] = {}
    audit: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for chunk in chunks(seats, WRITE_CHUNK):
        taken.update(_write(batch, _with_people(chunk, today, audit["person.create"]),
                            withdrawn, by, now, audit))
        done += len(chunk)
        progress(done)
    # Written last: appending to the audit log takes its chain's lock until commit, and
    # every audited request of the province waits for it meanwhile.
    for action, rows in audit.items():
        record_many(action, rows, region_code=batch.region_code)
    signals.seats_taken_together.send(batch, seats=taken, taken_at=now)
    return True


def _with_people(seats: list[Seat], today: date,
                 audit: list[tuple[Any, ...]]) -> list[tuple[Seat, int]]:
    """Each seat with its person id, new people registered by one bulk insert."""
    new = [s for s in seats if s.person_id is None]
    made = iter(create_people([PersonInput(
        name=s.trainee.name, id_number=s.trainee.id_number, cert_number=s.trainee.cert_number,
        phone=s.trainee.phone, household_region_code=s.trainee.county,
        employment_status=s.trainee.employment) for s in new], today, audit_later=audit))
    return [(s, s.person_id if s.person_id is not None else next(made)) for s in seats]


def _write(batch: Batch, seats: list[tuple[Seat, int]], withdrawn: Mapping[int, int],
           by: User, now: datetime, audit: dict[str, list[tuple[Any, ...]]]
           ) -> dict[int, int]:
    """The enrolments of a chunk (a withdrawn one updated, the others inserted), their
    audit rows added to `audit`. Returns enrolment id → person id."""
    manual = batch.admission == Admission.MANUAL
    rows = [_enrolment_row(batch, seat, person_id, by if manual else None, now)
            for seat, person_id in seats]
    again = [{"id": withdrawn[r["person_id"]], **r} for r in rows if r["person_id"] in withdrawn]
    fresh = [r for r in rows if r["person_id"] not in withdrawn]
    if again:
        db.session.execute(update(Enrolment), again)
    ids = [*(r["id"] for r in again), *(db.session.scalars(
        insert(Enrolment).returning(Enrolment.id, sort_by_parameter_order=True), fresh)
        if fresh else [])]
    made = dict(zip(ids, (r["person_id"] for r in [*again, *fresh]), strict=True))
    ties = {r["person_id"]: r["family_relation"] for r in rows}
    first = EnrolmentStatus.APPLIED if manual else EnrolmentStatus.ADMITTED
    audit["training_enrolment.apply"].extend(
        ("training_enrolment", e, {"batch": batch.id, "status": first.value, "source": "import",
                                   **({"family_relation": ties[p]} if ties[p] else {})})
        for e, p in made.items())
    if manual:
        audit["training_enrolment.admit"].extend(
            ("training_enrolment", e, {"batch": batch.id}) for e in made)
    return made


def _enrolment_row(batch: Batch, seat: Seat, person_id: int, decided_by: User | None,
                   now: datetime) -> dict[str, Any]:
    # What apply (and, on manual admission, admit) leave on the row; a withdrawn row taken
    # up again keeps its decision note, as apply keeps it.
    return {"batch_id": batch.id, "person_id": person_id,
            "status": EnrolmentStatus.ADMITTED.value, "source": "import",
            "applied_at": now, "decided_at": now,
            "decided_by_id": decided_by.id if decided_by else None, "withdrawn_at": None,
            "employed_at_enrolment": seat.employed,
            "family_relation": seat.tie.relation if seat.tie else None,
            "family_cert_number": seat.tie.relative_certificate if seat.tie else None}
