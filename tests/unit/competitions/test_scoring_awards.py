"""Cancelled events, award counts by bands and by ratio, the delegation medal table."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal as D

import pytest

from trainhub.competitions.scoring import (
    Aspect,
    AwardBand,
    Mark,
    MarkingScheme,
    MedalRow,
    ScoringError,
    award_bands,
    awards_by_bands,
    awards_by_ratio,
    event_cancelled,
    medal_table,
    rank_entries,
    score_entries,
)
from trainhub.core.parameters.defaults import AWARD_BANDS

SCHEME = MarkingScheme((Aspect.measurement("M", D(100)),))
BANDS = award_bands(AWARD_BANDS)
RATIOS = [("一等奖", D(10)), ("二等奖", D(20)), ("三等奖", D(30))]


def standings(*totals: int):
    marks = [Mark(f"E{i}", "M", None, D(t)) for i, t in enumerate(totals, start=1)]
    return rank_entries(SCHEME, score_entries(SCHEME, marks, 5))


def counts(awards) -> dict[str, int]:
    return dict(Counter(a.award for a in awards))


def test_the_shipped_bands_read_as_one_award_per_place():
    shipped = award_bands(AWARD_BANDS)
    assert shipped == (AwardBand(7, None, ("一等奖", "二等奖", "三等奖")),
                       AwardBand(4, 6, ("一等奖", "二等奖")),
                       AwardBand(1, 3, ("一等奖",)))


@pytest.mark.parametrize(("entries", "expected"), [
    (3, {"一等奖": 1}),
    (4, {"一等奖": 1, "二等奖": 1}),
    (6, {"一等奖": 1, "二等奖": 1}),
    (7, {"一等奖": 1, "二等奖": 1, "三等奖": 1}),
    (12, {"一等奖": 1, "二等奖": 1, "三等奖": 1}),
])
def test_award_counts_by_number_of_entries(entries, expected):
    awards = awards_by_bands(standings(*range(90, 90 - entries, -1)), BANDS)
    assert counts(awards) == expected
    assert [a.rank for a in awards] == list(range(1, len(awards) + 1))


def test_a_tie_on_the_last_awarded_place_gives_the_award_to_both():
    # 7 entries, ranks 1, 2, 3, 3, 5, 6, 7: both thirds get 三等奖
    awards = awards_by_bands(standings(90, 80, 70, 70, 60, 50, 40), BANDS)
    assert [(a.entry_id, a.rank, a.award) for a in awards] == [
        ("E1", 1, "一等奖"), ("E2", 2, "二等奖"), ("E3", 3, "三等奖"), ("E4", 3, "三等奖")]


def test_a_tie_at_the_four_entry_boundary():
    # 4 entries, ranks 1, 2, 2, 4: one 一等奖, two 二等奖
    assert counts(awards_by_bands(standings(90, 80, 80, 70), BANDS)) == {"一等奖": 1, "二等奖": 2}


def test_tied_firsts_take_up_the_second_place():
    # 7 entries, ranks 1, 1, 3, …: two 一等奖, no 二等奖, the third place's 三等奖
    awards = awards_by_bands(standings(90, 90, 80, 70, 60, 50, 40), BANDS)
    assert [(a.rank, a.award) for a in awards] == [(1, "一等奖"), (1, "一等奖"), (3, "三等奖")]


def test_all_tied_all_first():
    assert counts(awards_by_bands(standings(50, 50, 50), BANDS)) == {"一等奖": 3}


def test_counts_come_from_repeating_a_name_in_a_band():
    bands = award_bands([{"min_entries": 1, "max_entries": None,
                          "awards": ["一等奖", "二等奖", "二等奖", "三等奖", "三等奖", "三等奖"]}])
    awards = awards_by_bands(standings(*range(90, 80, -1)), bands)
    assert counts(awards) == {"一等奖": 1, "二等奖": 2, "三等奖": 3}


def test_no_band_no_awards():
    assert awards_by_bands(standings(90, 80), [AwardBand(3, None, ("一等奖",))]) == ()


# --- cancelled events -------------------------------------------------------------------------

@pytest.mark.parametrize(("entries", "cancelled"), [(0, True), (1, True), (2, True), (3, False),
                                                    (4, False)])
def test_an_event_below_three_entries_is_cancelled(entries, cancelled):
    assert event_cancelled(entries, min_entries=3) is cancelled


def test_the_minimum_is_a_parameter():
    assert event_cancelled(4, min_entries=5) and not event_cancelled(5, min_entries=5)


# --- by ratio ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("entries", "expected"), [
    # cumulative places: 20 × (10%, 30%, 60%) = 2, 6, 12 → 2 first, 4 second, 6 third
    (20, {"一等奖": 2, "二等奖": 4, "三等奖": 6}),
    # 7 × (10%, 30%, 60%) = 0.7, 2.1, 4.2 → 1, 2, 4 places → 1, 1, 2
    (7, {"一等奖": 1, "二等奖": 1, "三等奖": 2}),
    # 15 × (10%, 30%, 60%) = 1.5, 4.5, 9 → half up 2, 5, 9 → 2, 3, 4
    (15, {"一等奖": 2, "二等奖": 3, "三等奖": 4}),
    # 4 × 10% = 0.4 → no first place; 4 × 30% = 1.2 → 1; 4 × 60% = 2.4 → 2
    (4, {"二等奖": 1, "三等奖": 1}),
])
def test_awards_by_ratio(entries, expected):
    assert counts(awards_by_ratio(standings(*range(90, 90 - entries, -1)), RATIOS)) == expected


def test_ratio_awards_never_split_a_tie():
    # 10 entries → places 1, 3, 6; entries ranked 6, 6 share 三等奖 and the 7th gets nothing
    awards = awards_by_ratio(standings(99, 98, 97, 96, 95, 94, 94, 93, 92, 91), RATIOS)
    assert [(a.rank, a.award) for a in awards][-3:] == [(5, "三等奖"), (6, "三等奖"),
                                                       (6, "三等奖")]
    assert len(awards) == 7


@pytest.mark.parametrize("ratios", [[("一等奖", D(-1))], [("一等奖", D(60)), ("二等奖", D(41))]])
def test_impossible_ratios_are_refused(ratios):
    with pytest.raises(ScoringError):
        awards_by_ratio(standings(90, 80, 70), ratios)


# --- medal table ------------------------------------------------------------------------------

def test_medal_table_most_firsts_then_seconds_then_thirds_then_code():
    awards = [("3602", "一等奖"), ("3601", "二等奖"), ("3601", "二等奖"), ("3604", "一等奖"),
              ("3604", "三等奖"), ("3603", "一等奖"), ("3603", "三等奖"), ("3605", "三等奖")]
    rows = medal_table(awards, delegations=["3606"])
    assert rows == (MedalRow("3603", (1, 0, 1)), MedalRow("3604", (1, 0, 1)),
                    MedalRow("3602", (1, 0, 0)), MedalRow("3601", (0, 2, 0)),
                    MedalRow("3605", (0, 0, 1)), MedalRow("3606", (0, 0, 0)))
    assert rows[0].total == 2


def test_medal_table_refuses_an_award_outside_its_columns():
    with pytest.raises(ScoringError):
        medal_table([("3601", "优秀奖")])
    assert medal_table([("3601", "优秀奖")], award_names=["优秀奖"]) == (
        MedalRow("3601", (1,)),)
