"""What the results pages and documents show: the frozen results of a published event, the
public log of corrections, the appeals of an event, and a contestant's own results. Reads
only; every figure comes from `results` (standings, publication) and `marking`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainhub.competitions import marking
from trainhub.competitions.catalog import EventStatus
from trainhub.competitions.models import (
    Appeal,
    Aspect,
    Correction,
    Entry,
    EntryMember,
    Event,
    Mark,
    Result,
)
from trainhub.extensions import db


def names_of(entry: Entry) -> str:
    """The contestants of an entry (a team's members joined), for decoded pages only."""
    return "、".join(m.person.name for m in entry.members)


@dataclass(frozen=True)
class PublishedLine:
    result: Result
    entry: Entry
    marks: tuple[Decimal | None, ...]  # in the order of the event's aspects


def published_lines(event: Event) -> list[PublishedLine]:
    """The frozen results, by rank then station; the event comes loaded with its entries
    and names, so this is one query."""
    entries = {e.id: e for e in event.entries}
    rows = db.session.scalars(select(Result).where(Result.event_id == event.id)
                              .order_by(Result.rank, Result.entry_id))
    lines = []
    for row in rows:
        marks = tuple(None if (mark := row.breakdown.get(a.code)) is None else Decimal(mark)
                      for a in event.aspects)
        lines.append(PublishedLine(row, entries[row.entry_id], marks))
    return sorted(lines, key=lambda line: (line.result.rank, line.entry.station_no or 0))


@dataclass(frozen=True)
class LoggedCorrection:
    correction: Correction
    entry: Entry
    aspect: Aspect
    judge: str | None  # None: the measurement, entered once for the entry


def corrections_log(event: Event) -> list[LoggedCorrection]:
    """Every correction of the event with the mark it changes (two queries)."""
    entries = {e.id: e for e in event.entries}
    aspects = {a.id: a for a in event.aspects}
    judges = {a.judge_id: a.judge.name for a in event.assignments}
    found = marking.corrections(event)
    marks = {m.id: m for m in db.session.scalars(
        select(Mark).where(Mark.id.in_([c.mark_id for c in found])))} if found else {}
    log = []
    for item in found:
        mark = marks[item.mark_id]
        judge = None if mark.slot == marking.MEASUREMENT_SLOT else judges.get(mark.judge_id)
        log.append(LoggedCorrection(item, entries[mark.entry_id], aspects[mark.aspect_id],
                                    judge))
    return log


@dataclass(frozen=True)
class MarkChoice:
    """A locked mark a correction may change, named for the person asking for it."""

    mark: Mark
    entry: Entry
    aspect: Aspect
    judge: str | None


def locked_marks(event: Event) -> list[MarkChoice]:
    """The event's submitted marks, by station, aspect and judge (one query)."""
    entries = {e.id: e for e in event.entries}
    aspects = {a.id: a for a in event.aspects}
    judges = {a.judge_id: a.judge.name for a in event.assignments}
    rows = db.session.scalars(select(Mark).join(Entry, Entry.id == Mark.entry_id).where(
        Entry.event_id == event.id, Mark.submitted_at.is_not(None)))
    choices = [MarkChoice(m, entries[m.entry_id], aspects[m.aspect_id],
                          None if m.slot == marking.MEASUREMENT_SLOT else judges.get(m.judge_id))
               for m in rows if m.entry_id in entries]
    return sorted(choices, key=lambda c: (c.entry.station_no or 0, c.aspect.position,
                                          c.judge or ""))


def appeals_of(event: Event, delegation_id: int | None = None) -> list[Appeal]:
    """The event's appeals, oldest first; only one delegation's when given."""
    stmt = select(Appeal).where(Appeal.event_id == event.id).order_by(Appeal.filed_at,
                                                                       Appeal.id)
    if delegation_id is not None:
        stmt = stmt.join(Entry, Entry.id == Appeal.entry_id).where(
            Entry.delegation_id == delegation_id)
    return list(db.session.scalars(stmt))


def person_results(person_id: int | None) -> Sequence[Result]:
    """A contestant's published results, newest first."""
    return db.session.scalars(
        select(Result).join(Entry, Entry.id == Result.entry_id)
        .join(EntryMember, EntryMember.entry_id == Entry.id)
        .join(Event, Event.id == Entry.event_id)
        .where(EntryMember.person_id == person_id,
               Event.status == EventStatus.PUBLISHED.value)
        .options(selectinload(Result.entry).selectinload(Entry.event)
                 .selectinload(Event.competition),
                 selectinload(Result.entry).selectinload(Entry.delegation),
                 selectinload(Result.selection))
        .order_by(Event.published_at.desc(), Result.id)).all()


def person_entries(person_id: int | None) -> Sequence[Entry]:
    """A contestant's entries of every competition, newest first: how each stands, and why
    an event was cancelled (its entrants are told here)."""
    return db.session.scalars(
        select(Entry).join(EntryMember, EntryMember.entry_id == Entry.id)
        .where(EntryMember.person_id == person_id)
        .options(selectinload(Entry.event).selectinload(Event.competition),
                 selectinload(Entry.delegation))
        .order_by(Entry.registered_at.desc(), Entry.id.desc())).all()


def published_events(events: Sequence[Event]) -> list[Event]:
    return [e for e in events if e.status == EventStatus.PUBLISHED]
