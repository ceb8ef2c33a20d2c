"""Totals with their breakdown, and the ranking: tie-breaks and shared ranks."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from trainhub.competitions.scoring import (
    Aspect,
    Mark,
    MarkingScheme,
    ScoringError,
    rank_entries,
    score_entries,
)

# The heaviest aspect is the measurement M (max 40).
SCHEME = MarkingScheme((
    Aspect.measurement("M", D("40")),
    Aspect.points("J", D("30"), step=D("0.5")),
    Aspect.measurement("P", D("30")),
))


def entry(entry_id: str, m: str, j: str, p: str) -> list[Mark]:
    # One judge on J keeps the arithmetic visible: the aspect mark is that judge's mark.
    return [Mark(entry_id, "M", None, D(m)), Mark(entry_id, "J", "judge", D(j)),
            Mark(entry_id, "P", None, D(p))]


def ranked(scheme: MarkingScheme, *entries: list[Mark], tie_breaks=None):
    marks = [m for e in entries for m in e]
    scores = score_entries(scheme, marks, 5)
    if tie_breaks is None:
        return rank_entries(scheme, scores)
    return rank_entries(scheme, scores, tie_breaks)


def table(standings) -> list[tuple[int, object, object]]:
    return [(s.rank, s.entry_id, s.decided_by) for s in standings]


# --- totals -----------------------------------------------------------------------------------

def test_total_judgement_subtotal_and_breakdown():
    scheme = MarkingScheme((Aspect.measurement("M", D("40")), Aspect.wsos("W", D("6")),
                            Aspect.points("J", D("10"), step=D("0.5"))))
    marks = [Mark("A", "M", None, D("31.25")),
             *(Mark("A", "W", f"j{i}", D(v)) for i, v in enumerate("232")),
             *(Mark("A", "J", f"j{i}", D(v)) for i, v in enumerate(("6", "7", "9")))]
    (score,) = score_entries(scheme, marks, 5)
    # W: 6 × 7 / 9 = 4.666… → 4.67; J: 22 / 3 = 7.333… → 7.33; M: 31.25
    assert score.breakdown == {"M": D("31.25"), "W": D("4.67"), "J": D("7.33")}
    # 31.25 + 4.67 + 7.33 = 43.25, of which judgement 4.67 + 7.33 = 12.00
    assert (score.total, score.judgement_total) == (D("43.25"), D("12.00"))
    assert score.complete


def test_an_unmarked_aspect_is_shown_as_missing_and_adds_nothing():
    (score,) = score_entries(SCHEME, [Mark("A", "M", None, D(30))], 5)
    assert score.breakdown == {"M": D("30.00"), "J": None, "P": None}
    assert score.total == D(30) and not score.complete
    assert score.mark_on("J") == 0


def test_listed_entries_without_marks_score_zero():
    scores = score_entries(SCHEME, entry("A", "1", "1", "1"), 5, entry_ids=["A", "B"])
    assert [(s.entry_id, s.total) for s in scores] == [("A", D(3)), ("B", D(0))]


def test_marks_for_an_entry_outside_the_event_are_refused():
    with pytest.raises(ScoringError) as caught:
        score_entries(SCHEME, entry("Z", "1", "1", "1"), 5, entry_ids=["A"])
    assert caught.value.reason.code == "unknown_entry"


# --- ranking ----------------------------------------------------------------------------------

def test_total_descending():
    standings = ranked(SCHEME, entry("A", "10", "10", "10"), entry("B", "20", "20", "20"),
                       entry("C", "15", "15", "15"))
    assert table(standings) == [(1, "B", None), (2, "C", "total"), (3, "A", "total")]


def test_tie_broken_by_judgement_total():
    # A: 30 + 20 + 10 = 60, judgement 20; B: 35 + 15 + 10 = 60, judgement 15
    standings = ranked(SCHEME, entry("B", "35", "15", "10"), entry("A", "30", "20", "10"))
    assert table(standings) == [(1, "A", None), (2, "B", "judgement_total")]


def test_tie_broken_by_the_heaviest_aspect():
    # A: 30 + 20 + 10 = 60; C: 32 + 20 + 8 = 60; judgement 20 each; on M (max 40) 32 > 30
    standings = ranked(SCHEME, entry("A", "30", "20", "10"), entry("C", "32", "20", "8"))
    assert table(standings) == [(1, "C", None), (2, "A", "heaviest_aspect")]


def test_full_tie_shares_the_rank_and_the_next_rank_skips():
    # B and C: 30 + 20 + 10 = 60 on every criterion
    standings = ranked(SCHEME, entry("A", "40", "20", "10"), entry("B", "30", "20", "10"),
                       entry("C", "30", "20", "10"), entry("D", "10", "10", "10"))
    assert table(standings) == [(1, "A", None), (2, "B", "total"), (2, "C", None),
                                (4, "D", "total")]


def test_aspects_sharing_the_largest_maximum_count_together():
    # X and Y share the largest maximum (20). Totals 25 and judgement 5 each; on X alone A
    # would win (15 > 10), but X + Y: A 15 + 4 = 19, B 10 + 10 = 20 → B first.
    scheme = MarkingScheme((Aspect.measurement("X", D(20)), Aspect.measurement("Y", D(20)),
                            Aspect.measurement("L", D(5)), Aspect.points("J", D(10))))

    def marks(e: str, x: str, y: str, lower: str) -> list[Mark]:
        return [Mark(e, "X", None, D(x)), Mark(e, "Y", None, D(y)),
                Mark(e, "L", None, D(lower)), Mark(e, "J", "judge", D(5))]

    standings = ranked(scheme, marks("A", "15", "4", "1"), marks("B", "10", "10", "0"))
    assert table(standings) == [(1, "B", None), (2, "A", "heaviest_aspect")]


def test_the_tie_break_chain_is_configurable():
    a, b = entry("A", "30", "20", "10"), entry("B", "35", "15", "10")
    assert table(ranked(SCHEME, a, b, tie_breaks=[])) == [(1, "A", None), (1, "B", None)]
    assert table(ranked(SCHEME, a, b, tie_breaks=["measurement_total"])) == [
        (1, "B", None), (2, "A", "measurement_total")]
    assert table(ranked(SCHEME, a, b, tie_breaks=["aspect:P", "aspect:M"])) == [
        (1, "B", None), (2, "A", "aspect:M")]


@pytest.mark.parametrize("name", ["fastest", "aspect:nope"])
def test_an_unknown_tie_break_is_refused(name):
    with pytest.raises(ScoringError):
        ranked(SCHEME, entry("A", "1", "1", "1"), tie_breaks=[name])


def test_no_entries_no_standings():
    assert rank_entries(SCHEME, []) == ()
