"""Who may take a seat in a batch (DESIGN §4, with §5's bounds), and which of a person's
recorded accessibility needs a batch does not provide. Pure: plain values in, the reasons
for a refusal out (English msgids with their values), none when the person may take a seat.

Every path to a seat (a trainee's application, staff admission, the Excel import, the API)
goes through `enrolment.apply` / `enrolment.admit`, which load the values and call
`refusals`; the Excel import calls it on each row before importing anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as _field
from datetime import date


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


@dataclass(frozen=True)
class Applicant:
    sex: str  # "M" / "F"
    birth_date: date
    has_certificate: bool  # a disability certificate checked against the resident ID
    household_region_code: str


@dataclass(frozen=True)
class Terms:
    """The batch's conditions, with the working-age bounds in force on its start date."""

    start_date: date
    age_min: int           # from this age
    age_limit_male: int    # below this age
    age_limit_female: int
    jiangxi_household_only: bool = False


@dataclass(frozen=True)
class Reason:
    field: str
    msgid: str
    params: dict[str, object] = _field(default_factory=dict)


def age_on(birth: date, on: date) -> int:
    """Completed years on a date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def refusals(person: Applicant, terms: Terms) -> list[Reason]:
    found: list[Reason] = []
    if not person.has_certificate:
        found.append(Reason(Field.CERTIFICATE, N_(
            "No valid disability certificate is recorded; the training is for holders of a "
            "disability certificate.")))
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


def unmet_needs(needs: Iterable[str], provisions: Iterable[str]) -> list[str]:
    """The provisions (codes of catalog.Provision) the person needs and the batch lacks, in
    the order of PROVISION_FOR_NEED. They never refuse a seat by themselves."""
    wanted = set(needs)
    offered = set(provisions)
    return [provision for need, provision in PROVISION_FOR_NEED.items()
            if need in wanted and provision not in offered]
