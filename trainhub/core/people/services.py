"""Creating, finding and showing person records, with identity checks and masking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, insert, select

from trainhub.core import cells, crypto, idnumbers, policy
from trainhub.core.accounts.models import Role, User
from trainhub.core.audit.service import record, record_many
from trainhub.core.errors import N_, DomainError
from trainhub.core.people.models import ACCESSIBILITY_NEEDS, EmploymentStatus, Person
from trainhub.core.regions import Region
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db


class InvalidIdentity(DomainError):
    """A resident ID or certificate number failed validation; `field` names the input."""

    def __init__(self, field: str, error: idnumbers.IdNumberError) -> None:
        super().__init__(MESSAGES.get(error.code, error.message))
        self.field = field
        self.code = error.code


# English msgids per validation code, worded for the person typing the number.
MESSAGES = {
    "length": N_("The number has the wrong length."),
    "format": N_("The number contains characters that are not allowed."),
    "checksum": N_("The check character (the last character) does not match: please check "
                "the number for typing errors."),
    "birth_date_invalid": N_("The birth date inside the number is not a real date."),
    "birth_date_future": N_("The birth date inside the number is in the future."),
    "cert_id_mismatch": N_("The first 18 characters of the certificate number must equal the "
                        "resident ID number."),
    "cert_category": N_("The 19th character (disability category) must be 1 to 7."),
    "cert_grade": N_("The 20th character (disability grade) must be 1 to 4."),
}


@dataclass(frozen=True)
class PersonInput:
    name: str
    id_number: str
    cert_number: str | None
    phone: str | None
    household_region_code: str
    employment_status: EmploymentStatus
    needs: frozenset[str] = frozenset()


def id_index(number: str) -> str:
    return crypto.blind_index(crypto.get_index_key(), idnumbers.normalize(number))


# How many of the last characters of a resident ID the tail index keeps: the four a masked
# number shows (3601**********1421).
TAIL = 4


def tail_index(number: str) -> str:
    """The keyed index of a number's last four characters (`Person.id_tail_index`). Its
    own prefix keeps it apart from the full numbers' index; 128 bits are plenty for a
    lookup among 11,000 values."""
    tail = idnumbers.normalize(number)[-TAIL:]
    return crypto.blind_index(crypto.get_index_key(), "tail:" + tail)[:32]


def visible_people(user: User) -> Select[Person]:
    """People the user may list: an officer's region; a trainee themself; nobody else."""
    stmt = select(Person)
    if user.role == Role.FEDERATION_OFFICER and user.region_code:
        return stmt.where(policy.within(Person.household_region_code, user.region_code))
    if user.role == Role.TRAINEE and user.person_id:
        return stmt.where(Person.id == user.person_id)
    return stmt.where(Person.id.is_(None))


def search(user: User, name: str | None, tail: str | None) -> Select[Person]:
    """The people in the user's scope whose name contains `name` (its % and _ taken
    literally) and whose resident ID ends with `tail` (4 characters, through the keyed
    tail index: no number is decrypted to search)."""
    stmt = visible_people(user)
    if name:
        stmt = stmt.where(Person.name.contains(name, autoescape=True))
    if tail:
        stmt = stmt.where(Person.id_tail_index == tail_index(tail))
    return stmt


def _matches_number(number: str) -> ColumnElement[bool]:
    index = id_index(number)
    return (Person.id_number_index == index) | (Person.cert_number_index == index)


def find_person_by_number(number: str) -> Person | None:
    """Any person by resident ID or certificate number (administration, no scope)."""
    return db.session.scalar(select(Person).where(_matches_number(number)))


def find_by_id_number(user: User, number: str) -> Person | None:
    """Exact search through the blind index, inside the user's scope."""
    return db.session.scalar(visible_people(user).where(_matches_number(number)))


_Parsed = tuple[idnumbers.ResidentId, idnumbers.DisabilityCertificate | None]


def _validate(data: PersonInput, today: date, check_region: bool = True) -> _Parsed:
    try:
        resident = idnumbers.parse_resident_id(data.id_number, today)
    except idnumbers.IdNumberError as error:
        raise InvalidIdentity("id_number", error) from error
    certificate = None
    if data.cert_number:
        try:
            certificate = idnumbers.parse_disability_certificate(
                data.cert_number, today, resident_id=resident.number
            )
        except idnumbers.IdNumberError as error:
            raise InvalidIdentity("cert_number", error) from error
    if data.needs - set(ACCESSIBILITY_NEEDS):
        raise DomainError("Unknown accessibility need.")
    if check_region and db.session.get(Region, data.household_region_code) is None:
        raise DomainError("Choose a region from the list.")
    return resident, certificate


def _values(data: PersonInput, resident: idnumbers.ResidentId,
            certificate: idnumbers.DisabilityCertificate | None) -> dict[str, object]:
    """The columns of a person record made from checked input."""
    return {"name": cells.name(data.name),  # no invisible or doubled spaces
            "id_number": resident.number, "id_number_index": id_index(resident.number),
            "id_tail_index": tail_index(resident.number),
            "sex": resident.sex, "birth_date": resident.birth_date,
            "cert_number": certificate.number if certificate else None,
            "cert_number_index": id_index(certificate.number) if certificate else None,
            "disability_category": certificate.category if certificate else None,
            "disability_grade": certificate.grade if certificate else None,
            "phone": (data.phone or "").strip() or None,
            "household_region_code": data.household_region_code,
            "employment_status": data.employment_status.value,
            **{need: need in data.needs for need in ACCESSIBILITY_NEEDS}}


