"""Who may take a seat in a batch (DESIGN §4, with §5's bounds), and which of a person's
recorded accessibility needs a batch does not provide. Pure: plain values in, the reasons
for a refusal out (English msgids with their values), none when the person may take a seat.

A batch may be open to family members of people with disabilities (残疾人家庭成员, policy
二(六)1 and 3): someone without a disability certificate who declares a family tie — the
relation and the relative's disability certificate number, which an officer can check —
takes a seat there (working age and household still apply), told that no subsidy follows
(`notices`); the enrolment records the tie, and the subsidy engine grants nothing for it.
A certificate holder always takes a seat in their own right: a tie they declare is not used.

Every path to a seat (a trainee's application, staff admission, the Excel import, the API)
goes through `enrolment.apply` / `enrolment.admit`, which load the values and call
`refusals`; the Excel import calls it on each row before importing anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as _field
from datetime import date

from trainhub.core import cells, idnumbers
from trainhub.core.people.services import MESSAGES as IDENTITY_MESSAGES


def N_(message: str) -> str:
    return message


PROVINCE = "36"  # Jiangxi's GB/T 2260 prefix

# A recorded need (people.needs_*) and the batch provision that meets it.
PROVISION_FOR_NEED = {
    "needs_braille": "braille",
    "needs_large_print": "large_print",
    "needs_sign_language": "sign_language",
    "needs_wheelchair_access": "step_free",
    "needs_screen_reader": "screen_reader",
}


class Field:
    """What a refusal is about (the Excel import names the column from it)."""

    CERTIFICATE = "certificate"
    AGE = "age"
    HOUSEHOLD = "household"
    FAMILY = "family"  # a notice: the seat is taken as a family member
    RELATION = "relation"  # a declared tie: the relation
    RELATIVE_CERTIFICATE = "relative_certificate"  # a declared tie: the relative's number


# A family member's relation to the person with disabilities (残疾人家庭成员): the codes
# stored, and the Chinese words the Excel import also accepts.
RELATIONS = {"spouse": "配偶", "child": "子女", "parent": "父母", "other": "其他"}
_RELATION_CODES = {**{code: code for code in RELATIONS},
                   **{word: code for code, word in RELATIONS.items()}}


@dataclass(frozen=True)
class FamilyTie:
    """Declared by a family member: how they are related to a person with disabilities,
    and that person's disability certificate number (what an officer checks)."""

    relation: str  # a key of RELATIONS
    relative_certificate: str  # 20 characters, checked as a disability certificate number


@dataclass(frozen=True)
class Applicant:
    sex: str  # "M" / "F"
    birth_date: date
    has_certificate: bool  # a disability certificate checked against the resident ID
    household_region_code: str
    family_relation: str | None = None  # declared as a family member (FamilyTie.relation)


@dataclass(frozen=True)
class Terms:
    """The batch's conditions, with the working-age bounds in force on its start date."""

    start_date: date
    age_min: int           # from this age
    age_limit_male: int    # below this age
    age_limit_female: int
    jiangxi_household_only: bool = False
    open_to_family_members: bool = False


@dataclass(frozen=True)
class Reason:
    field: str
    msgid: str
    params: dict[str, object] = _field(default_factory=dict)


