"""The delegation table (代表队): for each city delegation, its entries in each event with
their status, and each event's entries against the quota. Built from rows already loaded
(the competition's events, delegations and entries), so its cost does not grow with them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from trainhub.competitions.catalog import ACTIVE_ENTRY, EntryStatus
from trainhub.competitions.models import Delegation, Entry, Event


@dataclass(frozen=True)
class Cell:
    """One delegation's entries in one event."""

    event: Event
    entries: list[Entry] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(e.status for e in self.entries)

    @property
    def active(self) -> int:
        """Entries that take a place of the quota (registered or confirmed)."""
        return sum(1 for e in self.entries if e.status in ACTIVE_ENTRY)

    @property
    def places_left(self) -> int:
        return max(0, self.event.quota - self.active)


@dataclass(frozen=True)
class Row:
    delegation: Delegation
    cells: list[Cell]

    @property
    def active(self) -> int:
        return sum(c.active for c in self.cells)


@dataclass(frozen=True)
class Total:
    """One event across delegations."""

    event: Event
    active: int
    confirmed: int
    delegations: int  # with at least one active entry


@dataclass(frozen=True)
class DelegationTable:
    events: list[Event]
    rows: list[Row]
    totals: list[Total]


def delegation_table(events: Sequence[Event], delegations: Sequence[Delegation],
                     entries: Sequence[Entry]) -> DelegationTable:
    by_cell: dict[tuple[int, int], list[Entry]] = {}
    for entry in entries:
        by_cell.setdefault((entry.delegation_id, entry.event_id), []).append(entry)
    rows = [Row(d, [Cell(e, by_cell.get((d.id, e.id), [])) for e in events])
            for d in delegations]
    totals = []
    for index, event in enumerate(events):
        cells = [row.cells[index] for row in rows]
        totals.append(Total(event, sum(c.active for c in cells),
                            sum(c.counts[EntryStatus.CONFIRMED.value] for c in cells),
                            sum(1 for c in cells if c.active)))
    return DelegationTable(list(events), rows, totals)


def cells_of(events: Sequence[Event], entries: Sequence[Entry]) -> list[Cell]:
    """One delegation's cells (its entries already chosen), in event order."""
    by_event: dict[int, list[Entry]] = {}
    for entry in entries:
        by_event.setdefault(entry.event_id, []).append(entry)
    return [Cell(e, by_event.get(e.id, [])) for e in events]
