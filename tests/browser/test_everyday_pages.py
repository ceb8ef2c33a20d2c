"""Everyday staff work in a browser (issue 16 item 4): enrolling one trainee by hand (the
form and its refusal), all present on a session's sheet, QR check-in from the staff's page
to the trainee's phone, the calendars' links. Each page passes axe and fits 360 px
(check_page), in the normal and the larger-text mode."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.helpers import sign_in, submit, visit
from trainhub.cli.demo import DEMO_PASSWORD
from trainhub.core.timeutil import local_today, to_local
from trainhub.extensions import db
from trainhub.training.models import Batch

pytestmark = pytest.mark.browser


def _as(page: Any, username: str) -> None:
    """Another account on the same page: signing in over a session keeps the first one."""
    page.context.clear_cookies()
    sign_in(page, username, DEMO_PASSWORD)


def _batches(live_app: Any) -> dict[str, Any]:
    with live_app.app_context():
        found = {b.status: b for b in db.session.scalars(select(Batch))}
        running = found["in_progress"]
        today = [s.id for s in running.sessions
                 if to_local(s.starts_at).date() == local_today()]
        return {"enrolling": found["enrolling"].id, "running": running.id,
                "first": running.sessions[0].id, "today": today[0]}


def test_staff_enrol_one_trainee_and_mark_all_present(page: Any, live_app: Any) -> None:
    ids = _batches(live_app)
    sign_in(page, "school.staff", DEMO_PASSWORD)
    visit(page, f"/training/batches/{ids['enrolling']}/roster")
    submit(page, lambda: page.click("main a[href$='/enrol']"), large_axe=True)
    submit(page, lambda: page.click("main form.narrow button[type=submit]"), status=400,
           large_axe=True)
    assert page.locator("main .invalid-feedback, main [id$='-error']").count() >= 2
    visit(page, f"/training/batches/{ids['running']}/sessions/{ids['first']}/attendance")
    submit(page, lambda: page.click("main form[action$='/all-present'] button"),
           large_axe=True)
    assert page.locator("main .attendance-row input:checked").count() >= 1


def test_qr_check_in_from_the_room_to_the_phone(page: Any, live_app: Any) -> None:
    ids = _batches(live_app)
    checkin = f"/training/batches/{ids['running']}/sessions/{ids['today']}/checkin"
    sign_in(page, "school.staff", DEMO_PASSWORD)
    visit(page, f"/training/batches/{ids['running']}")
    assert page.locator("main a[href$='/sessions.ics']").count() == 1
    visit(page, f"/training/batches/{ids['running']}/attendance")
    visit(page, checkin, large_axe=True)
    submit(page, lambda: page.click("main form[action$='/open'] button"), large_axe=True)
    assert page.locator("main .checkin-qr svg").count() == 1
    link = page.locator("main #checkin-code a.text-break, main #checkin-code p a").first
    href = link.get_attribute("href")
    assert href and "/training/checkin/" in href
    _as(page, "trainee1")
    visit(page, re.sub(r"^https?://[^/]+", "", href), large_axe=True)
    submit(page, lambda: page.click("main form button[type=submit]"), large_axe=True)
    assert page.url.endswith("/training/mine")
    assert page.locator("main a[href$='/mine/sessions.ics']").count() == 1
    _as(page, "school.staff")
    visit(page, checkin, large_axe=True)
    assert page.locator("main #list-heading ~ ul li").count() == 1
    submit(page, lambda: page.click("main form[action$='/close'] button"), large_axe=True)
    assert page.locator("main .checkin-qr").count() == 0
