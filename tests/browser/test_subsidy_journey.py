"""我的补贴 in a browser, by keyboard alone: a demo trainee signs in, opens 我的补贴, jumps to
the reason for the amount of her training-fee subsidy, reads it, and downloads the decision
notice, which verifies. Every page reached is checked by axe (WCAG 2.1 A and AA)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.helpers import (
    active,
    check_a11y,
    path_of,
    sign_in,
    submit,
    tab_until,
    visit,
)
from trainhub.cli.demo import DEMO_PASSWORD
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import decisions, engine
from trainhub.subsidies.models import Decision
from trainhub.training.catalog import BatchStatus, EnrolmentStatus
from trainhub.training.models import Batch, Enrolment

pytestmark = pytest.mark.browser
# trainee5's fee subsidy follows the day rule in the demo subsidies; trainee2 has the
# completed demo batch, whose decisions this test computes if no demo subsidies exist.
CANDIDATES = ("trainee5", "trainee2")


def _fee_decision(username: str) -> Decision | None:
    user = db.session.scalars(select(User).where(User.username == username)).one()
    return db.session.scalars(select(Decision).where(
        Decision.person_id == user.person_id, Decision.kind == "fee")
        .order_by(Decision.id)).first()


def _compute_for(username: str) -> None:
    """Without demo subsidies: compute the trainee's completed batch, as staff would."""
    user = db.session.scalars(select(User).where(User.username == username)).one()
    batch = db.session.scalars(
        select(Batch).join(Enrolment, Enrolment.batch_id == Batch.id)
        .where(Enrolment.person_id == user.person_id,
               Enrolment.status == EnrolmentStatus.ADMITTED.value,
               Batch.status == BatchStatus.COMPLETED.value)).first()
    assert batch is not None, f"{username} has no completed batch in the demo data"
    staff = db.session.scalars(select(User).where(User.username == "school.staff")).one()
    decisions.compute_batch(batch, staff, local_today())
    db.session.commit()


def _trainee_with_a_fee_decision(live_app: Any) -> tuple[str, dict[str, Any]]:
    with live_app.app_context():
        for username in CANDIDATES:
            if _fee_decision(username) is not None:
                break
        else:
            username = CANDIDATES[-1]
            _compute_for(username)
        fee = _fee_decision(username)
        assert fee is not None
        person_decisions = db.session.scalars(select(Decision).where(
            Decision.person_id == fee.person_id)).all()
        return username, {
            "id": fee.id, "amount": engine.format_yuan(fee.amount_fen),
            "eligible": fee.eligible,
            "rejections": [d.rejection_reason for d in person_decisions
                           if d.status == "rejected"]}


def _sign_in_by_keyboard(page: Any, username: str) -> None:
    page.context.clear_cookies()
    visit(page, "/login")
    tab_until(page, lambda el: el.get("id") == "username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert active(page)["id"] == "password"
    page.keyboard.type(DEMO_PASSWORD)
    submit(page, lambda: page.keyboard.press("Enter"))
    assert path_of(page) == "/"


def _text_after(page: Any, element_id: str) -> str:
    """The paragraph and list that follow a heading: what a screen reader reads next."""
    return page.evaluate("""(id) => {
      const parts = [];
      let el = document.getElementById(id).nextElementSibling;
      while (el && (el.tagName === 'P' || el.tagName === 'UL') && !el.querySelector('a')) {
        parts.push(el.innerText.trim());
        el = el.nextElementSibling;
      }
      return parts.join('\\n');
    }""", element_id)


def test_a_trainee_reads_why_by_keyboard_and_downloads_the_notice(page: Any,
                                                                   live_app: Any) -> None:
    username, fee = _trainee_with_a_fee_decision(live_app)
    _sign_in_by_keyboard(page, username)

    # 我的补贴 is in the main navigation.
    tab_until(page, lambda el: el.get("href") == "/subsidies/mine")
    submit(page, lambda: page.keyboard.press("Enter"))
    assert path_of(page) == "/subsidies/mine"
    assert page.inner_text("h1") == "我的补贴"
    main = page.inner_text("main")
    for reason in fee["rejections"]:  # a rejection's reason is there in words
        assert reason in main

    # A link near the top goes to the reason for the amount; focus follows it.
    why = f"why-{fee['id']}"
    link = tab_until(page, lambda el: el.get("href") == f"#{why}")
    assert "培训费补贴" in link["text"] and fee["amount"] in link["text"], link
    page.keyboard.press("Enter")
    focused = active(page)
    assert focused["id"] == why, focused
    assert focused["text"].startswith("为什么是这个金额" if fee["eligible"] else "为什么没有补贴")
    reason = _text_after(page, why)
    assert fee["amount"] in reason and "因为" in reason, reason
    assert len(reason.splitlines()) >= 2, reason  # the headline, then each step of the rule
    check_a11y(page, note="after jumping to the reason for an amount")

    # The next stop after the reason is the notice of that decision.
    notice = f"/subsidies/mine/{fee['id']}/notice.pdf"
    tab_until(page, lambda el: el.get("href") == notice, limit=5)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")

    with live_app.app_context():
        code = db.session.get(Decision, fee["id"]).verification_code
    assert code
    page.context.clear_cookies()
    visit(page, f"/verify/{code}")
    text = page.inner_text("main")
    assert "补贴决定通知书" in text and "有效" in text and f"¥{fee['amount']}" in text


def test_an_officer_issues_a_voucher_and_the_trainee_claims_it(page: Any,
                                                               live_app: Any) -> None:
    from trainhub.cli.demo import TRAINEES, make_resident_id

    name, county, born, sequence = TRAINEES[0][:4]  # trainee1, of 东湖区
    sign_in(page, "donghu.officer", DEMO_PASSWORD)
    visit(page, "/subsidies/vouchers")
    submit(page, page.locator("a[href='/subsidies/vouchers/new']").first.click)
    # A refusal first: the form comes back with the problem, in words, checked by axe.
    page.fill("#numbers", make_resident_id("360103", born, sequence))
    page.fill("#face_value", "1200")
    submit(page, page.locator("main form button[type=submit]").first.click, status=400)
    assert "本辖区没有登记此号码的人员" in page.inner_text("main")
    page.fill("#numbers", make_resident_id(county, born, sequence))
    page.check("input[name=categories][value=massage]")
    submit(page, page.locator("main form button[type=submit]").first.click)
    assert path_of(page) == "/subsidies/vouchers"
    assert name in page.inner_text("main") and "¥1,200.00" in page.inner_text("main")

    _sign_in_by_keyboard(page, "trainee1")
    tab_until(page, lambda el: el.get("href") == "/subsidies/mine")
    submit(page, lambda: page.keyboard.press("Enter"))
    tab_until(page, lambda el: el.get("text", "").startswith("领取这张培训券"), limit=80)
    submit(page, lambda: page.keyboard.press("Enter"))
    main = page.inner_text("main")
    assert "已领取，可以使用" in main and "盲人按摩" in main
