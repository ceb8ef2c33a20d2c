"""Who is admitted to an event, read from the database: the eligibility rules in force for
the event (age limits are dated, region-overridable parameters) and the titles people
already hold, handed to the pure `eligibility`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from trainhub.competitions import eligibility
from trainhub.competitions.catalog import FIRST_PRIZE
from trainhub.competitions.creation import EventInput
from trainhub.competitions.models import Competition, Entry, EntryMember, Event, Result
from trainhub.core.audit.models import Outcome
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, DomainError
from trainhub.core.idnumbers import mask_id
from trainhub.core.parameters import service as parameters
from trainhub.core.people.models import Person
from trainhub.core.people.services import find_person_by_number
from trainhub.extensions import db


def rules_of(event: Event) -> eligibility.Rules:
    return rules_for(event, event.competition.region_code)


def rules_for(event: Event | EventInput, region: str) -> eligibility.Rules:
    """The eligibility rules of an event, or those a correction (EventInput) would give it,
    in a competition organised by `region`; the age limits in force on the reference date."""
    on = event.age_reference_date
    return eligibility.Rules(
        occupation=event.occupation.strip(), reference_date=on,
        age_min=parameters.int_value("competitions.age_min", on, region),
        age_max_male=parameters.int_value("competitions.age_max_male", on, region),
        age_max_female=parameters.int_value("competitions.age_max_female", on, region),
        categories=tuple(event.categories), grades=tuple(event.grades),
        exclude_title_holders=event.exclude_title_holders)


def titles_before(person_ids: Sequence[int], starts_on: date) -> dict[int, frozenset[str]]:
    """Occupations in which each person won the first prize at a competition that started
    before `starts_on`."""
    rows = db.session.execute(
        select(EntryMember.person_id, Event.occupation)
        .join(Entry, Entry.id == EntryMember.entry_id)
        .join(Result, Result.entry_id == Entry.id).join(Event, Event.id == Entry.event_id)
        .join(Competition, Competition.id == Event.competition_id)
        .where(EntryMember.person_id.in_(person_ids), Result.award == FIRST_PRIZE,
               Competition.starts_on < starts_on))
    found: dict[int, set[str]] = {}
    for person_id, occupation in rows:
        found.setdefault(person_id, set()).add(occupation)
    return {p: frozenset(found.get(p, ())) for p in person_ids}


def refusals_of(people: Sequence[Person], rules: eligibility.Rules,
                titles: dict[int, frozenset[str]]) -> list[eligibility.Refusal]:
    return [refusal for p in people for refusal in eligibility.refusals(eligibility.Contestant(
        p.name, p.sex, p.birth_date, p.disability_category, p.disability_grade,
        titles[p.id]), rules)]


def check_people(event: Event, people: Sequence[Person]) -> list[eligibility.Refusal]:
    titles = titles_before([p.id for p in people], event.competition.starts_on)
    return refusals_of(people, rules_of(event), titles)


# --- contestants typed in by number ----------------------------------------------------

UNKNOWN_CONTESTANT = N_("No person of this city has the number %(number)s. Check the number, "
                        "or register the person on the People page first.")


class UnknownContestant(DomainError):
    def __init__(self, number: str) -> None:
        super().__init__(UNKNOWN_CONTESTANT, number=number)


def contestants_by_number(numbers: Sequence[str], city_code: str,
                          fields: Sequence[str] | None = None) -> list[Person]:
    """The contestants a city's officer typed in, by resident ID or certificate number. A
    number of nobody and a number of someone of another city get the same answer (the
    number masked), so an officer cannot learn whether a number belongs to anyone outside
    their city. Each lookup is audited, found or not; the view commits the audit rows
    before acting on the result (a refusal still leaves them). Every number not found is
    refused in one answer, each on its field (`fields`, in the order of `numbers`; by
    default the entries of the registration form's list, numbers-0, numbers-1…)."""
    found = []
    checks = Checks()
    for n, number in enumerate(numbers):
        person = find_person_by_number(number)
        ours = person is not None and person.household_region_code.startswith(city_code)
        record("competition.contestant_lookup", object_type="region", object_id=city_code,
               region_code=city_code,
               outcome=Outcome.SUCCESS if ours else Outcome.FAILURE,
               details={"number": mask_id(number), "found": ours})
        if person is None or not ours:
            checks.extend(UnknownContestant(mask_id(number)).on(
                fields[n] if fields is not None and n < len(fields) else f"numbers-{n}"))
            continue
        found.append(person)
    checks.done()
    return found
