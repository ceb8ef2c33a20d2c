"""Staff enrol one trainee by hand (issue 16 item 4): the row of an Excel import, typed on
a form. The person is entered with the fields and checks of registering a person
(core.people), and the seat is taken by enrolment.apply, the service of every other path
(seats, the batch's conditions, an overlapping seat, an application already there).

As in the import, a resident ID number already registered reuses that record, unchanged,
only when the name (and a certificate number typed) agree with it: staff who hold the
person's name, number and signed paper consent enrol them; the registered name is never
shown. Staff are not told more about a number than the import tells them.

The caller commits; a refusal raises before anything is kept (the view rolls back)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from trainhub.core import cells, idnumbers
from trainhub.core.accounts.models import User
from trainhub.core.errors import N_, Checks, Conflict, DomainError
from trainhub.core.people.models import Person
from trainhub.core.people.services import InvalidIdentity, PersonInput, create_person
from trainhub.core.privacy import consent
from trainhub.core.privacy.models import Method
from trainhub.extensions import db
from trainhub.training import bulk_enrolment, enrolment
from trainhub.training.catalog import ACTIVE_ENROLMENT, BatchStatus
from trainhub.training.models import Batch, Enrolment

# The import's own messages (import_jobs._compare), so staff read the same words.
NAME_DIFFERS = N_("The name differs from the name registered for this resident ID number.")
CERTIFICATE_DIFFERS = N_("The certificate number differs from the one registered for this "
                         "person.")
ALREADY_HERE = N_("This person already has an application or a seat in this batch.")
OVERLAPPING = N_("This person holds a seat in “%(title)s”, whose sessions overlap this "
                 "batch's.")


def enrol_one(batch: Batch, data: PersonInput, by: User, today: date, consented: bool,
              guardian: consent.Guardian | None = None) -> Enrolment:
    """Register (or find) the person and apply on their behalf, source "staff". Every
    problem of the person's fields and consent is answered at once, each on its field, then
    the seat's own (a full batch puts them on the waiting list, as every path does). A
    refusal leaves nothing behind, even before the caller rolls back (a savepoint)."""
    if batch.status != BatchStatus.ENROLLING:
        raise Conflict(N_("This batch is not open for applications."))
    with db.session.begin_nested():
        checks = Checks()
        birth_date, person = _person(data, today, checks)
        in_force = person is not None and consent.current(person.id) is not None
        if consented or not in_force:  # consent given now: a minor's is their guardian's
            try:
                consent.check_guardian(birth_date, guardian, today)
            except DomainError as error:
                checks.extend(error)
        if not consented and not in_force:
            checks.extend(consent.ConsentMissing(consent.MISSING_PAPER))
        if person is not None and not checks:
            _refuse_held(batch, person, checks)
        checks.done()
        assert person is not None
        consent.ensure(person, by, consented, Method.PAPER, guardian=guardian)
        return enrolment.apply(batch, person, by, source="staff")


def _person(data: PersonInput, today: date, checks: Checks) -> tuple[date | None, Person | None]:
    """The birth date the number gives, and the registered person whose record agrees with
    the form or a new one registered (flushed); None with the problems added to `checks`."""
    try:
        resident = idnumbers.parse_resident_id(data.id_number, today)
    except idnumbers.IdNumberError as error:
        checks.extend(InvalidIdentity("id_number", error))
        return None, None  # registering would answer the same, and stop there
    found = bulk_enrolment.registered([resident.number]).get(resident.number)
    if found is None:
        try:
            return resident.birth_date, create_person(data, today)
        except DomainError as error:
            checks.extend(error)
            return resident.birth_date, None
    if cells.name(data.name) != cells.name(found.name):
        checks.add(NAME_DIFFERS, field="name")
    typed = (data.cert_number or "").strip().upper()
    if typed and found.cert_number and typed != found.cert_number:
        checks.add(CERTIFICATE_DIFFERS, field="cert_number")
    return resident.birth_date, found


def _refuse_held(batch: Batch, person: Person, checks: Checks) -> None:
    """What the person already holds, in staff's words (apply refuses the same, in the
    applicant's): an application here, or a seat whose sessions overlap."""
    here = db.session.scalar(select(Enrolment.id).where(
        Enrolment.batch_id == batch.id, Enrolment.person_id == person.id,
        Enrolment.status.in_([s.value for s in ACTIVE_ENROLMENT])))
    if here is not None:
        checks.add(ALREADY_HERE, field="id_number")
    elif (other := enrolment.overlapping_batch(person.id, batch)) is not None:
        checks.add(OVERLAPPING, field="id_number", title=other.title)
