"""Properties of the scoring core over generated schemes and marks."""

from __future__ import annotations

from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from trainhub.competitions.scoring import (
    Aspect,
    Mark,
    MarkingScheme,
    draw_stations,
    rank_entries,
    score_entries,
    standardised_scores,
    validate_mark,
)
from trainhub.competitions.scoring._common import round_half_up

CENT = D("0.01")


@st.composite
def aspects(draw: st.DrawFn, index: int) -> Aspect:
    maximum = D(draw(st.integers(1, 40))) / draw(st.sampled_from([1, 2, 4]))
    kind = draw(st.sampled_from(["measurement", "wsos", "points"]))
    if kind == "wsos":
        return Aspect.wsos(f"a{index}", maximum)
    if kind == "points":
        return Aspect.points(f"a{index}", maximum, step=CENT)
    return Aspect.measurement(f"a{index}", maximum, step=CENT)


@st.composite
def schemes(draw: st.DrawFn) -> MarkingScheme:
    count = draw(st.integers(1, 5))
    return MarkingScheme(tuple(draw(aspects(i)) for i in range(count)))


def valid_mark(aspect: Aspect) -> st.SearchStrategy[D]:
    if aspect.is_wsos:
        return st.integers(0, 3).map(D)
    steps = int(aspect.max_mark / aspect.step)
    return st.integers(0, steps).map(lambda k: k * aspect.step)


@st.composite
def competitions(draw: st.DrawFn) -> tuple[MarkingScheme, list[Mark]]:
    scheme = draw(schemes())
    judges = draw(st.integers(1, 7))
    marks = []
    for entry in range(draw(st.integers(1, 12))):
        for aspect in scheme.aspects:
            if not aspect.is_judgement:
                marks.append(Mark(entry, aspect.id, None, draw(valid_mark(aspect))))
                continue
            marks.extend(Mark(entry, aspect.id, judge, draw(valid_mark(aspect)))
                         for judge in range(judges))
    return scheme, marks


@given(competitions(), st.integers(3, 6))
def test_totals_stay_between_zero_and_the_sum_of_the_maxima(competition, trim_min_judges):
    scheme, marks = competition
    for score in score_entries(scheme, marks, trim_min_judges):
        assert 0 <= score.judgement_total <= score.total <= scheme.max_total
        for aspect, part in zip(scheme.aspects, score.aspects, strict=True):
            assert part.mark is not None and 0 <= part.mark <= aspect.max_mark
            assert part.mark == part.mark.quantize(CENT)
        assert score.total == sum(part.mark for part in score.aspects if part.mark is not None)


@given(competitions())
def test_ranking_is_a_permutation_ordered_by_total(competition):
    scheme, marks = competition
    scores = score_entries(scheme, marks, 5)
    standings = rank_entries(scheme, scores)
    assert sorted(s.entry_id for s in standings) == sorted(s.entry_id for s in scores)
    totals = [s.total for s in standings]
    assert totals == sorted(totals, reverse=True)
    for position, standing in enumerate(standings):
        better = sum(1 for other in standings if other.total > standing.total)
        assert better + 1 <= standing.rank <= position + 1
        if position and standing.rank == standings[position - 1].rank:
            assert standing.total == standings[position - 1].total


@given(st.lists(st.integers(0, 10_000).map(lambda n: D(n) / 100), min_size=1, max_size=40))
def test_standardised_score_is_monotonic_in_total(values):
    scores = standardised_scores(dict(enumerate(values)))
    pairs = sorted(zip(values, (scores[i] for i in range(len(values))), strict=True))
    for (low_total, low), (high_total, high) in zip(pairs, pairs[1:], strict=False):
        assert low <= high
        if low_total == high_total:
            assert low == high


@given(st.lists(st.integers(0, 10_000).map(lambda n: D(n) / 100), min_size=1, max_size=40,
                unique=True))
def test_the_median_of_an_odd_event_scores_700(values):
    if len(values) % 2 == 0:
        values = values[:-1]
    scores = standardised_scores(dict(enumerate(values)))
    median_entry = sorted(range(len(values)), key=values.__getitem__)[len(values) // 2]
    assert scores[median_entry] == 700


@given(st.sets(st.integers(1, 10_000), max_size=60), st.text(min_size=1, max_size=32))
def test_the_draw_is_a_permutation_reproducible_from_its_seed(entries, seed):
    stations = draw_stations(entries, seed)
    assert sorted(stations.values()) == list(range(1, len(entries) + 1))
    assert draw_stations(sorted(entries, reverse=True), seed) == stations


@given(schemes().flatmap(lambda s: st.tuples(st.just(s), st.sampled_from(s.aspects))),
       st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-5,
                   max_value=50))
def test_validate_accepts_exactly_the_marks_in_range_and_on_step(scheme_aspect, value):
    _scheme, aspect = scheme_aspect
    top, step = (D(3), D(1)) if aspect.is_wsos else (aspect.max_mark, aspect.step)
    expected = 0 <= value <= top and value % step == 0
    assert (validate_mark(aspect, value) is None) is expected


@given(st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-10**6,
                   max_value=10**6), st.integers(0, 4))
def test_rounding_agrees_with_decimal_half_up(value, places):
    expected = value.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)
    assert round_half_up(Fraction(value), places) == expected