def _apply(person: Person, data: PersonInput, resident: idnumbers.ResidentId,
           certificate: idnumbers.DisabilityCertificate | None) -> None:
    for column, value in _values(data, resident, certificate).items():
        setattr(person, column, value)


def _ensure_unique(person: Person) -> None:
    clash = db.session.scalar(
        select(Person.id).where(Person.id_number_index == person.id_number_index,
                                Person.id != (person.id or 0))
    )
    if clash:
        raise DomainError("A person with this resident ID number is already registered.")


def create_person(data: PersonInput, today: date) -> Person:
    resident, certificate = _validate(data, today)
    person = Person()
    _apply(person, data, resident, certificate)
    _ensure_unique(person)
    db.session.add(person)
    db.session.flush()
    record("person.create", object_type="person", object_id=person.id,
           region_code=person.household_region_code,
           details={"id_number": idnumbers.mask_id(person.id_number)})
    return person


def create_people(inputs: Sequence[PersonInput], today: date,
                  audit_later: list[tuple[Any, ...]] | None = None) -> list[int]:
    """Many new person records at once (an import): each checked as create_person checks
    one, then written by one bulk INSERT … RETURNING with one audit row each (appended to
    `audit_later` when given, for the caller to write with its own, at its end). Returns
    their ids in the order of `inputs`. A number registered meanwhile fails the unique
    index."""
    checked = [_validate(data, today, check_region=False) for data in inputs]
    regions = {data.household_region_code for data in inputs}
    known = set(db.session.scalars(select(Region.code).where(Region.code.in_(regions))))
    if regions - known:
        raise DomainError("Choose a region from the list.")
    now = utcnow()
    rows = [{**_values(data, *parsed), "created_at": now, "updated_at": now}
            for data, parsed in zip(inputs, checked, strict=True)]
    if not rows:
        return []
    ids = list(db.session.scalars(insert(Person).returning(Person.id,
                                                           sort_by_parameter_order=True),
                                  rows))
    audit = [("person", person_id, {"id_number": idnumbers.mask_id(str(row["id_number"]))},
              row["household_region_code"]) for person_id, row in zip(ids, rows, strict=True)]
    if audit_later is None:
        record_many("person.create", audit)
    else:
        audit_later.extend(audit)
    return ids


def update_person(person: Person, data: PersonInput, today: date) -> Person:
    resident, certificate = _validate(data, today)
    before = {"household_region_code": person.household_region_code,
              "employment_status": person.employment_status,
              "disability": f"{person.disability_category}/{person.disability_grade}"}
    _apply(person, data, resident, certificate)
    _ensure_unique(person)
    db.session.flush()
    after = {"household_region_code": person.household_region_code,
             "employment_status": person.employment_status,
             "disability": f"{person.disability_category}/{person.disability_grade}"}
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    record("person.update", object_type="person", object_id=person.id,
           region_code=person.household_region_code, details={"changed": changed})
    return person


def record_view(person: Person, viewer: User) -> None:
    """Sensitive personal information: every look at someone else's record is logged."""
    if viewer.person_id != person.id:
        record("person.view", object_type="person", object_id=person.id,
               region_code=person.household_region_code)


def unmask(person: Person, purpose: str) -> dict[str, str | None]:
    """The full numbers; every call leaves an audit row naming the purpose."""
    if not purpose.strip():
        raise DomainError("State why you need to see the full numbers.")
    record("person.unmask", object_type="person", object_id=person.id,
           region_code=person.household_region_code, details={"purpose": purpose.strip()[:200]})
    return {"id_number": person.id_number, "cert_number": person.cert_number,
            "phone": person.phone}


def age_on(person: Person, day: date) -> int:
    born = person.birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# What may be shown beside a masked number. The mask (3601**********1421) shows the city
# and the last four characters and hides the county and the birth date; the check
# character then confirms a guess. Beside the household county, a full birth date leaves
# one number, an age or a birth year a few dozen (365 dates, 1 in 11 with the right check
# character), and even without the county a city has 2 to 18 counties. So a masked view
# shows the household region, the sex (the parity of a visible digit) and the disability,
# but no birth date, age or birth year: about 4,200 numbers remain (every date since 1900,
# some 1,500 within working age). The birth date and age go with the full numbers, which
# only the audited unmask with a stated purpose gives.

@dataclass(frozen=True)
class PersonDisplay:
    """A person's numbers and birth as a page shows them: masked without birth
    information, or, after the audited unmask, in full with the birth date and age."""

    id_number: str
    cert_number: str | None
    phone: str | None
    birth_date: date | None
    age: int | None


def display(person: Person, today: date,
            full: dict[str, str | None] | None = None) -> PersonDisplay:
    """`full` is what `unmask` returned (the audit row is already written)."""
    if full is not None:
        return PersonDisplay(id_number=full["id_number"] or "", cert_number=full["cert_number"],
                             phone=full["phone"], birth_date=person.birth_date,
                             age=age_on(person, today))
    return PersonDisplay(
        id_number=idnumbers.mask_id(person.id_number),
        cert_number=idnumbers.mask_id(person.cert_number) if person.cert_number else None,
        phone=idnumbers.mask_phone(person.phone) if person.phone else None,
        birth_date=None, age=None)
