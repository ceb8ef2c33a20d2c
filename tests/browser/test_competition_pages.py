"""The organisers' and delegations' competition pages of the demo, checked by axe in Chinese
and in English: the list, a new competition, the competition with its arbitration group, a
new event (with a row added and with a bad scheme), the drawn and the open event, judges'
registry, assignments and conflicts, the delegation table with its chart, and a city's
registration page with a refused entry; the correction forms of the competition and its
events, with a refused correction of each. Only refused forms are sent: the demo data other
browser tests use stays as it is."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.helpers import sign_in, submit, visit
from trainhub.cli.demo import DEMO_PASSWORD
from trainhub.competitions.models import Competition, Event
from trainhub.extensions import db

pytestmark = pytest.mark.browser


def _demo(live_app: Any) -> dict[str, int]:
    with live_app.app_context():
        # The demo's competition is the first: other browser tests may create more.
        made = db.session.scalars(select(Competition).order_by(Competition.id)).first()
        assert made is not None
        events = {e.name: e.id for e in db.session.scalars(select(Event).where(
            Event.competition_id == made.id))}
        return {"competition": made.id, "massage": events["盲人保健按摩"],
                "ecommerce": events["电子商务"]}


def test_organiser_pages(page: Any, live_app: Any) -> None:
    ids = _demo(live_app)
    sign_in(page, "sheng.officer", DEMO_PASSWORD)
    visit(page, "/competitions/")
    visit(page, "/competitions/new")
    visit(page, f"/competitions/{ids['competition']}")
    assert page.locator("section[aria-labelledby=arbitration] select").count() == 1
    for event in ("massage", "ecommerce"):
        visit(page, f"/competitions/events/{ids[event]}")
        visit(page, f"/competitions/events/{ids[event]}/judges")
    assert "回避" in page.inner_text("main")
    visit(page, "/competitions/judges")
    visit(page, f"/competitions/{ids['competition']}/delegations")
    page.wait_for_selector(".outcome-chart svg")  # the chart drew, beside its table


def test_event_form_adds_a_row_and_refuses_a_bad_scheme(page: Any, live_app: Any) -> None:
    ids = _demo(live_app)
    sign_in(page, "sheng.officer", DEMO_PASSWORD)
    visit(page, f"/competitions/{ids['competition']}/events/new")
    submit(page, page.locator("button[name=add_aspect]").click)
    assert page.locator("#aspects-3-code").count() == 1
    assert page.evaluate("() => document.activeElement.id") == "aspects-3-code"
    page.fill("#name", "测试项目")
    page.fill("#occupation", "测试工种")
    page.fill("#quota", "2")
    page.fill("#aspects-0-code", "A")
    page.select_option("#aspects-0-kind", "measurement")
    page.select_option("#aspects-0-scale", "")
    page.fill("#aspects-0-max_mark", "0")
    submit(page, page.locator("main form button[type=submit]").first.click, status=400)
    assert "评分方案无效" in page.inner_text("main")


def test_correction_forms_and_refused_corrections(page: Any, live_app: Any) -> None:
    ids = _demo(live_app)
    sign_in(page, "sheng.officer", DEMO_PASSWORD)
    visit(page, f"/competitions/{ids['competition']}")
    edit = f"/competitions/{ids['competition']}/edit"
    submit(page, page.locator(f"main a[href='{edit}']").click)
    assert page.input_value("#name")  # filled in with what is stored
    page.fill("#name", "")
    submit(page, page.locator("main form button[type=submit]").first.click, status=400)
    assert page.locator("#error-summary a[href='#name']").count() == 1
    for event in ("ecommerce", "massage"):
        visit(page, f"/competitions/events/{ids[event]}/edit")
    # The massage event is drawn: its correction is refused beside the form.
    submit(page, page.locator("main form button[type=submit]").first.click, status=400)
    assert page.locator("main .alert-danger[role=alert]").count() >= 1
    assert page.input_value("#aspects-0-code")  # the form stays filled in


def test_city_registration_page_and_a_refused_entry(page: Any, live_app: Any) -> None:
    ids = _demo(live_app)
    sign_in(page, "nanchang.officer", DEMO_PASSWORD)
    visit(page, "/competitions/")
    visit(page, f"/competitions/{ids['competition']}/delegations/3601")
    field = page.locator(f"#e{ids['ecommerce']}-numbers-0")
    field.fill("360102199001010011")  # nobody on record has it
    submit(page, lambda: field.press("Enter"), status=400)
    assert "没有证件号码为" in page.inner_text("main")
    visit(page, f"/competitions/{ids['competition']}/delegations")


def test_pages_in_english(page: Any, live_app: Any) -> None:
    ids = _demo(live_app)
    sign_in(page, "sheng.officer", DEMO_PASSWORD)
    switch = page.locator("form.lang-form button[name=lang]")
    submit(page, switch.click)
    assert page.get_attribute("html", "lang") == "en"
    visit(page, f"/competitions/{ids['competition']}")
    visit(page, f"/competitions/events/{ids['massage']}")
    assert "Drawn" in page.inner_text("main")
    visit(page, f"/competitions/{ids['competition']}/events/new")
    visit(page, f"/competitions/events/{ids['massage']}/judges")
