"""The WorldSkills-style standardised score: median 700, 100 points per standard deviation."""

from __future__ import annotations

from decimal import Decimal as D

from trainhub.competitions.scoring import standardised_scores


def test_odd_count_the_median_entry_gets_700():
    # median 70, mean 70, σ² = (400 + 100 + 0 + 100 + 400) / 5 = 200, σ = 14.1421…
    # 50: 700 − 100 × 20 / 14.1421 = 558.58 → 559;  60: 700 − 70.71 = 629.29 → 629
    # 80: 770.71 → 771;  90: 841.42 → 841
    totals = {"a": D(50), "b": D(60), "c": D(70), "d": D(80), "e": D(90)}
    assert standardised_scores(totals) == {"a": 559, "b": 629, "c": 700, "d": 771, "e": 841}


def test_even_count_the_median_is_between_the_middle_two():
    # median (20 + 30) / 2 = 25, mean 30, σ² = (400 + 100 + 0 + 900) / 4 = 350, σ = 18.7083…
    # 10: 700 − 1500 / 18.7083 = 619.82 → 620;  20: 673.27 → 673
    # 30: 726.73 → 727;  60: 700 + 3500 / 18.7083 = 887.08 → 887
    totals = {1: D(10), 2: D(20), 3: D(30), 4: D(60)}
    assert standardised_scores(totals) == {1: 620, 2: 673, 3: 727, 4: 887}


def test_decimal_marks_and_half_up_rounding():
    # 0, 0, 0, 0.25, 1.75, 2.5: median (0 + 0.25) / 2 = 0.125, mean 4.5 / 6 = 0.75,
    # σ² = (3 × 0.5625 + 0.25 + 1 + 3.0625) / 6 = 6 / 6 = 1, σ = 1
    # 0: 700 − 12.5 = 687.5 → 688;  0.25: 712.5 → 713;  1.75: 862.5 → 863;  2.5: 937.5 → 938
    totals = {"a": D("0.00"), "b": D("0.00"), "c": D("0.00"), "d": D("0.25"), "e": D("1.75"),
              "f": D("2.50")}
    assert standardised_scores(totals) == {"a": 688, "b": 688, "c": 688, "d": 713, "e": 863,
                                           "f": 938}


def test_without_a_spread_everybody_gets_700():
    assert standardised_scores({"a": D("81.5")}) == {"a": 700}
    assert standardised_scores({"a": D(80), "b": D("80.00")}) == {"a": 700, "b": 700}
    assert standardised_scores({}) == {}
