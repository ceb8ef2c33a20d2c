"""Competitions, events and their schemes; registration of city delegations within the
window and quotas, with automatic eligibility checks; confirmation by the organiser;
withdrawals and substitutions; the close of registration (events below the minimum are
cancelled) and the reproducible draw of stations and anonymous codes."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from trainhub.competitions import eligibility, scoring
from trainhub.competitions.catalog import ACTIVE_ENTRY, FIRST_PRIZE, EntryStatus, EventStatus
from trainhub.competitions.models import (
    Aspect,
    Competition,
    Delegation,
    Entry,
    EntryMember,
    Event,
    Result,
)
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Conflict, DomainError, Phrase, Phrases
from trainhub.core.idnumbers import mask_id
from trainhub.core.parameters import service as parameters
from trainhub.core.people.models import Person
from trainhub.core.regions import Region
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db


def _audit(action: str, region_code: str, object_type: str, object_id: int,
           **details: object) -> None:
    record(action, object_type=object_type, object_id=object_id, region_code=region_code,
           details=details)


# --- competitions and events -----------------------------------------------------------

@dataclass(frozen=True)
class CompetitionInput:
    name: str
    starts_on: date
    ends_on: date
    registration_opens: date
    registration_closes: date
    venue: str = ""


def check_competition(data: CompetitionInput) -> None:
    """What a competition needs, when it is created and whenever it is corrected."""
    if not data.name.strip():
        raise DomainError(N_("Give the competition a name."))
    if not data.registration_opens <= data.registration_closes < data.starts_on <= data.ends_on:
        raise DomainError(N_("Registration must open, then close, before the competition "
                             "starts; the competition cannot end before it starts."))


def create_competition(region_code: str, data: CompetitionInput, by: User) -> Competition:
    check_competition(data)
    made = Competition(name=data.name.strip(), region_code=region_code,
                       starts_on=data.starts_on, ends_on=data.ends_on,
                       registration_opens=data.registration_opens,
                       registration_closes=data.registration_closes, venue=data.venue.strip(),
                       created_by_id=by.id)
    db.session.add(made)
    db.session.flush()
    _audit("competition.create", region_code, "competition", made.id, name=made.name)
    return made


@dataclass(frozen=True)
class AspectInput:
    code: str
    title: str
    kind: str           # measurement / judgement
    scale: str | None   # wsos / points for judgement
    max_mark: Decimal
    step: Decimal = Decimal("0.5")


@dataclass(frozen=True)
class EventInput:
    name: str
    occupation: str
    team_size: int
    quota: int
    categories: tuple[int, ...]
    grades: tuple[int, ...]
    age_reference_date: date
    aspects: tuple[AspectInput, ...]
    exclude_title_holders: bool = True
    award_rule: str = "bands"
    award_ratios: tuple[tuple[str, Decimal], ...] = ()


# Marks are stored as Numeric(7, 2): two decimals, and far below its largest value.
MARK_PLACES = Decimal("0.01")
HIGHEST_MAXIMUM = Decimal(1000)
CODE_LENGTH = 16


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _aspect_problem(aspect: Aspect | AspectInput, seen: set[str]) -> Phrase | None:
    """What is wrong with one aspect, in words for the organiser typing the scheme."""
    code = aspect.code
    if not code.strip():
        return Phrase(N_("every aspect needs a code"))
    if len(code) > CODE_LENGTH:
        return Phrase(N_("the code %(code)s is longer than %(length)s characters"), code=code,
                      length=CODE_LENGTH)
    if code in seen:
        return Phrase(N_("the code %(code)s is used twice"), code=code)
    seen.add(code)
    if aspect.kind not in ("measurement", "judgement"):
        return Phrase(N_("aspect %(code)s: choose measurement or judgement"), code=code)
    if (aspect.kind == "judgement") != (aspect.scale is not None):
        return Phrase(N_("aspect %(code)s: a judgement aspect is marked on the 0–3 scale or "
                         "in points, a measurement has no scale"), code=code)
    if aspect.scale not in (None, "wsos", "points"):
        return Phrase(N_("aspect %(code)s: unknown scale"), code=code)
    maximum = Decimal(aspect.max_mark)
    step = Decimal(1) if aspect.scale == "wsos" else Decimal(aspect.step)
    if not maximum.is_finite() or not 0 < maximum <= HIGHEST_MAXIMUM:
        return Phrase(N_("aspect %(code)s: the maximum must be above 0 and at most "
                         "%(highest)s"), code=code, highest=HIGHEST_MAXIMUM)
    if not step.is_finite() or step <= 0:
        return Phrase(N_("aspect %(code)s: the step must be above 0"), code=code)
    if maximum != maximum.quantize(MARK_PLACES) or step != step.quantize(MARK_PLACES):
        return Phrase(N_("aspect %(code)s: use at most two decimals"), code=code)
    if aspect.scale != "wsos" and maximum % step != 0:
        return Phrase(N_("aspect %(code)s: the maximum %(max)s is not a multiple of the step "
                         "%(step)s"), code=code, max=_plain(maximum), step=_plain(step))
    return None


def scheme_of(aspects: Sequence[Aspect | AspectInput]) -> scoring.MarkingScheme:
    """The pure core's scheme; building it checks maxima, steps and kinds. The problems an
    organiser can type are named first, in the reader's language."""
    seen: set[str] = set()
    for aspect in aspects:
        problem = _aspect_problem(aspect, seen)
        if problem is not None:
            raise DomainError(N_("The marking scheme is not valid: %(problem)s"),
                              problem=problem)
    try:
        return scoring.MarkingScheme(tuple(
            scoring.Aspect(a.code, Decimal(a.max_mark), scoring.AspectKind(a.kind),
                           scoring.Scale(a.scale) if a.scale else None,
                           Decimal(1) if a.scale == "wsos" else Decimal(a.step))
            for a in aspects))
    except ValueError as error:
        raise DomainError(N_("The marking scheme is not valid: %(problem)s"),
                          problem=str(error)) from None


