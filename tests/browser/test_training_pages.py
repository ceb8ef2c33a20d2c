"""The training pages each role reaches beyond its navigation, checked by axe in Chinese
and in English: batch pages at every stage of the demo, the roster, the attendance grid,
result and follow-up forms, the hired-versus-committed charts, and the public catalogue."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.helpers import sign_in, submit, visit
from trainhub.cli.demo import DEMO_PASSWORD
from trainhub.extensions import db
from trainhub.training.models import Batch, Enrolment

pytestmark = pytest.mark.browser


def _demo(live_app: Any) -> dict[str, int]:
    with live_app.app_context():
        batches = {b.status: b.id for b in db.session.scalars(select(Batch))}
        graduate = db.session.scalars(select(Enrolment).where(
            Enrolment.batch_id == batches["completed"])).first()
        assert graduate is not None
        return {**batches, "graduate": graduate.id}


def test_staff_pages(page: Any, live_app: Any) -> None:
    ids = _demo(live_app)
    sign_in(page, "school.staff", DEMO_PASSWORD)
    visit(page, "/training/batches/new")
    for status in ("submitted", "enrolling", "in_progress", "completed"):
        visit(page, f"/training/batches/{ids[status]}")
        visit(page, f"/training/batches/{ids[status]}/roster")
    visit(page, f"/training/batches/{ids['in_progress']}/attendance")
    first_session = page.locator("main ul.session-links a").first.get_attribute("href")
    visit(page, first_session)
    visit(page, f"/training/enrolments/{ids['graduate']}/result")
    visit(page, f"/training/enrolments/{ids['graduate']}/followup")
    visit(page, "/training/outcomes")
    page.wait_for_selector("#table-institutions")


def test_officer_pages_with_charts(page: Any, live_app: Any) -> None:
    ids = _demo(live_app)
    sign_in(page, "nanchang.officer", DEMO_PASSWORD)
    visit(page, f"/training/batches/{ids['submitted']}")
    assert page.locator("form[action$='/approve']").count() == 1
    visit(page, f"/training/batches/{ids['completed']}/attendance")
    visit(page, "/training/outcomes")
    page.wait_for_selector(".outcome-chart svg")  # the chart drew, beside its table
    visit(page, "/training/demands")
    demand = page.locator("main table a").first.get_attribute("href")
    visit(page, demand)


def test_public_catalogue_in_both_languages(page: Any, live_app: Any) -> None:
    ids = _demo(live_app)
    visit(page, "/training/courses")
    visit(page, "/training/courses?provision=braille&category=massage")
    visit(page, f"/training/courses/{ids['enrolling']}")
    switch = page.locator("form.lang-form button[name=lang]")
    submit(page, switch.click)
    assert page.get_attribute("html", "lang") == "en"
    visit(page, "/training/courses")
    visit(page, f"/training/courses/{ids['enrolling']}")
    assert "Apply" in page.inner_text("main")


def test_wide_tables_scroll_inside_their_region_at_360_px(page: Any, live_app: Any) -> None:
    """On a phone the page never scrolls sideways: a wide table scrolls in its own region,
    hidden text in its cells included (it once escaped the region: roster 574 px wide)."""
    ids = _demo(live_app)
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, "school.staff", DEMO_PASSWORD)
    for path in (f"/training/batches/{ids['enrolling']}/roster",
                 f"/training/batches/{ids['in_progress']}/attendance"):
        visit(page, path)
        assert page.locator("main .table-responsive").count() >= 1, path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide at 360"
