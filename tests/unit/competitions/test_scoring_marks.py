"""Aspect marks by hand: trimmed and plain means, the 0–3 scale, measurement, invalid marks."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from trainhub.competitions.scoring import (
    Aspect,
    AspectKind,
    Mark,
    MarkingScheme,
    Scale,
    ScoringError,
    aspect_mark,
    marks_by_cell,
    split_trimmed,
    validate_mark,
)

POINTS_10 = Aspect.points("design", D("10"), step=D("0.5"))


def marks(*values: str) -> list[D]:
    return [D(v) for v in values]


# --- points scale -------------------------------------------------------------------------

def test_five_judges_drop_the_highest_and_the_lowest():
    # 6, 7, 7.5, 8, 9.5 → drop 6 and 9.5 → (7 + 7.5 + 8) / 3 = 22.5 / 3 = 7.5
    assert aspect_mark(POINTS_10, marks("8", "6", "9.5", "7", "7.5"), 5) == D("7.50")


def test_six_judges_drop_one_highest_and_one_lowest_only():
    # 5, 6, 6.5, 7, 7.5, 10 → drop 5 and 10 → (6 + 6.5 + 7 + 7.5) / 4 = 27 / 4 = 6.75
    assert aspect_mark(POINTS_10, marks("10", "5", "6", "6.5", "7", "7.5"), 5) == D("6.75")


def test_three_judges_are_averaged():
    # (6 + 7 + 9) / 3 = 22 / 3 = 7.333… → 7.33
    assert aspect_mark(POINTS_10, marks("6", "7", "9"), 5) == D("7.33")


def test_four_judges_are_averaged_and_rounded_half_up_once():
    # (5 + 6 + 8 + 9.5) / 4 = 28.5 / 4 = 7.125 → half up → 7.13
    assert aspect_mark(POINTS_10, marks("5", "6", "8", "9.5"), 5) == D("7.13")


def test_trimming_threshold_is_a_parameter():
    # with trim_min_judges = 4: 5, 6, 8, 9.5 → drop 5 and 9.5 → (6 + 8) / 2 = 7
    assert aspect_mark(POINTS_10, marks("5", "6", "8", "9.5"), 4) == D("7.00")


def test_equal_extremes_drop_only_one_of_each():
    # 7, 7, 7, 9, 9 → drop one 7 and one 9 → (7 + 7 + 9) / 3 = 23 / 3 = 7.666… → 7.67
    counted, dropped = split_trimmed(marks("7", "9", "7", "9", "7"), 5)
    assert counted == (D(7), D(7), D(9)) and dropped == (D(7), D(9))
    assert aspect_mark(POINTS_10, marks("7", "9", "7", "9", "7"), 5) == D("7.67")


def test_trimming_below_three_judges_is_refused():
    with pytest.raises(ValueError, match="at least 3"):
        split_trimmed(marks("1", "2"), 2)


# --- WorldSkills 0–3 scale ------------------------------------------------------------------

def test_wsos_three_judges_max_times_sum_over_three_times_judges():
    # max 6; marks 2, 3, 2: 6 × 7 / (3 × 3) = 42 / 9 = 4.666… → 4.67
    assert aspect_mark(Aspect.wsos("finish", D("6")), marks("2", "3", "2"), 5) == D("4.67")


def test_wsos_five_judges_trim_before_the_formula():
    # max 4.5; marks 0, 2, 2, 3, 3 → drop 0 and one 3 → 2, 2, 3 (sum 7, 3 judges)
    # 4.5 × 7 / (3 × 3) = 31.5 / 9 = 3.5
    assert aspect_mark(Aspect.wsos("finish", D("4.5")), marks("3", "0", "2", "3", "2"),
                       5) == D("3.50")


def test_wsos_all_threes_give_the_maximum():
    # 5 × (3 + 3 + 3) / (3 × 3) = 5
    assert aspect_mark(Aspect.wsos("finish", D("5")), marks("3", "3", "3"), 5) == D("5.00")


# --- measurement ------------------------------------------------------------------------------

def test_measurement_is_its_one_mark():
    length = Aspect.measurement("length", D("20"), step=D("0.25"))
    assert aspect_mark(length, marks("17.75"), 5) == D("17.75")


def test_measurement_with_two_marks_is_refused():
    scheme = MarkingScheme((Aspect.measurement("length", D("20")),))
    with pytest.raises(ScoringError) as caught:
        marks_by_cell(scheme, [Mark(1, "length", None, D(1)), Mark(1, "length", 7, D(2))])
    assert caught.value.reason.code == "duplicate_mark"


def test_a_judge_marks_a_cell_once():
    scheme = MarkingScheme((POINTS_10,))
    with pytest.raises(ScoringError) as caught:
        marks_by_cell(scheme, [Mark(1, "design", 7, D(1)), Mark(1, "design", 7, D(2))])
    assert caught.value.reason.code == "duplicate_mark"


def test_a_judgement_mark_names_its_judge():
    scheme = MarkingScheme((POINTS_10,))
    with pytest.raises(ScoringError) as caught:
        marks_by_cell(scheme, [Mark(1, "design", None, D(1))])
    assert caught.value.reason.code == "judge_missing"


# --- validation of one mark -------------------------------------------------------------------

@pytest.mark.parametrize(("aspect", "value", "code", "params"), [
    (POINTS_10, D("10.5"), "above_max", {"max": "10"}),
    (POINTS_10, D("7.3"), "off_step", {"step": "0.5"}),
    (POINTS_10, D("-0.5"), "negative", {}),
    (Aspect.wsos("w", D("8")), D("4"), "wsos_scale", {}),
    (Aspect.wsos("w", D("8")), D("1.5"), "wsos_scale", {}),
    (Aspect.wsos("w", D("8")), D("-1"), "wsos_scale", {}),
    (Aspect.measurement("m", D("5"), step=D("0.01")), D("2.005"), "off_step", {"step": "0.01"}),
    (Aspect.measurement("m", D("5")), D("NaN"), "not_a_number", {}),
    (Aspect.measurement("m", D("5")), D("Infinity"), "not_a_number", {}),
])
def test_invalid_marks_say_why(aspect, value, code, params):
    reason = validate_mark(aspect, value)
    assert reason is not None
    assert (reason.code, reason.params) == (code, params)
    assert reason.message and reason.message[0].isupper()


@pytest.mark.parametrize(("aspect", "value"), [
    (POINTS_10, D("0")), (POINTS_10, D("10")), (POINTS_10, D("9.5")), (POINTS_10, D("7.50")),
    (Aspect.wsos("w", D("8")), D("3")), (Aspect.wsos("w", D("8")), D("0")),
    (Aspect.wsos("w", D("8")), D("2.0")),
    (Aspect.measurement("m", D("5")), D("4.99")),
])
def test_valid_marks_pass(aspect, value):
    assert validate_mark(aspect, value) is None


def test_the_message_reads_with_its_params():
    reason = validate_mark(POINTS_10, D("11"))
    assert reason is not None
    assert reason.message % reason.params == "The mark cannot be above the maximum of 10."


def test_an_invalid_mark_never_reaches_a_result():
    with pytest.raises(ScoringError) as caught:
        aspect_mark(POINTS_10, marks("7", "11", "8"), 5)
    assert caught.value.reason.code == "above_max"


def test_floats_are_refused():
    with pytest.raises(TypeError):  # where marks are read, before any arithmetic
        marks_by_cell(MarkingScheme((POINTS_10,)), [Mark(1, "design", 7, 7.5)])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Aspect.points("p", 10.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("kwargs", [
    {"id": "x", "max_mark": D(0), "kind": AspectKind.MEASUREMENT},
    {"id": "x", "max_mark": D(5), "kind": AspectKind.MEASUREMENT, "step": D(0)},
    {"id": "x", "max_mark": D(5), "kind": AspectKind.MEASUREMENT, "scale": Scale.POINTS},
    {"id": "x", "max_mark": D(5), "kind": AspectKind.JUDGEMENT},
    {"id": "", "max_mark": D(5), "kind": AspectKind.MEASUREMENT},
])
def test_inconsistent_aspects_are_refused(kwargs):
    with pytest.raises(ValueError):
        Aspect(**kwargs)


def test_a_scheme_has_unique_aspects_and_knows_its_maximum():
    with pytest.raises(ValueError):
        MarkingScheme((POINTS_10, POINTS_10))
    scheme = MarkingScheme((POINTS_10, Aspect.wsos("w", D("7.5"))))
    assert scheme.max_total == D("17.5")
    with pytest.raises(ScoringError) as caught:
        scheme.aspect("nope")
    assert caught.value.reason.params == {"aspect": "nope"}
