"""The coverage dashboard in Chromium: the map renders under the CSP, the table beside it is
complete, the counties open from the keyboard, and axe passes before and after the map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import (
    ROOT,
    active,
    check_a11y,
    sign_in,
    sign_in_by_request,
    tab_until,
    visit,
)
from trainhub.cli.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

SCREENSHOT = ROOT / "test-results" / "coverage-dashboard.png"


def test_the_map_renders_beside_a_complete_table(page: Any) -> None:
    sign_in(page, "sheng.officer", DEMO_PASSWORD)
    visit(page, "/bases/coverage")  # axe on arrival, whatever the map's state
    page.wait_for_selector("#coverage-map canvas")
    page.wait_for_selector("#coverage-map[data-state=ready]")
    check_a11y(page, note="after the map was drawn")

    chart = page.locator("#coverage-map")
    assert chart.get_attribute("role") == "img"
    numbers = page.context.request.get("/bases/coverage/map.json").json()
    assert chart.get_attribute("aria-label") == numbers["description"]  # written, not made up

    rows = page.locator("#coverage-cities tbody tr")
    assert rows.count() == 11
    names = rows.locator("th").all_inner_texts()
    assert names[0] == "南昌市" and names[-1] == "上饶市"
    assert all(row.locator("td").count() == 6 for row in rows.all())
    assert page.locator(".county-table tbody tr").count() == 100

    Path(SCREENSHOT).parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_counties_open_from_the_keyboard(page: Any) -> None:
    sign_in(page, "sheng.officer", DEMO_PASSWORD)
    visit(page, "/bases/coverage?kind=training")
    details = page.locator("details#counties-3607")
    assert details.get_attribute("open") is None
    page.locator("details#counties-3606 summary").focus()
    tab_until(page, lambda el: el.get("tag") == "summary" and "赣州市" in el.get("text", ""))
    page.keyboard.press("Enter")
    assert details.get_attribute("open") is not None
    assert details.locator("tbody tr").count() == 18
    assert active(page)["tag"] == "summary"
    check_a11y(page, note="a city's counties opened")


def test_without_javascript_the_table_carries_everything(browser: Any, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False,
                                  locale="zh-CN")
    try:
        page = context.new_page()
        sign_in_by_request(context, "sheng.officer", DEMO_PASSWORD)
        page.goto("/bases/coverage")
        assert page.locator("#coverage-map canvas").count() == 0
        assert page.locator("#coverage-cities tbody tr").count() == 11
        assert "JavaScript" in page.inner_text("#coverage-map")
    finally:
        context.close()
