"""A person's competitions in the timeline of their page (core.people.timeline): each
entry (alone or in a team) with its event and state, and each published result with its
rank, award and any selection for a higher competition. One statement however many there
are."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from trainhub.competitions import selection
from trainhub.competitions.catalog import EventStatus
from trainhub.competitions.models import (
    Competition,
    Entry,
    EntryMember,
    Event,
    Result,
    Selection,
)
from trainhub.core import policy
from trainhub.core.accounts.models import User
from trainhub.core.people import timeline
from trainhub.core.people.models import Person
from trainhub.extensions import db

ENTRY = "competitions/_timeline_entry.html"
RESULT = "competitions/_timeline_result.html"


@timeline.source
def lines(person: Person, viewer: User) -> list[timeline.Line]:
    rows = db.session.execute(
        select(Entry.status, Entry.registered_at, Event.id.label("event_id"),
               Event.name.label("event"), Event.status.label("event_status"),
               Event.published_at, Competition.name.label("competition"),
               Result.rank, Result.award, Selection.level.label("selected_for"),
               Selection.reason.label("selection_reason"))
        .join(EntryMember, EntryMember.entry_id == Entry.id)
        .join(Event, Event.id == Entry.event_id)
        .join(Competition, Competition.id == Event.competition_id)
        .outerjoin(Result, Result.entry_id == Entry.id)
        .outerjoin(Selection, Selection.result_id == Result.id)
        .where(EntryMember.person_id == person.id)
        .order_by(Entry.registered_at.desc(), Entry.id.desc())
        .limit(timeline.LIMIT)).all()
    own = timeline.is_self(person, viewer)
    # every officer sees every event (cities register); published results are public
    organiser = not own and policy.may(viewer, "competitions.view")
    found = []
    for row in rows:
        published = row.event_status == EventStatus.PUBLISHED.value
        href: str | None
        if organiser:
            href = url_for("competitions.event", event_id=row.event_id)
        elif published:
            href = url_for("competitions.event_results", event_id=row.event_id)
        else:
            href = url_for("competitions.my_results") if own else None
        facts = {"event": row.event, "competition": row.competition}
        found.append(timeline.Line(row.registered_at, ENTRY, href,
                                   {**facts, "status": row.status}))
        if row.rank is not None and row.published_at is not None:
            results = url_for("competitions.event_results", event_id=row.event_id)
            found.append(timeline.Line(row.published_at, RESULT, results,
                                       {**facts, "rank": row.rank, "award": row.award,
                                        "selected_for": selection.LEVELS.get(
                                            row.selected_for or ""),
                                        "selection_reason": row.selection_reason}))
    return found