def _check_award_rule(data: EventInput) -> None:
    if data.award_rule == "bands":
        return
    if data.award_rule != "ratio":
        raise DomainError(N_("Choose how awards are given."))
    shares = [share for _, share in data.award_ratios]
    if (not shares or any(not s.is_finite() or s < 0 for s in shares)
            or not 0 < sum(shares) <= 100):
        raise DomainError(N_("Award shares must each be between 0 and 100 percent and add up "
                             "to more than 0 and at most 100 percent."))


def check_event(data: EventInput) -> None:
    """What an event needs, when it is added and whenever it is corrected: names, bounds,
    a valid marking scheme and award rule."""
    if not data.name.strip() or not data.occupation.strip():
        raise DomainError(N_("Give the event a name and an occupation."))
    if not 1 <= data.team_size <= 10 or not 1 <= data.quota <= 50:
        raise DomainError(N_("Team size and quota are out of range."))
    if not set(data.categories) <= set(range(1, 8)) or not set(data.grades) <= set(range(1, 5)):
        raise DomainError(N_("Unknown disability category or grade."))
    if not data.aspects:
        raise DomainError(N_("A marking scheme needs at least one aspect."))
    scheme_of(data.aspects)
    _check_award_rule(data)


def event_values(data: EventInput) -> dict[str, Any]:
    """The event's columns as `data` sets them (stored as add_event stores them)."""
    return {"name": data.name.strip(), "occupation": data.occupation.strip(),
            "team_size": data.team_size, "quota": data.quota,
            "categories": sorted(set(data.categories)), "grades": sorted(set(data.grades)),
            "age_reference_date": data.age_reference_date,
            "exclude_title_holders": data.exclude_title_holders,
            "award_rule": data.award_rule,
            "award_ratios": [[n, str(p)] for n, p in data.award_ratios]}


def aspects_of(data: EventInput) -> list[Aspect]:
    return [Aspect(code=a.code, title=a.title.strip() or a.code, kind=a.kind, scale=a.scale,
                   max_mark=a.max_mark, step=Decimal(1) if a.scale == "wsos" else a.step,
                   position=i) for i, a in enumerate(data.aspects)]


def add_event(competition: Competition, data: EventInput) -> Event:
    check_event(data)
    event = Event(competition_id=competition.id, **event_values(data))
    event.aspects = aspects_of(data)
    db.session.add(event)
    db.session.flush()
    _audit("competition.event_add", competition.region_code, "competition_event", event.id,
           name=event.name, aspects=len(data.aspects))
    return event


