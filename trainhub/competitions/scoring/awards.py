"""Cancelled events, awards by bands or by ratio, and the delegation medal table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ._common import N_, Key, Reason, ScoringError, round_half_up
from .results import Standing

# The names of the shipped award bands, in order of merit; a medal table's columns.
AWARD_NAMES = ("一等奖", "二等奖", "三等奖")


def event_cancelled(entry_count: int, min_entries: int) -> bool:
    """An event with fewer than `min_entries` entries does not take place."""
    return entry_count < min_entries


@dataclass(frozen=True)
class AwardBand:
    """For events of `min_entries`..`max_entries` entries (None: no upper limit), the awards
    handed out in rank order: the entry ranked n receives `awards[n - 1]`. One name per place,
    so the shipped bands give one 一等奖, one 二等奖 and one 三等奖; a name listed twice is
    given twice."""

    min_entries: int
    max_entries: int | None
    awards: tuple[str, ...]

    def covers(self, entry_count: int) -> bool:
        return self.min_entries <= entry_count and (
            self.max_entries is None or entry_count <= self.max_entries)


def award_bands(value: Iterable[Any]) -> tuple[AwardBand, ...]:
    """Bands from the `competitions.award_bands` parameter value, a JSON list of
    {min_entries, max_entries, awards} (its shape is checked where it is saved)."""
    return tuple(AwardBand(int(b["min_entries"]),
                           None if b.get("max_entries") is None else int(b["max_entries"]),
                           tuple(b["awards"])) for b in value)


@dataclass(frozen=True)
class Award:
    entry_id: Key
    rank: int
    award: str


def _award_places(standings: Sequence[Standing], award_for_rank: Sequence[str],
                  ) -> tuple[Award, ...]:
    # By rank, not by position: entries sharing a rank share its award, and the places a
    # tie takes up are not awarded again (1, 1, 3: two firsts, no second, one third).
    return tuple(Award(s.entry_id, s.rank, award_for_rank[s.rank - 1])
                 for s in standings if s.rank <= len(award_for_rank))


def awards_by_bands(standings: Sequence[Standing], bands: Iterable[AwardBand],
                    ) -> tuple[Award, ...]:
    """Awards of an event ranked `standings`, by the band covering its number of entries
    (none when no band does). A tie on the last awarded place gives that award to all tied."""
    band = next((b for b in bands if b.covers(len(standings))), None)
    return () if band is None else _award_places(standings, band.awards)


def awards_by_ratio(standings: Sequence[Standing], ratios: Sequence[tuple[str, Decimal]],
                    ) -> tuple[Award, ...]:
    """Awards as shares of the entries, e.g. [("一等奖", 10), ("二等奖", 20), ("三等奖", 30)]
    (percent). The places awarded are cumulative: entries × (10%, 30%, 60%), each rounded half
    up, so the rounding of one award never shifts the others; an award whose share rounds to no
    place is not given. Ties share an award as with bands."""
    if any(share < 0 for _, share in ratios) or sum(s for _, s in ratios) > 100:
        raise ScoringError(Reason("bad_ratios", N_("Award shares must each be between 0 and "
                                  "100 percent and add up to at most 100 percent.")))
    count, cumulative, cut_offs = len(standings), Fraction(0), []
    for name, share in ratios:
        cumulative += Fraction(share) / 100
        cut_offs.append((name, int(round_half_up(cumulative * count, 0))))
    award_for_rank: list[str] = []
    for name, places in cut_offs:
        award_for_rank.extend([name] * (places - len(award_for_rank)))
    return _award_places(standings, award_for_rank)


@dataclass(frozen=True)
class MedalRow:
    delegation: str
    counts: tuple[int, ...]  # per award name, in the table's order

    @property
    def total(self) -> int:
        return sum(self.counts)


def medal_table(awards: Iterable[tuple[str, str]], award_names: Sequence[str] = AWARD_NAMES,
                delegations: Iterable[str] = ()) -> tuple[MedalRow, ...]:
    """Rows from (delegation code, award name) pairs: most of the first award, then of the
    second, and so on, then by delegation code. `delegations` adds rows for those without an
    award."""
    column = {name: i for i, name in enumerate(award_names)}
    counts: dict[str, list[int]] = {d: [0] * len(award_names) for d in delegations}
    for delegation, award in awards:
        if award not in column:
            raise ScoringError(Reason("unknown_award", N_("“%(award)s” is not one of the "
                                      "awards of this table."), {"award": award}))
        counts.setdefault(delegation, [0] * len(award_names))[column[award]] += 1
    ordered = sorted(counts.items(), key=lambda item: (tuple(-n for n in item[1]), item[0]))
    return tuple(MedalRow(delegation, tuple(row)) for delegation, row in ordered)
