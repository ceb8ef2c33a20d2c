"""The notification centre and its settings on a 360 px phone, in both modes: axe finds
nothing, no page scrolls sideways; the header's count, marking one and all as read.

Two notifications are written for trainee3 here (those the demo's own story gave it are
marked read first) and removed at the end."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, func, select

from tests.browser.helpers import path_of, sign_in, submit, visit
from trainhub.cli.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

USERNAME = "trainee3"


@pytest.fixture
def told(live_app: Any) -> Any:
    from trainhub.core.accounts.models import User
    from trainhub.core.notifications import service
    from trainhub.core.notifications.models import Notification
    from trainhub.extensions import db

    with live_app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == USERNAME))
        service.mark_all_read(user_id)
        before = db.session.scalar(select(func.max(Notification.id))) or 0
        service.notify([user_id], "training.admitted", {"course": "电子商务培训班"},
                       "/training/mine")
        service.notify([user_id], "subsidy.paid", {"amount": 150000, "course": "电子商务培训班"},
                       "/subsidies/mine")
        db.session.commit()
    yield user_id
    with live_app.app_context():
        db.session.execute(delete(Notification).where(Notification.user_id == user_id,
                                                      Notification.id > before))
        db.session.commit()


def test_the_centre_and_its_settings_on_a_phone(page: Any, told: Any) -> None:
    sign_in(page, USERNAME, DEMO_PASSWORD)
    badge = page.locator("header a.notifications-link")
    assert badge.count() == 1 and badge.locator(".badge").inner_text().startswith("2")
    submit(page, badge.click, large_axe=True)
    assert path_of(page) == "/notifications"
    assert page.locator("main li.notification-unread").count() == 2
    assert page.locator("main li.notification").count() >= 2
    submit(page, page.locator("main li.notification form button").first.click, large_axe=True)
    assert page.locator("main li.notification-unread").count() == 1
    submit(page, page.locator("main form[action='/notifications/read-all'] button").click)
    assert page.locator("main li.notification-unread").count() == 0
    assert page.locator("header a.notifications-link .badge").count() == 0
    visit(page, "/account/notifications/settings", large_axe=True)
    assert page.locator("main input[type=checkbox]").count() == 2