# --- registration ----------------------------------------------------------------------

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


def delegation_for(competition: Competition, city_code: str) -> Delegation:
    found = db.session.scalar(select(Delegation).where(
        Delegation.competition_id == competition.id, Delegation.region_code == city_code))
    if found is None:
        city = db.session.get(Region, city_code)
        found = Delegation(competition_id=competition.id, region_code=city_code,
                           name=f"{city.name if city else city_code}代表队")
        db.session.add(found)
        db.session.flush()
    return found


def hold(event: Event, *, exclusive: bool = False) -> None:
    """Lock the event's row until the transaction ends and read it again, with its
    competition. Registrations share the lock (they do not wait for one another); a
    correction and the draw take it alone. So an entry is checked against the quota, team
    size and rules a concurrent correction has just saved, a correction counts the entries
    a concurrent registration has just made, and nothing is corrected after a concurrent
    draw. (SQLite lets one writer in at a time and has no row locks.)"""
    # The rows are fetched: that is when the objects are populated again.
    db.session.scalars(select(Event).where(Event.id == event.id)
                       .with_for_update(read=not exclusive)
                       .execution_options(populate_existing=True)).one()
    db.session.scalars(select(Competition).where(Competition.id == event.competition_id)
                       .execution_options(populate_existing=True)).one()


def registration_open(event: Event, today: date) -> bool:
    """Entries can be made, withdrawn and substituted now."""
    competition = event.competition
    return (event.status == EventStatus.OPEN
            and competition.registration_opens <= today <= competition.registration_closes)


def ready_to_draw(event: Event, today: date) -> bool:
    """Registration has closed and the event is neither drawn nor cancelled yet."""
    return event.status == EventStatus.OPEN and today > event.competition.registration_closes


def _require_window(event: Event, today: date) -> None:
    competition = event.competition
    if event.status != EventStatus.OPEN:
        raise Conflict(N_("This event is no longer open for registration."))
    if not competition.registration_opens <= today <= competition.registration_closes:
        raise DomainError(N_("Registration is open from %(opens)s to %(closes)s."),
                          opens=competition.registration_opens.isoformat(),
                          closes=competition.registration_closes.isoformat())


def _check_entry(event: Event, delegation: Delegation, people: Sequence[Person],
                 replacing: Entry | None = None) -> None:
    if len(people) != event.team_size or len({p.id for p in people}) != len(people):
        raise DomainError(N_("An entry of this event has %(size)s different contestants."),
                          size=event.team_size)
    # Named by the masked number the officer typed, never by name: the officer of one city
    # must not learn who holds a number registered in another.
    outsiders = [mask_id(p.id_number) for p in people
                 if not p.household_region_code.startswith(delegation.region_code)]
    if outsiders:
        raise DomainError(N_("The people with the numbers %(numbers)s are not registered in "
                             "this delegation's city."), numbers="、".join(outsiders))
    taken = db.session.scalar(
        select(func.count()).select_from(EntryMember).join(Entry)
        .where(Entry.event_id == event.id, Entry.status.in_(ACTIVE_ENTRY),
               EntryMember.person_id.in_([p.id for p in people]),
               Entry.id != (replacing.id if replacing else 0)))
    if taken:
        raise Conflict(N_("A contestant is already entered in this event."))
    refused = check_people(event, people)
    if refused:
        raise DomainError(N_("Not eligible: %(reasons)s"),
                          reasons=Phrases([Phrase(r.msgid, **r.params) for r in refused]))


def register(event: Event, delegation: Delegation, people: Sequence[Person], by: User,
             today: date) -> Entry:
    # One delegation registering from two browsers at once: its row decides the quota.
    db.session.execute(select(Delegation.id).where(Delegation.id == delegation.id)
                       .with_for_update())
    hold(event)
    _require_window(event, today)
    used = db.session.scalar(select(func.count()).select_from(Entry).where(
        Entry.event_id == event.id, Entry.delegation_id == delegation.id,
        Entry.status.in_(ACTIVE_ENTRY)))
    if (used or 0) >= event.quota:
        raise DomainError(N_("The delegation's quota for this event is %(quota)s entries; "
                             "it is used up."), quota=event.quota)
    _check_entry(event, delegation, people)
    entry = Entry(event_id=event.id, delegation_id=delegation.id, registered_by_id=by.id,
                  members=[EntryMember(person_id=p.id) for p in people])
    db.session.add(entry)
    db.session.flush()
    _audit("competition.register", delegation.region_code, "competition_entry", entry.id,
           event=event.id)
    return entry


