"""What the chief judge reviews before locking an event: the marks still missing (by entry
code), the open disagreement flags with each judge's mark, and the resolutions recorded.
Entries are named by station and code; names are decoded only after the lock.

What is missing and flagged is worked out over every mark of the event (38,000 at province
scale: ~55 ms a request), so it is kept per process as the live scoreboard keeps its board
(live_board, issue 13): keyed by the event's `marks_version`, which the database's triggers
move on every change to its marks, entries, resolutions and judge assignments, with its draw
and the disagreement limits in force. Who may mark an entry also follows the contestants'
enrolments (conflicts of interest), which no trigger watches: a check is kept at most
MAX_AGE seconds, so such a change shows within that time. The lock always checks afresh
(marking.lock). Only the rows of the page shown are built from the kept check."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import overload

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

    def by_aspect(self, no_judge: str | None = None) -> list[tuple[Aspect, list[str | None]]]:
        """The missing marks by aspect code, each with its judges (None: see Missing;
        `no_judge` in its place if given, so that a page joins the names in one filter)."""
        found: dict[str, tuple[Aspect, list[str | None]]] = {}
        for item in self.missing:
            found.setdefault(item.aspect.code, (item.aspect, []))[1].append(
                item.judge if no_judge is None else item.judge or no_judge)
        return [found[code] for code in sorted(found)]


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
class _Checked:
    """The pure outcome of one check, kept between requests: what is missing by entry id
    (by station, each (aspect code, judge id or None)), and the open flags."""

    missing: tuple[tuple[int, tuple[tuple[str, int | None], ...]], ...]
    missing_count: int
    unexpected: int
    flags: tuple[scoring.Flag, ...]


class MissingRows(Sequence[MissingByEntry]):
    """The entries with a mark missing, by station, each row built when it is read: a page
    shows 50 of a thousand."""

    def __init__(self, items: tuple[tuple[int, tuple[tuple[str, int | None], ...]], ...],
                 entries: dict[int, Entry], aspects: dict[str, Aspect],
                 judges: dict[int, str]) -> None:
        self._items, self._entries, self._aspects, self._judges = \
            items, entries, aspects, judges

    def __len__(self) -> int:
        return len(self._items)

    def _row(self, item: tuple[int, tuple[tuple[str, int | None], ...]]) -> MissingByEntry:
        entry_id, cells = item
        return MissingByEntry(self._entries[entry_id], tuple(
            Missing(self._aspects[code], self._judges.get(j) if j is not None else None)
            for code, j in cells))

    @overload
    def __getitem__(self, index: int) -> MissingByEntry: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[MissingByEntry, ...]: ...

    def __getitem__(self, index: int | slice) -> MissingByEntry | tuple[MissingByEntry, ...]:
        if isinstance(index, slice):
            return tuple(self._row(item) for item in self._items[index])
        return self._row(self._items[index])

    def __iter__(self) -> Iterator[MissingByEntry]:
        return (self._row(item) for item in self._items)


@dataclass(frozen=True)
class Review:
    missing: Sequence[MissingByEntry]
    missing_count: int
    unexpected: int
    flags: tuple[FlagRow, ...]
    resolutions: tuple[ResolutionRow, ...]

    @property
    def ready(self) -> bool:
        return not self.missing_count and not self.unexpected and not self.flags


def _station(entry: Entry) -> int:
    return entry.station_no or 0


MAX_AGE = 30.0
MAX_CHECKS = 32
_checks: OrderedDict[tuple[object, ...], tuple[float, _Checked]] = OrderedDict()
_lock = threading.Lock()


def _check(event: Event, entries: dict[int, Entry],
           clock: Callable[[], float] = time.monotonic, *,
           version: int | None = None) -> _Checked:
    """What is missing and flagged, from the cache while its inputs stay the same
    (`version`: the event's marks_version as read this request, before anything changed)."""
    wsos, percent, _trim = marking.thresholds(event)
    if version is None:
        version = marking.marks_version(event)
    key = (event.id, event.draw_seed, version, wsos, percent)
    now = clock()
    with _lock:
        kept = _checks.get(key)
        if kept is not None and now - kept[0] < MAX_AGE:
            _checks.move_to_end(key)
            return kept[1]
    check = marking.completeness(event)
    grouped: dict[int, list[tuple[str, int | None]]] = {}
    for item in check.missing:
        grouped.setdefault(int(item.entry_id), []).append(
            (item.aspect_id, int(item.judge_id) if item.judge_id is not None else None))
    missing = tuple(sorted(((e, tuple(m)) for e, m in grouped.items()),
                           key=lambda row: _station(entries[row[0]])))
    made = _Checked(missing, len(check.missing), len(check.unexpected),
                    tuple(marking.open_flags(event)))
    with _lock:
        _checks[key] = (now, made)
        _checks.move_to_end(key)
        while len(_checks) > MAX_CHECKS:
            _checks.popitem(last=False)
    return made


def forget() -> None:
    """Empty the cache (tests; a deployment never needs to)."""
    with _lock:
        _checks.clear()


def review(event: Event, version: int | None = None) -> Review:
    """`version`: the event's marks_version if the caller has just read it and changed
    nothing since (a page that only reads loads it with the event: one statement fewer)."""
    entries = {e.id: e for e in event.entries}
    aspects = {a.code: a for a in event.aspects}
    judges = {a.judge_id: a.judge.name for a in event.assignments}
    check = _check(event, entries, version=version)
    flags = sorted((FlagRow(f, entries[int(f.entry_id)], aspects[f.aspect_id],
                            tuple(sorted(((judges.get(int(j), str(j)), v) for j, v in f.marks),
                                         key=lambda pair: (pair[1], pair[0]))))
                    for f in check.flags),
                   key=lambda row: (_station(row.entry), row.aspect.position))
    return Review(MissingRows(check.missing, entries, aspects, judges), check.missing_count,
                  check.unexpected, tuple(flags), tuple(_resolutions(event, entries)))


def _resolutions(event: Event, entries: dict[int, Entry]) -> list[ResolutionRow]:
    aspects = {a.id: a for a in event.aspects}
    if not entries:
        return []
    # by the event's id, not a list of its entries' (a thousand parameters at province scale)
    rows = db.session.scalars(select(Resolution).join(Entry, Entry.id == Resolution.entry_id)
                              .where(Entry.event_id == event.id).order_by(Resolution.id))
    return [ResolutionRow(r, entries[r.entry_id], aspects[r.aspect_id]) for r in rows]


def open_flag(event: Event, entry_id: int, aspect_code: str) -> scoring.Flag:
    """The open flag of one (entry, aspect); gone when resolved or the marks changed."""
    found = next((f for f in marking.open_flags(event)
                  if int(f.entry_id) == entry_id and f.aspect_id == aspect_code), None)
    if found is None:
        raise Conflict(N_("This disagreement is no longer open: it was resolved, or the "
                          "marks have changed. Check the list again."))
    return found
