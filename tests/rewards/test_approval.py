"""After the city: the public notice with objections, approval within the year's budget,
payment once; each refusal with a clear message and nothing changed."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from flask import current_app
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.rewards.conftest import TODAY, budget, declaration, to_city_reviewed
from trainhub.core.documents import service as documents
from trainhub.core.errors import Conflict, DomainError
from trainhub.extensions import db
from trainhub.rewards import approval, notice_pdf
from trainhub.rewards.models import DeclarationStatus, PersonClaim

AFTER = TODAY + timedelta(days=8)


def _noticed(world, persons: int = 4):
    found = declaration(world, persons=persons)
    to_city_reviewed(world, found)
    approval.open_notice(found, TODAY)
    return found


def test_notice_objection_approval_and_payment_once(world):
    found = _noticed(world)
    assert (found.status, found.notice_ends_on) == (DeclarationStatus.IN_NOTICE,
                                                    TODAY + timedelta(days=7))
    objection = approval.record_objection(found, TODAY, "匿名", "该企业人数有误", world.city, TODAY)
    with pytest.raises(DomainError, match="open objections"):
        approval.approve(found, world.city, AFTER)
    approval.resolve_objection(objection, False, "经核实人数无误", world.city)
    budget("3601", AFTER.year, 10_000_000, world.city)
    with pytest.raises(DomainError, match="ends on"):
        approval.approve(found, world.city, found.notice_ends_on)
    approval.approve(found, world.city, AFTER)
    assert (found.status, found.budget_year) == (DeclarationStatus.APPROVED, AFTER.year)
    assert approval.committed_fen("3601", AFTER.year) == found.amount_fen > 0
    approval.pay(found, "GJ2026030200017", world.city)
    assert found.status == DeclarationStatus.PAID and found.paid_at is not None
    with pytest.raises(Conflict):
        approval.pay(found, "GJ2026030200018", world.city)
    assert found.payment_reference == "GJ2026030200017"


def test_an_approval_needs_a_budget_and_must_fit_it(world):
    found = _noticed(world)
    with pytest.raises(DomainError, match="No .* budget covers"):
        approval.approve(found, world.city, AFTER)
    budget("36", AFTER.year, 10_000_000, world.province)
    budget("360102", AFTER.year, (found.amount_fen or 0) - 1, world.county)
    with pytest.raises(DomainError, match="would exceed") as caught:
        approval.approve(found, world.city, AFTER)
    assert "东湖区" in str(caught.value)
    db.session.expire_all()
    assert found.status == DeclarationStatus.IN_NOTICE and found.budget_year is None


def test_an_upheld_objection_returns_the_declaration_and_frees_its_persons(world):
    found = _noticed(world, persons=2)
    objection = approval.record_objection(found, TODAY, "", "一名职工已离职", world.city, TODAY)
    approval.resolve_objection(objection, True, "核实属实，退回修改", world.city)
    assert (found.status, found.return_reason) == (DeclarationStatus.RETURNED, "核实属实，退回修改")
    assert db.session.scalar(select(func.count()).select_from(PersonClaim)) == 0


@pytest.mark.parametrize(("received", "content", "field"), [
    (None, "异议", "received_on"), (TODAY + timedelta(days=1), "异议", "received_on"),
    (TODAY - timedelta(days=1), "异议", "received_on"), (TODAY, " ", "content")])
def test_a_bad_objection_is_refused_on_its_field(world, received, content, field):
    found = _noticed(world, persons=1)
    with pytest.raises(DomainError) as caught:
        approval.record_objection(found, received, "", content, world.city, TODAY)
    assert caught.value.field == field
    assert found.objections == []


def test_the_notice_opens_once_and_only_after_the_city(world):
    found = declaration(world, persons=1)
    with pytest.raises(Conflict):
        approval.open_notice(found, TODAY)
    to_city_reviewed(world, found)
    approval.open_notice(found, TODAY)
    with pytest.raises(Conflict):
        approval.open_notice(found, TODAY)


def test_payment_before_approval_is_refused(world):
    found = _noticed(world, persons=1)
    with pytest.raises(Conflict):
        approval.pay(found, "X1", world.city)
    with pytest.raises(DomainError, match="reference"):
        approval.pay(found, " ", world.city)
    assert found.status == DeclarationStatus.IN_NOTICE


def test_the_approval_issues_a_verifiable_notice_without_persons(world):
    found = _noticed(world, persons=4)
    budget("36", AFTER.year, 10_000_000, world.province)
    approval.approve(found, world.city, AFTER)
    verification = documents.find(found.verification_code or "")
    assert verification is not None
    facts = dict(verification.facts)
    assert facts["Enterprise"] == world.enterprise.name and facts["Rewarded persons"] == "2"
    assert documents.issuer_of(verification) == "南昌市残疾人联合会"
    with current_app.test_request_context():
        pdf = notice_pdf.render(found)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    flat = text.replace(" ", "").replace("\n", "")
    assert world.enterprise.name in flat and found.verification_code in flat
    assert found.employees[0].name not in flat


def test_a_budget_is_set_raised_and_never_below_what_is_committed(world):
    found = _noticed(world, persons=4)
    approval.set_budget("3601", AFTER.year, 10_000_000, world.city)
    approval.approve(found, world.city, AFTER)
    with pytest.raises(DomainError, match="already committed"):
        approval.set_budget("3601", AFTER.year, (found.amount_fen or 0) - 1, world.city)
    with pytest.raises(DomainError, match="out of range"):
        approval.set_budget("3601", AFTER.year, -1, world.city)
    (use,) = approval.budgets_of("36", AFTER.year)
    assert (use.budget.amount_fen, use.committed_fen) == (10_000_000, found.amount_fen)


def test_each_budget_counts_only_the_rewards_of_its_own_region(world):
    found = _noticed(world, persons=4)
    approval.set_budget("36", AFTER.year, 20_000_000, world.province)
    approval.set_budget("3601", AFTER.year, 10_000_000, world.city)
    approval.approve(found, world.city, AFTER)
    approval.set_budget("360103", AFTER.year, 1_000_000, world.city)
    used = {u.budget.region_code: u.committed_fen for u in approval.budgets_of("36", AFTER.year)}
    assert used == {"36": found.amount_fen, "3601": found.amount_fen, "360103": 0}
    assert approval.budgets_of("3602", AFTER.year) == []


def _told(user) -> list[tuple[str, dict]]:
    from trainhub.core.notifications.models import Notification

    return [(n.kind, n.params) for n in db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))]


def test_the_enterprise_is_told_when_returned_approved_and_paid_and_no_one_else(world):
    from trainhub.rewards import declarations
    from trainhub.rewards.models import ReviewDecision, ReviewLevel

    returned = declaration(world, persons=4, enterprise=world.other_enterprise,
                           contact=world.other_contact)
    declarations.submit(returned, TODAY)
    declarations.review(returned, ReviewLevel.COUNTY, ReviewDecision.RETURN, "证明材料不清",
                        world.county)
    assert _told(world.other_contact) == [("reward.returned", {"year": returned.year})]

    found = _noticed(world, persons=4)
    budget("3601", AFTER.year, 10_000_000, world.city)
    approval.approve(found, world.city, AFTER)
    approval.pay(found, "BANK-2026-001", world.city)
    expected = {"year": found.year, "amount": found.amount_fen}
    assert found.amount_fen
    assert _told(world.contact) == [("reward.approved", expected), ("reward.paid", expected)]
    assert len(_told(world.other_contact)) == 1 and _told(world.city) == []