def withdraw(entry: Entry, by: User, today: date) -> None:
    _require_window(entry.event, today)
    if entry.status not in ACTIVE_ENTRY:
        raise Conflict(N_("This entry is no longer active."))
    entry.status = EntryStatus.WITHDRAWN.value
    _audit("competition.withdraw", entry.delegation.region_code, "competition_entry",
           entry.id)


def substitute(entry: Entry, leaving: Person, joining: Person, by: User, today: date) -> None:
    hold(entry.event)
    _require_window(entry.event, today)
    member = next((m for m in entry.members if m.person_id == leaving.id), None)
    if member is None or entry.status not in ACTIVE_ENTRY:
        raise Conflict(N_("This contestant is not in this entry."))
    staying = [m.person for m in entry.members if m.person_id != leaving.id]
    _check_entry(entry.event, entry.delegation, [*staying, joining], replacing=entry)
    member.person_id = joining.id
    entry.status = EntryStatus.REGISTERED.value  # the organiser confirms the new team
    db.session.flush()
    _audit("competition.substitute", entry.delegation.region_code, "competition_entry",
           entry.id, left=leaving.id, joined=joining.id)


def decide(entry: Entry, confirm: bool, by: User, reason: str = "") -> None:
    """The organiser confirms an entry, or refuses it with the reason."""
    if entry.status != EntryStatus.REGISTERED or entry.event.status != EventStatus.OPEN:
        raise Conflict(N_("This entry has already been decided."))
    if not confirm and not reason.strip():
        raise DomainError(N_("Give the reason for the refusal."))
    entry.status = (EntryStatus.CONFIRMED if confirm else EntryStatus.REFUSED).value
    entry.decided_by_id = by.id
    if not confirm:
        entry.refusal_reasons = [{"msgid": reason.strip(), "params": {}}]
    _audit("competition.confirm" if confirm else "competition.refuse",
           entry.delegation.region_code, "competition_entry", entry.id)


# --- close and draw --------------------------------------------------------------------

CANCELLED_NOTE = N_("Fewer than %(min)s entries were confirmed: the event is cancelled and "
                    "will not take place.")


def close_registration(event: Event, today: date) -> bool:
    """After the window: an event with too few confirmed entries is cancelled, and its
    entrants can read why. Returns True when it goes ahead."""
    if today <= event.competition.registration_closes:
        raise DomainError(N_("Registration is still open."))
    if event.status != EventStatus.OPEN:
        raise Conflict(N_("Registration of this event is already closed."))
    minimum = parameters.int_value("competitions.min_entries", today,
                                   event.competition.region_code)
    confirmed = [e for e in event.entries if e.status == EntryStatus.CONFIRMED]
    if scoring.event_cancelled(len(confirmed), minimum):
        event.status = EventStatus.CANCELLED.value
        event.cancellation_note = CANCELLED_NOTE % {"min": minimum}
        _audit("competition.event_cancel", event.competition.region_code,
               "competition_event", event.id, entries=len(confirmed))
        return False
    return True


def draw(event: Event, by: User, today: date) -> dict[int, int]:
    """Stations (工位号) and anonymous codes (加密号) from a recorded random seed, so the
    draw can be repeated by anyone holding the seed."""
    hold(event, exclusive=True)
    if event.status != EventStatus.OPEN:
        raise Conflict(N_("This event has already been drawn, or it was cancelled."))
    if not close_registration(event, today):
        return {}
    entries = [e for e in event.entries if e.status == EntryStatus.CONFIRMED]
    seed = secrets.token_hex(16)
    stations = scoring.draw_stations([e.id for e in entries], seed)
    codes = scoring.anonymous_codes([e.id for e in entries], seed)
    for entry in entries:
        entry.station_no, entry.code = stations[entry.id], codes[entry.id]
    event.draw_seed, event.drawn_at, event.status = seed, utcnow(), EventStatus.DRAWN.value
    db.session.flush()
    _audit("competition.draw", event.competition.region_code, "competition_event", event.id,
           seed=seed, entries=len(entries))
    return stations
