"""Corrections of a competition and of its events after they were created. What has been
done under the old values holds them in place: entries were judged against the
registration window, counted against the quota and made with the team size; contestants
were checked against the eligibility rules; judges mark on the scheme once the event is
drawn. A refusal changes nothing; each correction is audited with the old and new values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from trainhub.competitions import admission, creation, registration
from trainhub.competitions.catalog import ACTIVE_ENTRY, EventStatus
from trainhub.competitions.creation import CompetitionInput, EventInput
from trainhub.competitions.models import (
    Aspect,
    Competition,
    Delegation,
    Entry,
    EntryMember,
    Event,
)
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Conflict, DomainError, Phrase, Phrases
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

Changes = dict[str, list[Any]]  # field → [old, new], as the audit log stores them
DATES = frozenset({"starts_on", "ends_on", "registration_opens", "registration_closes"})
WINDOW = frozenset({"registration_opens", "registration_closes"})
# What decides who may enter: changing any of it re-checks the entries already made.
ELIGIBILITY = frozenset({"occupation", "categories", "grades", "age_reference_date",
                         "exclude_title_holders"})
INELIGIBLE = N_("%(count)s registered or confirmed entries would no longer be eligible: "
                "%(reasons)s. Refuse those entries first, then make the change.")


def _shown(value: Any) -> Any:
    """A value as the audit log (JSON) keeps it."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return value


