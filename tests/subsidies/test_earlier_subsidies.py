"""Which of a person's other decisions count as earlier subsidies (DESIGN §5: the same
occupation and level is subsidised once, one living allowance per year): only granted ones,
never the decision itself, and an open one only when its batch came first, so that
recomputing a person's decisions, in any order, gives the same amounts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.subsidies.conftest import finish
from tests.training import builders
from trainhub.core.errors import Conflict
from trainhub.extensions import db
from trainhub.subsidies import decisions
from trainhub.subsidies.models import Decision
from trainhub.training import completion

MARCH = date(2026, 3, 9)
MAY = date(2026, 5, 11)
ALL_ABSENT = ("absent",) * 5
FIVE_DAYS = 5 * (6000 + 2000)  # five in-person days at ¥60 living and ¥20 transport


def _decision(finished, kind: str) -> Decision:
    found = db.session.scalars(select(Decision).where(
        Decision.batch_id == finished.batch.id, Decision.kind == kind)).one()
    db.session.refresh(found)
    return found


def _claimed(finished) -> date:
    return finished.batch.end_date + timedelta(days=5)


def test_a_refused_living_allowance_does_not_use_the_year(world):
    """March, absent from every session: no allowance; May, fully attended: the allowance
    of the year."""
    person = builders.person()
    march = finish(world.base, world.staff, world.county, [person], marks=ALL_ABSENT,
                   results={0: completion.ResultInput(False, MARCH + timedelta(days=4))})
    decisions.compute_batch(march.batch, world.staff, _claimed(march))
    assert _decision(march, "living").reasons == ["no_in_person_days"]
    may = finish(world.base, world.staff, world.county, [person], start=MAY,
                 occupation="电子商务师")
    decisions.compute_batch(may.batch, world.staff, _claimed(may))
    living = _decision(may, "living")
    assert (living.eligible, living.amount_fen, living.reasons) == (True, FIVE_DAYS, [])


def test_submitting_the_first_living_allowance_keeps_it(world):
    """Two fully attended batches in one year: the first is granted, the second refused;
    submitting the first recomputes it, and the second (refused) must not beat it."""
    person = builders.person()
    march = finish(world.base, world.staff, world.county, [person])
    may = finish(world.base, world.staff, world.county, [person], start=MAY,
                 occupation="电子商务师")
    decisions.compute_batch(march.batch, world.staff, _claimed(march))
    decisions.compute_batch(may.batch, world.staff, _claimed(may))
    assert _decision(may, "living").reasons == ["living_already_this_year"]
    first = _decision(march, "living")
    assert decisions.submit([first], world.staff, _claimed(march)) == 1
    first = _decision(march, "living")
    assert (first.status, first.eligible, first.amount_fen) == ("submitted", True, FIVE_DAYS)
    assert _decision(may, "living").amount_fen == 0


def test_submitting_the_first_fee_subsidy_of_an_occupation_and_level_keeps_it(world):
    person = builders.person()
    march = finish(world.base, world.staff, world.county, [person])
    may = finish(world.base, world.staff, world.county, [person], start=MAY)
    decisions.compute_batch(march.batch, world.staff, _claimed(march))
    decisions.compute_batch(may.batch, world.staff, _claimed(may))
    assert _decision(may, "fee").reasons == ["same_occupation_level"]
    granted = _decision(march, "fee").amount_fen
    assert granted > 0
    assert decisions.submit([_decision(march, "fee")], world.staff, _claimed(march)) == 1
    first = _decision(march, "fee")
    assert (first.status, first.amount_fen, first.reasons) == ("submitted", granted, [])


def test_a_failed_special_ability_course_does_not_use_the_occupation(world):
    """A failed 专项职业能力 course, then a passed retake in the same occupation."""
    person = builders.person()
    special = {"certificate_type": "special_ability", "certificate_level": None}
    failed = finish(world.base, world.staff, world.county, [person], **special,
                    results={0: completion.ResultInput(False, MARCH + timedelta(days=4))})
    decisions.compute_batch(failed.batch, world.staff, _claimed(failed))
    assert _decision(failed, "fee").reasons == ["assessment_not_passed", "no_certificate"]
    end = MAY + timedelta(days=4)
    passed = completion.ResultInput(True, end, "special_ability", None, "Z2026360100001", end)
    retake = finish(world.base, world.staff, world.county, [person], start=MAY, **special,
                    results={0: passed})
    decisions.compute_batch(retake.batch, world.staff, _claimed(retake))
    fee = _decision(retake, "fee")
    assert (fee.eligible, fee.reasons) == (True, [])
    assert fee.amount_fen == 100000  # the special-ability standard, below the fee of ¥1,500


def test_an_earlier_batch_computed_later_takes_the_allowance_and_the_later_grant_is_withdrawn(
        world, budget):
    """May is computed and claimed first; then March, which ended earlier, is computed: it
    takes the year's allowance, and May's open grant is recomputed at once (refused), so it
    can no longer be approved beside March's."""
    budget()
    person = builders.person()
    march = finish(world.base, world.staff, world.county, [person])
    may = finish(world.base, world.staff, world.county, [person], start=MAY,
                 occupation="电子商务师")
    decisions.compute_batch(may.batch, world.staff, _claimed(may))
    assert decisions.submit([_decision(may, "living")], world.staff, _claimed(may)) == 1
    decisions.compute_batch(march.batch, world.staff, _claimed(may))
    assert _decision(march, "living").amount_fen == FIVE_DAYS
    later = _decision(may, "living")
    assert (later.status, later.eligible, later.amount_fen, later.reasons) == (
        "submitted", False, 0, ["living_already_this_year"])
    assert "已" in later.explanation
    assert _decision(may, "fee").amount_fen > 0  # another occupation: its fee is untouched
    with pytest.raises(Conflict):
        decisions.approve([later], world.county, _claimed(may))

JULY = date(2026, 7, 6)


def test_recomputing_a_persons_decisions_in_any_order_gives_the_same_amounts(world):
    """Three batches of one person in one year: March and May in the same occupation and
    level, July in another with one day attended. Whatever order the batches are first
    computed in, and however often each is computed again, March takes the fee subsidy of
    the occupation and level and the year's living allowance; July its day-rule fee."""
    person = builders.person()
    batches = [finish(world.base, world.staff, world.county, [person]),
               finish(world.base, world.staff, world.county, [person], start=MAY),
               finish(world.base, world.staff, world.county, [person], start=JULY,
                      occupation="电子商务师", marks=("present",) + ("absent",) * 4)]
    expected = {0: {"fee": 150000, "living": FIVE_DAYS}, 1: {"fee": 0, "living": 0},
                2: {"fee": 10000, "living": 0}}  # 8 hours: ¥100 by the day rule

    def amounts() -> dict[int, dict[str, int]]:
        return {i: {d.kind: d.amount_fen for d in db.session.scalars(
            select(Decision).where(Decision.batch_id == f.batch.id))}
            for i, f in enumerate(batches)}

    @settings(max_examples=8, database=None)
    @given(st.permutations(range(3)), st.lists(st.integers(0, 2), max_size=4))
    def computed_in(first: list[int], again: list[int]) -> None:
        savepoint = db.session.begin_nested()
        try:
            for index in [*first, *again]:
                finished = batches[index]
                decisions.compute_batch(finished.batch, world.staff, _claimed(finished))
            assert amounts() == expected
        finally:
            savepoint.rollback()
            db.session.expire_all()

    computed_in()
