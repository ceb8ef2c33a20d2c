"""What waits for a user in competitions, for their home page: one aggregate statement each.
The organiser's scope is `competitions.organise` (an officer covering the competition's
region), read in SQL through the policy's own region condition."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select

from trainhub.competitions.catalog import ACTIVE_ENTRY, EntryStatus, EventStatus
from trainhub.competitions.models import (
    Appeal,
    Arbitrator,
    Assignment,
    Competition,
    Entry,
    EntryMember,
    Event,
    Judge,
    Result,
)
from trainhub.core import policy
from trainhub.extensions import db


def _organised(user: Any) -> Any:
    return policy.in_region().clause(user, Competition)


@dataclass(frozen=True)
class Organiser:
    to_confirm: int  # entries registered by the cities, awaiting the organiser
    appeals: int  # appeals not yet decided


def for_officer(user: Any) -> Organiser:
    to_confirm = (
        select(func.count())
        .select_from(Entry)
        .join(Event, Event.id == Entry.event_id)
        .join(Competition, Competition.id == Event.competition_id)
        .where(
            _organised(user),
            Entry.status == EntryStatus.REGISTERED.value,
            Event.status == EventStatus.OPEN.value,
        )
        .scalar_subquery()
    )
    appeals = (
        select(func.count())
        .select_from(Appeal)
        .join(Event, Event.id == Appeal.event_id)
        .join(Competition, Competition.id == Event.competition_id)
        .where(_organised(user), Appeal.decision.is_(None))
        .scalar_subquery()
    )
    row = db.session.execute(select(to_confirm, appeals)).one()
    return Organiser(int(row[0]), int(row[1]))


@dataclass(frozen=True)
class Judging:
    to_mark: int  # events assigned whose marking is open
    to_lock: int  # of those, the events the user leads as chief judge
    appeals: int  # appeals to answer as a member of the arbitration group


def for_judge(user: Any) -> Judging:
    drawn = Event.status == EventStatus.DRAWN.value
    assigned = (
        select(
            func.count().filter(drawn), func.count().filter(and_(drawn, Assignment.chief.is_(True)))
        )
        .select_from(Assignment)
        .join(Event, Event.id == Assignment.event_id)
        .join(Judge, Judge.id == Assignment.judge_id)
        .where(Judge.user_id == user.id)
    )
    appeals = (
        select(func.count())
        .select_from(Appeal)
        .join(Event, Event.id == Appeal.event_id)
        .join(Arbitrator, Arbitrator.competition_id == Event.competition_id)
        .where(Arbitrator.user_id == user.id, Appeal.decision.is_(None))
        .scalar_subquery()
    )
    row = db.session.execute(assigned.add_columns(appeals)).one()
    return Judging(int(row[0]), int(row[1]), int(row[2]))


@dataclass(frozen=True)
class Contestant:
    entries: int  # active entries (registered or confirmed)
    results: int  # published results


def for_trainee(person_id: int) -> Contestant:
    mine = (
        select(Entry.id)
        .join(EntryMember, EntryMember.entry_id == Entry.id)
        .where(EntryMember.person_id == person_id)
    )
    entries = (
        select(func.count())
        .select_from(Entry)
        .where(
            Entry.id.in_(mine),
            Entry.status.in_([s.value for s in ACTIVE_ENTRY]),
        )
        .scalar_subquery()
    )
    results = (
        select(func.count()).select_from(Result).where(Result.entry_id.in_(mine)).scalar_subquery()
    )
    row = db.session.execute(select(entries, results)).one()
    return Contestant(int(row[0]), int(row[1]))
