"""The account pages of issue 15 on a 360 px phone: axe finds nothing and no page scrolls
sideways (second-factor enrolment, recovery codes, the second-factor page, password reset
request and form, contact, 我的个人信息, and the new-notice interstitial, which is also
answered with the keyboard alone).

trainee4 is used by no other browser test; what this test changes on it (an authenticator
app, a consent to a test notice, a reset token) is undone at the end."""

from __future__ import annotations

import dataclasses
import re
import secrets
from datetime import date, timedelta
from typing import Any

import pyotp
import pytest
from sqlalchemy import delete, select

from tests.browser.helpers import (
    REPORT,
    check_a11y,
    path_of,
    sign_in_by_request,
    tab_until,
)
from trainhub.cli.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

USERNAME = "trainee4"
WIDTH = 360
SCREENSHOT = REPORT.parent / "renew-360.png"  # to look at how the page reads on a phone


def _check(page: Any, response: Any = None, status: int | None = None) -> None:
    if response is not None:
        assert response.status == (status or response.status) and response.status < 500
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= WIDTH, f"{path_of(page)} scrolls sideways: scrollWidth {width} px"
    check_a11y(page, note="account pages at 360 px")


def _user_id(live_app: Any) -> int:
    from trainhub.core.accounts.models import User
    from trainhub.extensions import db

    with live_app.app_context():
        return db.session.scalars(select(User.id).where(User.username == USERNAME)).one()


def _reset_token(live_app: Any, user_id: int) -> str:
    from trainhub.core.accounts import reset
    from trainhub.core.accounts.reset import PasswordResetToken
    from trainhub.core.timeutil import utcnow
    from trainhub.extensions import db

    token = secrets.token_urlsafe(32)
    with live_app.app_context():
        now = utcnow()
        db.session.add(
            PasswordResetToken(
                user_id=user_id,
                token_hash=reset._sha256(token),
                channel="sms",
                created_at=now,
                expires_at=now + timedelta(minutes=30),
            )
        )
        db.session.commit()
    return token


def _undo(live_app: Any, user_id: int, version: str) -> None:
    from trainhub.core.accounts import totp
    from trainhub.core.accounts.models import User
    from trainhub.core.accounts.reset import PasswordResetToken
    from trainhub.core.privacy.models import Consent
    from trainhub.extensions import db

    with live_app.app_context():
        totp._remove(db.session.get(User, user_id))
        db.session.execute(delete(Consent).where(Consent.notice_version == version))
        db.session.execute(delete(PasswordResetToken).where(PasswordResetToken.user_id == user_id))
        db.session.commit()


def test_account_pages_at_360_px_and_the_interstitial_by_keyboard(
    page: Any, live_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trainhub.core.privacy import notice

    page.set_viewport_size({"width": WIDTH, "height": 760})
    user_id = _user_id(live_app)
    new = dataclasses.replace(notice.CURRENT, version="2099-1", published=date(2099, 1, 1))
    try:
        # Signed out: the password reset request, and the form a link opens.
        _check(page, page.goto("/password/forgot", wait_until="load"))
        token = _reset_token(live_app, user_id)
        response = page.goto(f"/password/reset/{token}", wait_until="load")
        assert path_of(page) == "/password/reset"
        _check(page, response)

        sign_in_by_request(page.context, USERNAME, DEMO_PASSWORD)
        for path in ("/account/contact", "/account/privacy"):
            _check(page, page.goto(path, wait_until="load"))

        # The second factor: enrolment, the recovery codes, the page with new codes.
        _check(page, page.goto("/account/second-factor", wait_until="load"))
        secret = re.sub(r"\s", "", page.inner_text("code.token-secret"))
        page.fill("#code", pyotp.TOTP(secret).now())
        with page.expect_navigation(wait_until="load") as shown:
            page.locator("main form button[type=submit]").first.click()
        assert len(re.findall(r"[A-Z0-9]{5}-[A-Z0-9]{5}", page.inner_text("main"))) == 10
        _check(page, shown.value)
        _check(page, page.goto("/account/second-factor", wait_until="load"))
        assert page.locator("#regenerate-code").count() == 1

        # A new notice: asked before the home page, answered by keyboard alone.
        monkeypatch.setattr(notice, "CURRENT", new)
        monkeypatch.setitem(notice.NOTICES, new.version, new)
        response = page.goto("/", wait_until="load")
        assert path_of(page) == "/account/privacy/renew"
        _check(page, response)
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)
        tab_until(page, lambda el: el["id"] == "consent", limit=60)
        page.keyboard.press("Space")
        assert page.is_checked("#consent")
        tab_until(
            page,
            lambda el: (
                el["tag"] == "button" and page.evaluate("document.activeElement.value") == "agree"
            ),
            limit=10,
        )
        with page.expect_navigation(wait_until="load"):
            page.keyboard.press("Enter")
        assert path_of(page) == "/"
        from trainhub.core.privacy.models import Consent
        from trainhub.extensions import db

        with live_app.app_context():
            versions = db.session.scalars(
                select(Consent.notice_version).where(Consent.notice_version == new.version)
            ).all()
        assert versions == [new.version]
    finally:
        _undo(live_app, user_id, new.version)
