"""Disagreement flags, their resolution, and the completeness check before locking."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from trainhub.competitions.scoring import (
    Aspect,
    Mark,
    MarkingScheme,
    MissingMark,
    ResolutionAction,
    ScoringError,
    completeness,
    disagreement_flags,
    unresolved_flags,
)

WSOS = Aspect.wsos("finish", D("6"))
POINTS = Aspect.points("design", D("10"), step=D("0.5"))
MEASURE = Aspect.measurement("length", D("20"))
SCHEME = MarkingScheme((WSOS, POINTS, MEASURE))


def judged(entry: int, aspect: str, *values: str) -> list[Mark]:
    return [Mark(entry, aspect, f"J{i}", D(v)) for i, v in enumerate(values, start=1)]


def flags(marks: list[Mark], wsos_points: str = "1", percent: str = "20"):
    return disagreement_flags(SCHEME, marks, D(wsos_points), D(percent))


# --- 0–3 scale -----------------------------------------------------------------------------

def test_wsos_one_point_apart_is_not_flagged():
    assert flags(judged(1, "finish", "2", "3", "2", "3")) == ()


def test_wsos_two_points_apart_is_flagged():
    (flag,) = flags(judged(1, "finish", "1", "2", "3"))
    assert (flag.entry_id, flag.aspect_id) == (1, "finish")
    assert (flag.lowest, flag.highest, flag.spread, flag.limit) == (D(1), D(3), D(2), D(1))


def test_wsos_limit_is_a_parameter():
    assert flags(judged(1, "finish", "1", "3"), wsos_points="2") == ()


# --- points scale: 20% of the maximum ---------------------------------------------------------

def test_points_exactly_twenty_percent_apart_is_not_flagged():
    # max 10 × 20% = 2; 6 and 8 are exactly 2 apart
    assert flags(judged(1, "design", "6", "7", "8")) == ()


def test_points_more_than_twenty_percent_apart_is_flagged():
    # 8.5 − 6 = 2.5 > 2
    (flag,) = flags(judged(1, "design", "6", "7", "8.5"))
    assert (flag.spread, flag.limit) == (D("2.5"), D(2))


def test_points_percent_is_a_parameter():
    # max 10 × 30% = 3 ≥ 2.5
    assert flags(judged(1, "design", "6", "8.5"), percent="30") == ()


def test_the_limit_scales_with_the_maximum():
    scheme = MarkingScheme((Aspect.points("p", D("7.5"), step=D("0.5")),))
    # 7.5 × 20% = 1.5: 1.5 apart passes, 2 apart is flagged
    assert disagreement_flags(scheme, judged(1, "p", "5", "6.5"), D(1), D(20)) == ()
    assert len(disagreement_flags(scheme, judged(1, "p", "5", "7"), D(1), D(20))) == 1


def test_measurement_and_single_judges_are_never_flagged():
    marks = [Mark(1, "length", None, D(0)), *judged(2, "finish", "0")]
    assert flags(marks) == ()


def test_one_flag_per_entry_and_aspect():
    marks = [*judged(1, "finish", "0", "3"), *judged(1, "design", "0", "10"),
             *judged(2, "finish", "0", "3"), *judged(3, "finish", "2", "2")]
    assert [(f.entry_id, f.aspect_id) for f in flags(marks)] == [
        (1, "finish"), (1, "design"), (2, "finish")]


# --- resolutions ------------------------------------------------------------------------------

def test_confirming_with_a_reason_clears_the_flag():
    (flag,) = flags(judged(1, "finish", "1", "3"))
    resolution = flag.confirm("  Judge 1 saw the seam from the back; both views hold.  ")
    assert resolution.action is ResolutionAction.CONFIRMED
    assert resolution.reason.startswith("Judge 1")
    assert unresolved_flags([flag], [resolution]) == ()


def test_confirming_without_a_reason_is_refused():
    (flag,) = flags(judged(1, "finish", "1", "3"))
    with pytest.raises(ScoringError) as caught:
        flag.confirm("   ")
    assert caught.value.reason.code == "reason_required"


def test_re_marking_clears_the_flag():
    (first,) = flags(judged(1, "finish", "1", "3"))
    assert unresolved_flags([first], []) == (first,)
    # the judges look again: now they agree, and nothing is left to resolve
    assert flags(judged(1, "finish", "2", "3")) == ()
    # or they still disagree after the second look, which the chief judge records
    (second,) = flags(judged(1, "finish", "1", "3"))
    assert unresolved_flags([second], [second.remarked()]) == ()


def test_a_resolution_settles_only_the_marks_it_saw():
    (flag,) = flags(judged(1, "finish", "1", "3", "3"))
    resolution = flag.confirm("Agreed at the review.")
    # a judge changes a mark after the confirmation: still apart, the flag is back
    (changed,) = flags(judged(1, "finish", "1", "3", "2"))
    assert unresolved_flags([changed], [resolution]) == (changed,)


def test_a_resolution_of_another_cell_settles_nothing():
    marks = [*judged(1, "finish", "1", "3"), *judged(2, "finish", "1", "3")]
    one, two = flags(marks)
    assert unresolved_flags([one, two], [one.confirm("Checked.")]) == (two,)


# --- completeness -----------------------------------------------------------------------------

def test_complete_when_every_assigned_judge_and_every_measurement_is_in():
    judges = {1: {"J1", "J2"}}
    marks = [*judged(1, "finish", "2", "3"), *judged(1, "design", "7", "8"),
             Mark(1, "length", "J1", D("19.5"))]
    result = completeness(SCHEME, judges, marks)
    assert result.complete and result.missing == () and result.unexpected == ()


def test_missing_marks_are_listed_by_entry_aspect_and_judge():
    # J3 comes from entry 2's city (回避): not assigned to it, so not awaited from it
    judges = {1: ["J1", "J2", "J3"], 2: ["J1", "J2"]}
    marks = [*judged(1, "finish", "2", "3", "3"), *judged(1, "design", "7", "8"),
             *judged(2, "finish", "2", "2"), *judged(2, "design", "7", "7"),
             Mark(2, "length", None, D(10))]
    result = completeness(SCHEME, judges, marks)
    assert not result.complete
    assert set(result.missing) == {MissingMark(1, "design", "J3"),
                                   MissingMark(1, "length", None)}


def test_a_mark_by_a_judge_not_assigned_to_the_entry_is_unexpected():
    judges = {2: ["J1", "J2"]}
    marks = [*judged(2, "finish", "2", "2", "3"), *judged(2, "design", "7", "7"),
             Mark(2, "length", None, D(10)), Mark(9, "length", None, D(10))]
    result = completeness(SCHEME, judges, marks)
    assert result.missing == ()
    assert result.unexpected == (Mark(2, "finish", "J3", D(3)), Mark(9, "length", None, D(10)))
    assert not result.complete


def test_an_entry_without_judges_cannot_be_complete():
    result = completeness(SCHEME, {1: []}, [Mark(1, "length", None, D(3))])
    assert set(result.missing) == {MissingMark(1, "finish", None), MissingMark(1, "design", None)}
