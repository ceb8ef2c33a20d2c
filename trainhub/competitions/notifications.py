"""What the competitions domain tells contestants: an entry confirmed or refused, results
published, an appeal decided (also to the officer who filed it). Its notification kinds
(templates) and the listeners of its own signals, connected by `connect()` from the
domain's setup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from trainhub.competitions import signals
from trainhub.competitions.models import Appeal, Entry, EntryMember, Event
from trainhub.core.errors import N_
from trainhub.core.notifications import kinds
from trainhub.core.notifications.service import (
    notify,
    notify_people,
    notify_people_each,
    path_for,
)
from trainhub.core.sets import chunks
from trainhub.extensions import db

EVENT = ("competition", "event")
kinds.register("competition.entry_confirmed", N_("Your competition entry was confirmed"),
               N_("Your entry in %(event)s of %(competition)s has been confirmed."), EVENT)
kinds.register("competition.entry_refused", N_("Your competition entry was refused"),
               N_("Your entry in %(event)s of %(competition)s was refused. The reason is "
                  "given by your city's federation."), EVENT)
kinds.register("competition.results_published", N_("Competition results published"),
               N_("The results of %(event)s of %(competition)s are published: you ranked "
                  "%(rank)s."), (*EVENT, "rank"))

kinds.register("competition.appeal_upheld", N_("Your appeal was upheld"),
               N_("The arbitration group upheld the appeal about %(event)s of "
                  "%(competition)s. Its reasons are on the appeal page."), EVENT)
kinds.register("competition.appeal_dismissed", N_("Your appeal was dismissed"),
               N_("The arbitration group dismissed the appeal about %(event)s of "
                  "%(competition)s. Its reasons are on the appeal page."), EVENT)


def _names(event: Event) -> dict[str, Any]:
    return {"competition": event.competition.name, "event": event.name}


def _members(entry_ids: Sequence[int]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for part in chunks(entry_ids, 500):
        found += [(entry_id, person_id) for entry_id, person_id in db.session.execute(
            select(EntryMember.entry_id, EntryMember.person_id)
            .where(EntryMember.entry_id.in_(part)))]
    return found


def on_entry_decided(entry: Entry, confirmed: bool, **_: Any) -> None:
    kind = "competition.entry_confirmed" if confirmed else "competition.entry_refused"
    notify_people([person for _, person in _members([entry.id])], kind,
                  _names(entry.event), path_for("competitions.my_results"))


def on_results_published(event: Event, published: Sequence[Any], **_: Any) -> None:
    rank = {line.entry_id: line.rank for line in published}
    names = _names(event)
    notify_people_each("competition.results_published", [
        (person, {**names, "rank": rank[entry_id]})
        for entry_id, person in _members(sorted(rank))], path_for("competitions.my_results"))


def on_appeal_decided(appeal: Appeal, event: Event, upheld: bool, **_: Any) -> None:
    """The delegation's officer who filed it reads the reasons on the appeal page; the
    contestants are told on their results page."""
    kind = "competition.appeal_upheld" if upheld else "competition.appeal_dismissed"
    names = _names(event)
    notify([appeal.filed_by_id], kind, names,
           path_for("competitions.appeal_form", event_id=event.id))
    notify_people([person for _, person in _members([appeal.entry_id])], kind, names,
                  path_for("competitions.my_results"))


def connect() -> None:
    signals.entry_decided.connect(on_entry_decided)
    signals.results_published.connect(on_results_published)
    signals.appeal_decided.connect(on_appeal_decided)
