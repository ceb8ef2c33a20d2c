"""Load what the judging, results and output pages need, eagerly (no query per row), then
check the permission on the loaded object (404 before 403)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from trainhub.competitions.catalog import EntryStatus, EventStatus
from trainhub.competitions.models import (
    Appeal,
    Assignment,
    Competition,
    Correction,
    Delegation,
    Entry,
    EntryMember,
    Event,
    Judge,
    Mark,
    Result,
)
from trainhub.core import policy
from trainhub.core.errors import N_, NotFound
from trainhub.extensions import db

NOT_FOUND = N_("The page or record was not found, or it is outside your scope.")
NOT_PUBLISHED = N_("The results of this event are not published yet.")


def _event_options(with_names: bool, with_entries: bool = True) -> list[Any]:
    # an assignment's judge and the event's competition (one row each) joined into the
    # statements that read them: two round trips fewer on every judging page (issue 13)
    options = [selectinload(Event.aspects),
               selectinload(Event.assignments).joinedload(Assignment.judge),
               joinedload(Event.competition).selectinload(Competition.arbitrators)]
    if with_entries:
        entries = selectinload(Event.entries)
        members = entries.selectinload(Entry.members)
        options.append(entries.selectinload(Entry.delegation))
        # Names are loaded only for pages that may show them: a judge's page never has them.
        options.append(members.selectinload(EntryMember.person) if with_names else members)
    return options


def event(event_id: int, action: str, *, with_names: bool = False,
          with_entries: bool = True) -> Event:
    """The event with what its pages read; without its entries for a page that may not
    need them (the scoreboard, when its board is cached: `load_entries` when it does)."""
    found = db.session.get(Event, event_id, options=_event_options(with_names, with_entries))
    if found is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found)
    return found


def load_entries(found: Event, *, with_names: bool, with_members: bool = True) -> list[Entry]:
    """Fill the event's entries (with delegations, members and, when wanted, the members'
    names) in three or four queries, whatever their number; in one, the entries alone, for
    a page that shows only their stations and codes (`with_members=False`)."""
    entries = selectinload(Entry.members)
    stmt = select(Entry).where(Entry.event_id == found.id).order_by(Entry.id)
    if with_members:
        stmt = stmt.options(selectinload(Entry.delegation),
                            entries.selectinload(EntryMember.person) if with_names
                            else entries)
    rows = list(db.session.scalars(stmt))
    set_committed_value(found, "entries", rows)
    return rows


def published_event(event_id: int) -> Event:
    """The public results: an unpublished event is not there yet (404, with why)."""
    found = db.session.get(Event, event_id, options=_event_options(True))
    if found is None:
        raise NotFound(NOT_FOUND)
    if found.status != EventStatus.PUBLISHED:
        raise NotFound(NOT_PUBLISHED)
    return found


def entry_by_code(found: Event, code: str) -> Entry:
    entry = next((e for e in found.entries
                  if e.code == code and e.status == EntryStatus.CONFIRMED), None)
    if entry is None:
        raise NotFound(NOT_FOUND)
    return entry


def judge_events(user: Any) -> list[tuple[Event, Assignment]]:
    """The events a judge is assigned to, newest competition first."""
    rows = db.session.execute(
        select(Event, Assignment).join(Assignment, Assignment.event_id == Event.id)
        .join(Judge, Judge.id == Assignment.judge_id).where(Judge.user_id == user.id)
        .options(selectinload(Event.competition))
        .order_by(Event.competition_id.desc(), Event.id))
    return [(e, a) for e, a in rows]


def correction(correction_id: int, action: str) -> tuple[Event, Correction]:
    found = db.session.get(Correction, correction_id)
    if found is None:
        raise NotFound(NOT_FOUND)
    event_id = db.session.scalar(select(Entry.event_id).join(Mark, Mark.entry_id == Entry.id)
                                 .where(Mark.id == found.mark_id))
    if event_id is None:
        raise NotFound(NOT_FOUND)
    return event(event_id, action, with_names=True), found


def appeal(appeal_id: int, action: str) -> tuple[Event, Appeal]:
    found = db.session.get(Appeal, appeal_id)
    if found is None:
        raise NotFound(NOT_FOUND)
    return event(found.event_id, action, with_names=True), found


def own_delegation(found: Event, user: Any) -> Delegation:
    """The delegation of the officer's city at the event's competition."""
    delegation = db.session.scalar(select(Delegation).where(
        Delegation.competition_id == found.competition_id,
        Delegation.region_code == (user.region_code or "")))
    if delegation is None:
        raise NotFound(NOT_FOUND)
    policy.require(user, "competitions.register", delegation)
    return delegation


def result(result_id: int, action: str) -> Result:
    found = db.session.get(Result, result_id, options=[
        selectinload(Result.entry).selectinload(Entry.members)
        .selectinload(EntryMember.person),
        selectinload(Result.entry).selectinload(Entry.delegation),
        selectinload(Result.entry).selectinload(Entry.event)
        .selectinload(Event.competition)])
    if found is None or found.verification_code is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found)
    return found


def competition(competition_id: int) -> Competition:
    found = db.session.get(Competition, competition_id,
                           options=[selectinload(Competition.events)])
    if found is None:
        raise NotFound(NOT_FOUND)
    return found
