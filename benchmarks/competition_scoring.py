"""Ranking a large event with the pure scoring core: 1,000 entries × 5 judges × 10 aspects.

No database: the time is the scoring core's own (validation, trimmed aggregation, totals,
tie-breaks, awards, flags, completeness, standardised scores). Run alone with
`python -m benchmarks.competition_scoring`, or with the others by `make bench`.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

from trainhub.competitions.scoring import (
    Aspect,
    Mark,
    MarkingScheme,
    award_bands,
    awards_by_bands,
    completeness,
    disagreement_flags,
    rank_entries,
    score_entries,
    standardised_scores,
)
from trainhub.core.parameters.defaults import AWARD_BANDS

ENTRIES = int(os.environ.get("BENCH_ENTRIES", "1000"))
JUDGES = 5
RUNS = 5

SCHEME = MarkingScheme((
    *(Aspect.wsos(f"wsos{i}", Decimal(5 + i)) for i in range(4)),
    *(Aspect.points(f"points{i}", Decimal(10), step=Decimal("0.5")) for i in range(3)),
    *(Aspect.measurement(f"measure{i}", Decimal(10)) for i in range(3)),
))


def _marks(rng: random.Random) -> list[Mark]:
    marks = []
    for entry in range(ENTRIES):
        for aspect in SCHEME.aspects:
            if not aspect.is_judgement:
                marks.append(Mark(entry, aspect.id, None, Decimal(rng.randint(0, 1000)) / 100))
                continue
            for judge in range(JUDGES):
                value = (Decimal(rng.randint(0, 3)) if aspect.is_wsos
                         else Decimal(rng.randint(0, 20)) / 2)
                marks.append(Mark(entry, aspect.id, judge, value))
    return marks


def _results(marks: list[Mark]) -> object:
    scores = score_entries(SCHEME, marks, trim_min_judges=5)
    standings = rank_entries(SCHEME, scores)
    awards = awards_by_bands(standings, award_bands(AWARD_BANDS))
    standardised = standardised_scores({s.entry_id: s.total for s in scores})
    return standings, awards, standardised


def _lock_check(marks: list[Mark]) -> object:
    judges = {entry: range(JUDGES) for entry in range(ENTRIES)}
    flags = disagreement_flags(SCHEME, marks, Decimal(1), Decimal(20))
    return flags, completeness(SCHEME, judges, marks)


def _time(label: str, call: Callable[[], object]) -> None:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    print(f"{label:<34} median {statistics.median(samples):7.1f} ms  "
          f"max {max(samples):7.1f} ms")


def main() -> None:
    marks = _marks(random.Random(2025))
    print(f"competition: {ENTRIES} entries × {JUDGES} judges × {len(SCHEME.aspects)} aspects "
          f"({len(marks)} marks)")
    _time("score, rank, award, standardise", lambda: _results(marks))
    _time("flags and completeness (lock)", lambda: _lock_check(marks))


if __name__ == "__main__":
    main()
