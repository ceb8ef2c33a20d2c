"""What the chief judge reviews before locking an event: the marks still missing (by entry
code), the open disagreement flags with each judge's mark, and the resolutions recorded.
Entries are named by station and code; names are decoded only after the lock."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from trainhub.competitions import marking, scoring
from trainhub.competitions.models import Aspect, Entry, Event, Resolution
from trainhub.core.errors import N_, Conflict
from trainhub.extensions import db


@dataclass(frozen=True)
class Missing:
    aspect: Aspect
    judge: str | None  # None: a measurement (any judge), or no judge can mark the entry


@dataclass(frozen=True)
class MissingByEntry:
    entry: Entry
    missing: tuple[Missing, ...]


@dataclass(frozen=True)
class FlagRow:
    flag: scoring.Flag
    entry: Entry
    aspect: Aspect
    marks: tuple[tuple[str, Decimal], ...]  # (judge name, mark), lowest first


@dataclass(frozen=True)
class ResolutionRow:
    resolution: Resolution
    entry: Entry
    aspect: Aspect


@dataclass(frozen=True)
class Review:
    missing: tuple[MissingByEntry, ...]
    missing_count: int
    unexpected: int
    flags: tuple[FlagRow, ...]
    resolutions: tuple[ResolutionRow, ...]

    @property
    def ready(self) -> bool:
        return not self.missing_count and not self.unexpected and not self.flags


def _station(entry: Entry) -> int:
    return entry.station_no or 0


def review(event: Event) -> Review:
    entries = {e.id: e for e in event.entries}
    aspects = {a.code: a for a in event.aspects}
    judges = {a.judge_id: a.judge.name for a in event.assignments}
    check = marking.completeness(event)
    grouped: dict[int, list[Missing]] = {}
    for item in check.missing:
        judge = judges.get(int(item.judge_id)) if item.judge_id is not None else None
        grouped.setdefault(int(item.entry_id), []).append(
            Missing(aspects[item.aspect_id], judge))
    missing = sorted((MissingByEntry(entries[e], tuple(m)) for e, m in grouped.items()),
                     key=lambda row: _station(row.entry))
    flags = sorted((FlagRow(f, entries[int(f.entry_id)], aspects[f.aspect_id],
                            tuple(sorted(((judges.get(int(j), str(j)), v) for j, v in f.marks),
                                         key=lambda pair: (pair[1], pair[0]))))
                    for f in marking.open_flags(event)),
                   key=lambda row: (_station(row.entry), row.aspect.position))
    return Review(tuple(missing), len(check.missing), len(check.unexpected), tuple(flags),
                  tuple(_resolutions(event, entries)))


def _resolutions(event: Event, entries: dict[int, Entry]) -> list[ResolutionRow]:
    aspects = {a.id: a for a in event.aspects}
    if not entries:
        return []
    rows = db.session.scalars(select(Resolution).where(
        Resolution.entry_id.in_(list(entries))).order_by(Resolution.id))
    return [ResolutionRow(r, entries[r.entry_id], aspects[r.aspect_id]) for r in rows]


def open_flag(event: Event, entry_id: int, aspect_code: str) -> scoring.Flag:
    """The open flag of one (entry, aspect); gone when resolved or the marks changed."""
    found = next((f for f in marking.open_flags(event)
                  if int(f.entry_id) == entry_id and f.aspect_id == aspect_code), None)
    if found is None:
        raise Conflict(N_("This disagreement is no longer open: it was resolved, or the "
                          "marks have changed. Check the list again."))
    return found