def age_on(birth: date, on: date) -> int:
    """Completed years on a date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def family_seat(person: Applicant, terms: Terms) -> bool:
    """The seat would be taken as a family member: no certificate, a declared tie, and a
    batch open to family members."""
    return (not person.has_certificate and person.family_relation is not None
            and terms.open_to_family_members)


def _certificate(person: Applicant, terms: Terms) -> Reason | None:
    if person.has_certificate or family_seat(person, terms):
        return None
    if person.family_relation is not None:
        return Reason(Field.CERTIFICATE, N_(
            "No valid disability certificate is recorded, and this batch is not open to "
            "family members of people with disabilities."))
    if terms.open_to_family_members:
        return Reason(Field.CERTIFICATE, N_(
            "No valid disability certificate is recorded. A family member of a person with "
            "disabilities may take a seat in this batch by declaring the relation and the "
            "relative's disability certificate number."))
    return Reason(Field.CERTIFICATE, N_(
        "No valid disability certificate is recorded; the training is for holders of a "
        "disability certificate."))


def refusals(person: Applicant, terms: Terms) -> list[Reason]:
    found: list[Reason] = []
    if (certificate := _certificate(person, terms)) is not None:
        found.append(certificate)
    age = age_on(person.birth_date, terms.start_date)
    limit = terms.age_limit_male if person.sex == "M" else terms.age_limit_female
    params: dict[str, object] = {"age": age, "start": terms.start_date.isoformat(),
                                 "min": terms.age_min, "limit": limit}
    if age < terms.age_min:
        found.append(Reason(Field.AGE, N_(
            "Age %(age)s on the first day (%(start)s): below the working age, which starts "
            "at %(min)s."), params))
    elif age >= limit:
        found.append(Reason(Field.AGE, N_(
            "Age %(age)s on the first day (%(start)s): past the working age, which ends "
            "before %(limit)s."), params))
    if terms.jiangxi_household_only and not person.household_region_code.startswith(PROVINCE):
        found.append(Reason(Field.HOUSEHOLD, N_(
            "The household is not registered in Jiangxi; this batch admits only people with "
            "a Jiangxi household registration.")))
    return found


FAMILY_NOTICE = N_("Taking part in the training as a family member of a person with "
                   "disabilities: no training subsidy and no living allowance follow.")


def notices(person: Applicant, terms: Terms) -> list[Reason]:
    """What the person and the staff are told before admission, without refusing the
    seat: a family member's seat brings no subsidy."""
    return [Reason(Field.FAMILY, FAMILY_NOTICE)] if family_seat(person, terms) else []


def read_tie(relation: str, certificate: str, own_id: str,
             today: date) -> tuple[FamilyTie | None, list[Reason]]:
    """A declared tie as typed (the relation's code or its Chinese word; the relative's
    certificate number): the tie, or None with the problems found. Both empty: no tie."""
    relation, number = cells.text(relation), cells.code(certificate)
    if not relation and not number:
        return None, []
    problems: list[Reason] = []
    code = _RELATION_CODES.get(relation.lower()) if relation else None
    if not relation:
        problems.append(Reason(Field.RELATION, N_(
            "Choose the relation to the person with disabilities whose certificate number "
            "is given.")))
    elif code is None:
        problems.append(Reason(Field.RELATION, N_(
            "Unknown relation: use one of %(values)s."), {"values": "、".join(
                RELATIONS.values())}))
    parsed = _relative_certificate(number, own_id, today, problems)
    if problems or code is None or parsed is None:
        return None, problems
    return FamilyTie(code, parsed), []


def _relative_certificate(number: str, own_id: str, today: date,
                          problems: list[Reason]) -> str | None:
    if not number:
        problems.append(Reason(Field.RELATIVE_CERTIFICATE, N_(
            "Give the disability certificate number of the relative with disabilities.")))
        return None
    try:
        parsed = idnumbers.parse_disability_certificate(number, today).number
    except idnumbers.IdNumberError as error:
        problems.append(Reason(Field.RELATIVE_CERTIFICATE,
                               IDENTITY_MESSAGES.get(error.code, error.message)))
        return None
    if parsed[:18] == idnumbers.normalize(own_id):
        problems.append(Reason(Field.RELATIVE_CERTIFICATE, N_(
            "This certificate belongs to the trainee: give the relative's certificate "
            "number.")))
        return None
    return parsed


def unmet_needs(needs: Iterable[str], provisions: Iterable[str]) -> list[str]:
    """The provisions (codes of catalog.Provision) the person needs and the batch lacks, in
    the order of PROVISION_FOR_NEED. They never refuse a seat by themselves."""
    wanted = set(needs)
    offered = set(provisions)
    return [provision for need, provision in PROVISION_FOR_NEED.items()
            if need in wanted and provision not in offered]
