"""The subsidy pages of institutions and officers in a browser, checked by axe (WCAG 2.1 A and
AA) in Chinese and in English: a batch's subsidies and each kind of decision (claimed, paid,
approved, refused by the rules, paid by the day rule, rejected), the approval queue with a
bulk approval and a payment, the budgets with their charts and a refused change, and the
reconciliation report."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.helpers import path_of, sign_in, submit, visit
from trainhub.cli.demo import DEMO_PASSWORD
from trainhub.core.accounts.models import User
from trainhub.extensions import db
from trainhub.subsidies.models import Decision
from trainhub.training.models import Batch

pytestmark = pytest.mark.browser


def _demo(live_app: Any) -> dict[str, int]:
    """Ids of the demo subsidies: batches by status, decisions as "<trainee>.<kind>"."""
    with live_app.app_context():
        ids = {b.status: b.id for b in db.session.scalars(
            select(Batch).where(Batch.status.in_(["completed", "settled"])))}
        people = {u.person_id: u.username for u in db.session.scalars(
            select(User).where(User.person_id.is_not(None)))}
        for d in db.session.scalars(select(Decision)):
            ids[f"{people[d.person_id]}.{d.kind}"] = d.id
        return ids


def _english(page: Any) -> None:
    submit(page, page.locator("form.lang-form button[name=lang]").click)
    assert page.get_attribute("html", "lang") == "en"


def test_staff_see_and_recompute_their_batches(page: Any, live_app: Any) -> None:
    ids = _demo(live_app)
    sign_in(page, "school.staff", DEMO_PASSWORD)
    submit(page, page.locator("nav.main-nav a[href='/subsidies/batches']").click)
    assert page.locator("main table tbody tr").count() == 2
    visit(page, f"/training/batches/{ids['settled']}")
    submit(page, page.locator(f"main a[href='/subsidies/batches/{ids['settled']}']").click)
    main = page.inner_text("main")
    assert "入学时已就业" in main and "已拨付" in main and "已驳回" in main
    submit(page, page.locator("form[action$='/compute'] button").click)
    assert "已计算" in page.inner_text(".flashes")
    visit(page, f"/subsidies/batches/{ids['completed']}")
    assert "已申报，待审批" in page.inner_text("main")
    for decision in ("trainee4.fee", "trainee5.fee", "trainee2.fee"):
        visit(page, f"/subsidies/decisions/{ids[decision]}")
        assert page.locator("main ol.trace > li").count() >= 5
    assert page.locator("form[action$='/approve']").count() == 0  # staff do not decide


def test_an_officer_approves_in_bulk_and_records_the_payment(page: Any,
                                                             live_app: Any) -> None:
    ids = _demo(live_app)
    sign_in(page, "donghu.officer", DEMO_PASSWORD)
    submit(page, page.locator("nav.main-nav a[href='/subsidies/approvals']").click)
    living = ids["trainee2.living"]
    page.check(f"#approve-{living}")
    submit(page, page.locator("#approve-form button[type=submit]").click)
    assert "已批准 1 项" in page.inner_text(".flashes")
    page.fill(f"#reference-{living}", "GK-BROWSER-001")
    submit(page, page.locator(f"form[action='/subsidies/decisions/{living}/pay'] button").click)
    assert "已记录" in page.inner_text(".flashes")
    visit(page, f"/subsidies/decisions/{living}")
    history = page.inner_text("#history ~ div table")
    assert "GK-BROWSER-001" in history and "张伟" in history
    for decision in ("trainee3.fee", "trainee5.living", "trainee5.fee"):
        visit(page, f"/subsidies/decisions/{ids[decision]}")
    assert page.locator("form[action$='/pay']").count() == 1  # approved: awaiting payment
    _english(page)
    visit(page, f"/subsidies/decisions/{ids['trainee5.fee']}")
    assert "Below 80% the subsidy is" in page.inner_text("main")
    visit(page, "/subsidies/approvals")


def test_budgets_with_their_charts_and_a_refused_change(page: Any) -> None:
    sign_in(page, "nanchang.officer", DEMO_PASSWORD)
    submit(page, page.locator("nav.main-nav a[href='/subsidies/budgets']").click)
    page.wait_for_selector("[data-chart-table='budgets-fee'] svg")  # drawn beside its table
    assert "南昌市 东湖区" in page.inner_text("#budgets-fee")
    page.select_option("#region_code", "360102")
    page.fill("#amount", "1")
    submit(page, page.locator("form[action='/subsidies/budgets'] button").click, status=400)
    assert "预算不能低于此数" in page.inner_text("main")
    _english(page)
    assert path_of(page) == "/subsidies/budgets"


def test_the_reconciliation_report_in_both_languages(page: Any) -> None:
    sign_in(page, "sheng.officer", DEMO_PASSWORD)
    submit(page, page.locator("nav.main-nav a[href='/subsidies/reports']").click)
    assert "南昌市" in page.inner_text("#report-regions")
    page.select_option("#report-kind", "living")
    submit(page, page.locator("main form[method=get] button").click)
    assert "kind=living" in page.url
    _english(page)
    visit(page, "/subsidies/reports")
    assert "Subsidy reconciliation" in page.inner_text("h1")


def test_the_admin_reads_the_report(page: Any) -> None:
    sign_in(page, "admin", DEMO_PASSWORD)
    submit(page, page.locator("nav.main-nav a[href='/subsidies/reports']").click)
    assert page.locator("#report-institutions tbody tr").count() >= 1


def test_my_subsidies_headings_are_sized_in_order(page: Any, live_app: Any) -> None:
    """我的补贴 on a wide screen: the h1 is the largest heading, and no heading is drawn
    larger than one of a higher level (Bootstrap's h2 alone is 2rem, above our 1.75rem h1)."""
    sign_in(page, "trainee2", DEMO_PASSWORD)
    visit(page, "/subsidies/mine")
    found = page.eval_on_selector_all(
        "main h1, main h2, main h3, main h4, main h5, main h6",
        "els => els.map(e => [Number(e.tagName[1]), parseFloat(getComputedStyle(e).fontSize)])")
    sizes: dict[int, list[float]] = {}
    for level, size in found:
        sizes.setdefault(level, []).append(size)
    assert set(sizes) >= {1, 2, 3, 4}, sizes
    for level, drawn in sizes.items():
        deeper = [s for other, those in sizes.items() if other > level for s in those]
        assert not deeper or min(drawn) >= max(deeper), (level, sizes)
