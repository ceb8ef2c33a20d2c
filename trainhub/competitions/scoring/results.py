"""Totals per entry with their breakdown, and the ranking with its tie-break chain."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ._common import N_, Key, Reason, ScoringError, round_mark
from .scheme import (
    Aspect,
    Mark,
    MarkingScheme,
    Marks,
    exact_aspect_mark,
    marks_by_cell,
    split_trimmed,
)

ZERO = Decimal(0)


@dataclass(frozen=True)
class AspectScore:
    """One aspect of one entry: its rounded mark (None while unmarked) and the trace of the
    judges' marks that counted and that were dropped by trimming."""

    aspect_id: str
    mark: Decimal | None
    counted: tuple[Decimal, ...] = ()
    dropped: tuple[Decimal, ...] = ()


@dataclass(frozen=True)
class EntryScore:
    entry_id: Key
    total: Decimal  # sum of the rounded aspect marks; an unmarked aspect adds nothing
    judgement_total: Decimal
    aspects: tuple[AspectScore, ...]  # in the scheme's order

    @property
    def complete(self) -> bool:
        return all(a.mark is not None for a in self.aspects)

    @property
    def breakdown(self) -> dict[str, Decimal | None]:
        return {a.aspect_id: a.mark for a in self.aspects}

    def mark_on(self, aspect_id: str) -> Decimal:
        for aspect in self.aspects:
            if aspect.aspect_id == aspect_id:
                return aspect.mark if aspect.mark is not None else ZERO
        raise KeyError(aspect_id)


def score_entries(scheme: MarkingScheme, marks: Marks, trim_min_judges: int,
                  entry_ids: Iterable[Key] | None = None) -> tuple[EntryScore, ...]:
    """Scores of `entry_ids` (default: every entry with a mark, in first-seen order).

    Each judgement aspect counts the marks it has; whether every assigned judge has marked is
    `completeness`'s question, asked before locking."""
    cells = marks_by_cell(scheme, marks)
    seen = list(dict.fromkeys(entry for entry, _aspect in cells))
    wanted = seen if entry_ids is None else list(dict.fromkeys(entry_ids))
    strangers = set(seen) - set(wanted)
    if strangers:
        raise ScoringError(Reason("unknown_entry", N_("There are marks for an entry that is "
                                  "not in this event.")))
    return tuple(_score_entry(scheme, entry, cells, trim_min_judges) for entry in wanted)


def _score_entry(scheme: MarkingScheme, entry_id: Key, cells: dict[tuple[Key, str], list[Mark]],
                 trim_min_judges: int) -> EntryScore:
    scores = []
    total = judgement_total = ZERO
    for aspect in scheme.aspects:
        values = [m.value for m in cells.get((entry_id, aspect.id), [])]
        if not values:
            scores.append(AspectScore(aspect.id, None))
            continue
        if aspect.is_judgement:
            counted, dropped = split_trimmed(values, trim_min_judges)
        else:
            counted, dropped = tuple(values), ()
        mark = _rounded_mark(aspect, counted)
        scores.append(AspectScore(aspect.id, mark, counted, dropped))
        total += mark
        if aspect.is_judgement:
            judgement_total += mark
    return EntryScore(entry_id, total, judgement_total, tuple(scores))


@lru_cache(maxsize=8192)
def _rounded_mark(aspect: Aspect, counted: tuple[Decimal, ...]) -> Decimal:
    """Exact arithmetic (fractions) is dear and judges' marks repeat (0–3, halves): an
    event of 1,000 entries has far fewer distinct sets of counted marks than cells."""
    return round_mark(exact_aspect_mark(aspect, counted))


# --- ranking --------------------------------------------------------------------------------

TieBreak = Callable[[EntryScore], Decimal]
DEFAULT_TIE_BREAKS = ("judgement_total", "heaviest_aspect")


def _measurement_total(score: EntryScore) -> Decimal:
    return score.total - score.judgement_total


def _heaviest(scheme: MarkingScheme) -> TieBreak:
    # Several aspects sharing the largest maximum count together (their sum): no listing
    # order of the scheme decides between entries.
    ids = [a.id for a in scheme.heaviest]
    return lambda score: sum((score.mark_on(i) for i in ids), ZERO)


def tie_break(scheme: MarkingScheme, name: str) -> TieBreak:
    """The value compared (higher first) by the tie-break `name`: "judgement_total",
    "measurement_total", "heaviest_aspect", or "aspect:<id>" for one named aspect."""
    if name == "judgement_total":
        return lambda score: score.judgement_total
    if name == "measurement_total":
        return _measurement_total
    if name == "heaviest_aspect":
        return _heaviest(scheme)
    if name.startswith("aspect:"):
        aspect_id = scheme.aspect(name.removeprefix("aspect:")).id
        return lambda score: score.mark_on(aspect_id)
    raise ScoringError(Reason("unknown_tie_break", N_("There is no tie-break called "
                              "“%(name)s”."), {"name": name}))


@dataclass(frozen=True)
class Standing:
    """A place in the ranking. `decided_by` says what set this entry below the one above:
    "total", a tie-break's name, or None for the first entry and for a shared rank."""

    rank: int
    score: EntryScore
    decided_by: str | None

    @property
    def entry_id(self) -> Key:
        return self.score.entry_id

    @property
    def total(self) -> Decimal:
        return self.score.total


def rank_entries(scheme: MarkingScheme, scores: Sequence[EntryScore],
                 tie_breaks: Sequence[str] = DEFAULT_TIE_BREAKS) -> tuple[Standing, ...]:
    """Total descending, then each tie-break in turn; entries equal on all of them share a rank
    and the next rank skips (1, 2, 2, 4). Shared ranks keep the order they were given in."""
    chain = [(name, tie_break(scheme, name)) for name in tie_breaks]
    names = ["total", *(name for name, _ in chain)]

    def key(score: EntryScore) -> tuple[Decimal, ...]:
        return (score.total, *(value(score) for _, value in chain))

    keyed = sorted(((key(s), s) for s in scores), key=lambda pair: pair[0], reverse=True)
    standings: list[Standing] = []
    for position, (values, score) in enumerate(keyed):
        if not standings:
            standings.append(Standing(1, score, None))
            continue
        above = keyed[position - 1][0]
        differs = next((n for n, a, b in zip(names, above, values, strict=True) if a != b), None)
        rank = standings[-1].rank if differs is None else position + 1
        standings.append(Standing(rank, score, differs))
    return tuple(standings)
