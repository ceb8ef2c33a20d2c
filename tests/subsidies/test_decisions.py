"""Decisions from a completed batch: computed with a trace and a Chinese explanation,
submitted, approved against the budget, paid once; frozen once approved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.subsidies.conftest import END, finish
from tests.training import builders
from trainhub.cli.demo import make_resident_id
from trainhub.core.errors import Conflict, DomainError
from trainhub.core.parameters.models import ParameterValue
from trainhub.extensions import db
from trainhub.subsidies import budgets, decisions
from trainhub.subsidies.models import Decision, Payment
from trainhub.training.eligibility import FamilyTie

CLAIMED = END + timedelta(days=10)


def _of(finished, kind: str) -> list[Decision]:
    return list(db.session.scalars(select(Decision).where(
        Decision.batch_id == finished.batch.id, Decision.kind == kind).order_by(Decision.id)))


def test_computing_stores_a_decision_per_trainee_and_kind(world, finished):
    made = decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    assert len(made) == 4
    fee, living = _of(finished, "fee")[0], _of(finished, "living")[0]
    assert (fee.amount_fen, fee.payee, fee.status) == (150000, "institution", "computed")
    assert (living.amount_fen, living.payee) == (5 * 8000, "trainee")
    assert fee.explanation.startswith("您的培训费补贴为 1,500.00 元")
    assert {p["key"] for p in fee.parameters} >= {"subsidies.fee_intermediate"}
    assert fee.inputs["batch"]["fee_charged"] == 150000
    assert fee.trace and all("rule" in step for step in fee.trace)


def test_the_parameter_values_used_are_frozen(world, finished):
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    fee = _of(finished, "fee")[0]
    used = {int(p["version"]) for p in fee.parameters}
    frozen = db.session.scalars(select(ParameterValue).where(ParameterValue.id.in_(used)))
    assert all(row.first_used_at is not None for row in frozen)


def test_the_lifecycle_to_payment(world, finished, budget):
    budget()
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    fees = _of(finished, "fee")
    assert decisions.submit(fees, world.staff, CLAIMED) == 2
    decisions.approve(fees, world.county, CLAIMED)
    assert [d.status for d in fees] == ["approved", "approved"]
    payment = decisions.pay(fees[0], world.county, CLAIMED, "GK2026-0001", CLAIMED)
    assert (payment.amount_fen, payment.payee_name) == (150000, world.institution.name)
    assert fees[0].status == "paid"
    with pytest.raises(Conflict):
        decisions.pay(fees[0], world.county, CLAIMED, "GK2026-0002", CLAIMED)
    assert len(db.session.scalars(select(Payment)).all()) == 1


def test_approved_decisions_are_not_recomputed(world, finished, budget):
    budget()
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    fees = _of(finished, "fee")
    decisions.submit(fees, world.staff, CLAIMED)
    decisions.approve(fees[:1], world.county, CLAIMED)
    again = decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    assert fees[0].id not in {d.id for d in again}
    assert fees[1].id in {d.id for d in again}


def test_approval_beyond_the_budget_is_refused_with_the_figures(world, finished, budget):
    budget(fee=200000)
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    fees = _of(finished, "fee")
    decisions.submit(fees, world.staff, CLAIMED)
    with pytest.raises(DomainError) as refused:
        decisions.approve(fees, world.county, CLAIMED)
    assert "¥3,000.00" in str(refused.value) and "¥2,000.00" in str(refused.value)
    db.session.rollback()


def test_approval_without_any_budget_is_refused(world, finished):
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    fees = _of(finished, "fee")
    decisions.submit(fees, world.staff, CLAIMED)
    with pytest.raises(DomainError, match="No 2026 budget"):
        decisions.approve(fees, world.county, CLAIMED)


def test_a_city_budget_also_caps_its_counties(world, finished, budget):
    budget()
    budgets.set_budget("3601", 2026, "fee", 100000, world.city)
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    fees = _of(finished, "fee")
    decisions.submit(fees, world.staff, CLAIMED)
    with pytest.raises(DomainError, match="南昌市"):
        decisions.approve(fees[:1], world.county, CLAIMED)


def test_approving_a_rejected_or_paid_decision_is_refused(world, finished, budget):
    budget()
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    one, two = _of(finished, "fee")
    decisions.submit([one, two], world.staff, CLAIMED)
    decisions.reject(one, world.county, "证书信息有误")
    with pytest.raises(Conflict):
        decisions.approve([one], world.county, CLAIMED)
    decisions.approve([two], world.county, CLAIMED)
    decisions.pay(two, world.county, CLAIMED, "GK-1", CLAIMED)
    with pytest.raises(Conflict):
        decisions.approve([two], world.county, CLAIMED)
    with pytest.raises(DomainError, match="reason"):
        decisions.reject(two, world.county, "")


def test_a_claim_after_twelve_months_refuses_the_fee(world, finished):
    late = END + timedelta(days=400)
    decisions.compute_batch(finished.batch, world.staff, late)
    fee = _of(finished, "fee")[0]
    assert (fee.eligible, fee.amount_fen, fee.reasons) == (False, 0,
                                                           ["claim_deadline_passed"])
    assert "12" in fee.explanation
    assert decisions.submit([fee], world.staff, late) == 0
    assert fee.status == "computed"


def test_caps_hold_across_institutions(world):
    """The same person, the same occupation and level, at a second institution."""
    person = builders.person()
    first = finish(world.base, world.staff, world.county, [person])
    decisions.compute_batch(first.batch, world.staff, END + timedelta(days=5))
    other = builders.institution("360103")
    other_staff = builders.user("institution_staff", institution_id=other.id)
    second = finish(builders.base(other, certifier=world.other_county), other_staff,
                    world.other_county, [person], start=date(2026, 5, 11))
    decisions.compute_batch(second.batch, other_staff, date(2026, 6, 1))
    fee = _of(second, "fee")[0]
    assert fee.reasons == ["same_occupation_level"] and fee.amount_fen == 0


def test_a_family_members_seat_gets_no_subsidy_and_says_why(world):
    """Issue 12, item 4: a family member of a person with disabilities (残疾人家庭成员) who
    took a seat in a batch open to them passes and is certified like the others, and is
    granted nothing, with the reason in plain Chinese."""
    relative = make_resident_id("360102", date(1958, 4, 2), 77) + "12"
    done = finish(world.base, world.staff, world.county,
                  [builders.person(), builders.person(category=None)],
                  families={1: FamilyTie("child", relative)}, open_to_family_members=True)
    decisions.compute_batch(done.batch, world.staff, CLAIMED)
    holder, family = done.trainees
    by_trainee = {(d.enrolment_id, d.kind): d for d in db.session.scalars(
        select(Decision).where(Decision.batch_id == done.batch.id))}
    assert by_trainee[holder.id, "fee"].amount_fen == 150000
    for kind in ("fee", "living"):
        refused = by_trainee[family.id, kind]
        assert (refused.eligible, refused.amount_fen, refused.reasons) == (
            False, 0, ["family_member"])
        assert "您作为残疾人家庭成员参加培训，不享受培训补贴和生活补贴。" in refused.explanation
        assert refused.trace[0]["rule"] == "eligibility.family_member"
        assert refused.trace[0]["inputs"] == {"family_member": True}


def test_below_eighty_percent_the_day_rule_applies(world):
    low = finish(world.base, world.staff, world.county, [builders.person()],
                 marks=("present", "present", "present", "absent", "absent"))
    decisions.compute_batch(low.batch, world.staff, END + timedelta(days=5))
    fee = _of(low, "fee")[0]
    # 24 hours attended = 3 days × ¥100 = ¥300, under 60% of ¥1,500.
    assert fee.amount_fen == 30000