def _changes(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> Changes:
    return {field: [_shown(current[field]), _shown(value)]
            for field, value in wanted.items() if _same(current[field]) != _same(value)}


def _same(value: Any) -> Any:
    """A value compared by what it means: award shares stored as "10" and typed as 10.00
    are the same share."""
    if isinstance(value, list) and value and isinstance(value[0], list):
        return [(name, Decimal(share)) for name, share in value]
    return value


# --- competitions ---------------------------------------------------------------------------

def update_competition(made: Competition, data: CompetitionInput, by: User,
                       today: date | None = None) -> Changes:
    """Correct a competition; what changed, old and new (empty: nothing did). Dates change
    until the competition starts, its name and venue until it ends."""
    today = today or local_today()
    creation.check_competition(data)
    statuses = _hold_competition(made)
    wanted = {"name": data.name.strip(), "venue": data.venue.strip(),
              "starts_on": data.starts_on, "ends_on": data.ends_on,
              "registration_opens": data.registration_opens,
              "registration_closes": data.registration_closes}
    changes = _changes({field: getattr(made, field) for field in wanted}, wanted)
    if not changes:
        return changes
    if today > made.ends_on:
        raise Conflict(N_("The competition is over: it can no longer be corrected."))
    if changes.keys() & DATES:
        _check_dates(made, data, changes, statuses, today)
    for field, value in wanted.items():
        setattr(made, field, value)
    db.session.flush()
    record("competition.update", actor=by, object_type="competition", object_id=made.id,
           region_code=made.region_code, details={"changes": changes})
    return changes


def _hold_competition(made: Competition) -> Sequence[Any]:
    """Lock the competition and its events and read them again: a draw (which locks its
    event) cannot slip between these checks and the commit. The events' names and
    statuses, as they are now."""
    db.session.scalars(select(Competition).where(Competition.id == made.id)
                       .with_for_update().execution_options(populate_existing=True)).one()
    return db.session.execute(select(Event.id, Event.name, Event.status)
                              .where(Event.competition_id == made.id)
                              .order_by(Event.id).with_for_update()).all()


def _check_dates(made: Competition, data: CompetitionInput, changes: Changes,
                 statuses: Sequence[Any], today: date) -> None:
    if today >= made.starts_on:
        raise Conflict(N_("The competition started on %(date)s: its dates can no longer "
                          "change. Its name and venue can still be corrected."),
                       date=made.starts_on)
    if data.starts_on < today:
        raise DomainError(N_("The competition cannot start before today (%(today)s)."),
                          today=today)
    if changes.keys() & WINDOW:
        _check_window(made, data, statuses, today)
    if "starts_on" in changes:
        # A title holder won a first prize at a competition that started earlier: another
        # first day can make an entered contestant one.
        cancelled = {row.id for row in statuses if row.status == EventStatus.CANCELLED}
        for event in made.events:
            if event.id not in cancelled:
                _refuse_ineligible(event, event, data.starts_on)


def _check_window(made: Competition, data: CompetitionInput, statuses: Sequence[Any],
                  today: date) -> None:
    closed = [row.name for row in statuses if row.status != EventStatus.OPEN]
    if closed:
        raise Conflict(N_("Registration has been closed for %(events)s (drawn or cancelled): "
                          "the entries were judged against the registration window, which "
                          "can no longer change."), events="、".join(closed))
    if data.registration_closes < today:
        made_already = db.session.scalar(
            select(func.count()).select_from(Entry).join(Event, Event.id == Entry.event_id)
            .where(Event.competition_id == made.id, Entry.status.in_(ACTIVE_ENTRY))) or 0
        if made_already:
            raise DomainError(N_("%(count)s entries have been made: registration cannot "
                                 "close before today (%(today)s)."),
                              count=made_already, today=today)


# --- events -----------------------------------------------------------------------------------

def update_event(event: Event, data: EventInput, by: User) -> Changes:
    """Correct an event while it is open (neither drawn nor cancelled): what changed, old
    and new (empty: nothing did). The scheme is replaced when it differs."""
    creation.check_event(data)
    registration.hold(event, exclusive=True)
    if event.status != EventStatus.OPEN:
        raise Conflict(N_("This event has been drawn or cancelled: it can no longer be "
                          "corrected."))
    wanted = creation.event_values(data)
    changes = _changes({field: getattr(event, field) for field in wanted}, wanted)
    aspects = creation.aspects_of(data)
    if _scheme(event.aspects) != _scheme(aspects):
        changes["aspects"] = [_scheme_shown(event.aspects), _scheme_shown(aspects)]
    if not changes:
        return changes
    if "quota" in changes:
        _check_quota(event, data.quota)
    if "team_size" in changes:
        _check_team_size(event)
    if changes.keys() & ELIGIBILITY:
        _refuse_ineligible(event, data, event.competition.starts_on)
    for field, value in wanted.items():
        setattr(event, field, value)
    if "aspects" in changes:
        _replace_scheme(event, aspects)
    db.session.flush()
    record("competition.event_update", actor=by, object_type="competition_event",
           object_id=event.id, region_code=event.competition.region_code,
           details={"changes": changes})
    return changes


def _check_quota(event: Event, quota: int) -> None:
    """The quota counts each delegation's registered and confirmed entries, as registration
    does: it cannot go below what a delegation already has."""
    most = db.session.execute(
        select(Delegation.name, func.count(Entry.id).label("entries"))
        .join(Entry, Entry.delegation_id == Delegation.id)
        .where(Entry.event_id == event.id, Entry.status.in_(ACTIVE_ENTRY))
        .group_by(Delegation.id, Delegation.name)
        .order_by(func.count(Entry.id).desc(), Delegation.name).limit(1)).first()
    if most is not None and most.entries > quota:
        raise DomainError(N_("%(delegation)s already has %(entries)s entries in this event: "
                             "the quota cannot be lower than %(entries)s (%(quota)s asked)."),
                          delegation=most.name, entries=most.entries, quota=quota)


def _check_team_size(event: Event) -> None:
    made = db.session.scalar(select(func.count()).select_from(Entry)
                             .where(Entry.event_id == event.id)) or 0
    if made:
        raise Conflict(N_("%(count)s entries have been made with %(size)s contestants each: "
                          "the number of contestants per entry can no longer change."),
                       count=made, size=event.team_size)


def _refuse_ineligible(event: Event, rules_from: Event | EventInput, starts_on: date) -> None:
    """Re-check every registered or confirmed entry of `event`, as registration checked it,
    under the rules of `rules_from` (the event, or its correction) with the title holders of
    competitions that started before `starts_on`; refuse the correction if any entry would
    fail them (never drop the entries silently)."""
    entries = db.session.scalars(
        select(Entry).where(Entry.event_id == event.id, Entry.status.in_(ACTIVE_ENTRY))
        .options(selectinload(Entry.members).selectinload(EntryMember.person))
        .execution_options(populate_existing=True).order_by(Entry.id)).all()
    if not entries:
        return
    # The age limits in force on the reference date are read only when someone is checked.
    rules = admission.rules_for(rules_from, event.competition.region_code)
    people = [m.person for entry in entries for m in entry.members]
    titles = admission.titles_before([p.id for p in people], starts_on)
    failing = [found for entry in entries
               if (found := admission.refusals_of([m.person for m in entry.members],
                                                  rules, titles))]
    if failing:
        raise DomainError(INELIGIBLE, count=len(failing), reasons=Phrases(
            [Phrase(r.msgid, **r.params) for found in failing for r in found]))


def _scheme(aspects: Sequence[Aspect]) -> list[tuple[Any, ...]]:
    return [(a.code, a.title, a.kind, a.scale, Decimal(a.max_mark), Decimal(a.step))
            for a in aspects]


def _scheme_shown(aspects: Sequence[Aspect]) -> list[dict[str, Any]]:
    return [{"code": a.code, "title": a.title, "kind": a.kind, "scale": a.scale,
             "max_mark": _shown(Decimal(a.max_mark)), "step": _shown(Decimal(a.step))}
            for a in aspects]


def _replace_scheme(event: Event, aspects: list[Aspect]) -> None:
    """Old aspects go before the new ones come, so a code kept keeps its unique key free.
    No mark refers to them: marking opens with the draw."""
    db.session.execute(delete(Aspect).where(Aspect.event_id == event.id))
    db.session.expire(event, ["aspects"])
    event.aspects = aspects
