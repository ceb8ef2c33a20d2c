"""Load a competition object with what its page needs, then check the permission (404
before 403). Lists and tables load in a fixed number of statements whatever their size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainhub.competitions.models import (
    Arbitrator,
    Assignment,
    Competition,
    Delegation,
    Entry,
    EntryMember,
    Event,
    Judge,
)
from trainhub.core import policy
from trainhub.core.errors import N_, NotFound
from trainhub.core.regions import Region
from trainhub.extensions import db

NOT_FOUND = N_("The page or record was not found, or it is outside your scope.")


def _entry_options() -> list[Any]:
    return [selectinload(Entry.members).selectinload(EntryMember.person),
            selectinload(Entry.delegation)]


def competition(competition_id: int, action: str) -> Competition:
    found = db.session.get(Competition, competition_id, options=[
        selectinload(Competition.events),
        selectinload(Competition.arbitrators).selectinload(Arbitrator.user)])
    if found is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found)
    return found


def competitions() -> Sequence[Competition]:
    """Every competition, newest first: officers of every city register for them."""
    return db.session.scalars(select(Competition).options(selectinload(Competition.events))
                              .order_by(Competition.starts_on.desc(), Competition.id)).all()


def event(event_id: int, action: str) -> Event:
    """An event with its competition (and arbitration group), scheme, entries and their
    people, and its judges."""
    found = db.session.get(Event, event_id, options=[
        selectinload(Event.competition).selectinload(Competition.arbitrators),
        selectinload(Event.aspects),
        selectinload(Event.entries).options(*_entry_options()),
        selectinload(Event.assignments).selectinload(Assignment.judge)
        .selectinload(Judge.user)])
    if found is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found)
    return found


def entry(entry_id: int) -> Entry:
    """An entry with its event (and that event's competition) and its delegation; the view
    checks the permission, which depends on the action."""
    found = db.session.get(Entry, entry_id, options=[
        *_entry_options(),
        selectinload(Entry.event).selectinload(Event.competition)])
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


@dataclass(frozen=True)
class City:
    """The delegation a city would send, before it has entered anyone: what the
    competitions.register rule checks (the region) and what the page shows (the name)."""

    region_code: str
    name: str


def city(region_code: str) -> City:
    """A city of the province, by its 4-digit code (counties register through their city)."""
    found = db.session.get(Region, region_code) if len(region_code) == 4 else None
    if found is None:
        raise NotFound(NOT_FOUND)
    return City(found.code, found.name)


def delegation(made: Competition, city_code: str) -> Delegation | None:
    return db.session.scalar(select(Delegation).where(
        Delegation.competition_id == made.id, Delegation.region_code == city_code))


def entries_of(made: Competition, delegation_id: int | None = None) -> Sequence[Entry]:
    """The competition's entries (or one delegation's), with people and delegations."""
    stmt = (select(Entry).join(Event, Event.id == Entry.event_id)
            .where(Event.competition_id == made.id).options(*_entry_options())
            .order_by(Entry.event_id, Entry.delegation_id, Entry.id))
    if delegation_id is not None:
        stmt = stmt.where(Entry.delegation_id == delegation_id)
    return db.session.scalars(stmt).all()


def delegations_of(made: Competition) -> Sequence[Delegation]:
    return db.session.scalars(select(Delegation).where(Delegation.competition_id == made.id)
                              .order_by(Delegation.region_code)).all()


def judges() -> Sequence[Judge]:
    return db.session.scalars(select(Judge).options(selectinload(Judge.user))
                              .order_by(Judge.home_region_code, Judge.name)).all()


def cities() -> Sequence[Region]:
    return db.session.scalars(select(Region).where(Region.level == "city")
                              .order_by(Region.code)).all()
