"""The parameter pages pass axe (WCAG 2.0/2.1 A and AA) and read as the list promises."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import check_a11y, path_of, sign_in, submit, visit
from trainhub.cli.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_parameter_list_and_pages_as_admin(page: Any) -> None:
    sign_in(page, "admin", DEMO_PASSWORD)
    visit(page, "/parameters/")
    assert page.locator("main h2").count() >= 5  # the sections list, then one per domain
    assert "¥1,200.00" in page.inner_text("main")  # amounts in yuan

    link = page.locator("main a[href='/parameters/bases.annual_review_sheet']")
    submit(page, link.click)
    assert path_of(page) == "/parameters/bases.annual_review_sheet"
    assert page.locator("main table caption").count() >= 2  # the sheet and the history
    assert page.locator("main form textarea#value").count() == 1

    # A JSON value in the history opens from its summary.
    page.locator("main details summary").first.click()
    assert page.locator("main details[open] table").count() == 1
    check_a11y(page, note="a history entry opened")

    visit(page, "/parameters/subsidies.fee_junior")
    assert page.locator("main form #value").get_attribute("inputmode") == "decimal"
    assert page.locator("main form #value").input_value() == "1200.00"
