"""Competitions and events: what each needs (checked when it is created and whenever it is
corrected, see `editing`), and their creation by the organiser. The event's marking scheme
is checked by `schemes`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from trainhub.competitions.models import Aspect, Competition, Event
from trainhub.competitions.schemes import AspectInput, scheme_of
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, DomainError
from trainhub.extensions import db


def _audit(action: str, region_code: str, object_type: str, object_id: int,
           **details: object) -> None:
    record(action, object_type=object_type, object_id=object_id, region_code=region_code,
           details=details)


@dataclass(frozen=True)
class CompetitionInput:
    name: str
    starts_on: date
    ends_on: date
    registration_opens: date
    registration_closes: date
    venue: str = ""


def check_competition(data: CompetitionInput) -> None:
    """What a competition needs, when it is created and whenever it is corrected: every
    problem raised together, each on its field (a date not given, None, is left to the
    form)."""
    checks = Checks()
    if not data.name.strip():
        checks.add(N_("Give the competition a name."), field="name")
    order = N_("Registration must open, then close, before the competition starts; the "
               "competition cannot end before it starts.")
    opens, closes, starts = data.registration_opens, data.registration_closes, data.starts_on
    if opens and closes and (closes < opens or (starts and not closes < starts)):
        checks.add(order, field="registration_closes")
    if starts and data.ends_on and data.ends_on < starts:
        checks.add(order, field="ends_on")
    checks.done()


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
    a valid marking scheme and award rule; every problem raised together, each on its
    field (the scheme's on the form)."""
    checks = Checks()
    if not data.name.strip():
        checks.add(N_("Give the event a name and an occupation."), field="name")
    if not data.occupation.strip():
        checks.add(N_("Give the event a name and an occupation."), field="occupation")
    if not 1 <= data.team_size <= 10:
        checks.add(N_("Team size and quota are out of range."), field="team_size")
    if not 1 <= data.quota <= 50:
        checks.add(N_("Team size and quota are out of range."), field="quota")
    if not set(data.categories) <= set(range(1, 8)):
        checks.add(N_("Unknown disability category or grade."), field="categories")
    if not set(data.grades) <= set(range(1, 5)):
        checks.add(N_("Unknown disability category or grade."), field="grades")
    if not data.aspects:
        checks.add(N_("A marking scheme needs at least one aspect."))
    else:
        try:
            scheme_of(data.aspects)
        except DomainError as error:
            checks.extend(error)
    try:
        _check_award_rule(data)
    except DomainError as error:
        checks.extend(error.on(error.field or "award_rule"))
    checks.done()


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
