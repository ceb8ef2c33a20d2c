"""The second sign-in step as an officer on a 360 px phone: the code page passes axe, a wrong
code is named on its field, and the right code opens the home page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import path_of, submit, totp_codes, visit
from trainhub.cli.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_an_officer_passes_the_second_step_on_a_phone(page: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    visit(page, "/login")
    page.fill("#username", "zhanggong.officer")
    page.fill("#password", DEMO_PASSWORD)
    submit(page, page.locator("main form button[type=submit]").first.click)
    assert path_of(page) == "/login/code"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    field = page.locator("#code")
    assert field.get_attribute("autocomplete") == "one-time-code"
    assert field.get_attribute("inputmode") == "numeric"

    field.fill("000000")
    submit(page, page.locator("main form button[type=submit]").first.click, status=400)
    assert page.locator("#code").get_attribute("aria-invalid") == "true"
    assert "code-error" in (page.locator("#code").get_attribute("aria-describedby") or "")

    for code in totp_codes():  # a code another test used for this account is spent
        page.fill("#code", code)
        with page.expect_navigation(wait_until="load"):
            page.locator("main form button[type=submit]").first.click()
        if path_of(page) == "/":
            break
    assert path_of(page) == "/"
