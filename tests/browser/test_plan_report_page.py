"""The yearly plan report in Chromium: a city officer reads the figures (charts drawn beside
the tables under the CSP) and submits the report; the province officer sees the city
submitted beside the others and opens its frozen report. Each page axe-checked and laid out
at 360 px, in the larger-text mode too."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import check_a11y, sign_in, submit, visit
from trainhub.cli.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_a_city_submits_and_the_province_sees_it(page: Any) -> None:
    sign_in(page, "nanchang.officer", DEMO_PASSWORD)
    visit(page, "/reports/plan", large_axe=True)
    page.wait_for_selector("[data-chart-table='table-families'] svg")
    check_a11y(page, note="after the charts were drawn")
    assert page.locator("main table").count() >= 7
    assert page.locator("#table-bases tbody tr").count() == 5

    submit(page, page.locator("form[action='/reports/plan/submit'] button").click,
           large_axe=True)
    assert "/reports/plan/submissions/" in page.url
    assert page.locator("#submitted-status").count() == 1
    assert page.locator("form[action='/reports/plan/submit']").count() == 0
    frozen = page.url

    page.context.clear_cookies()
    sign_in(page, "sheng.officer", DEMO_PASSWORD)
    visit(page, "/reports/plan", large_axe=True)
    rows = page.locator("#city-submissions tbody tr")
    assert rows.count() == 11
    nanchang = page.locator("#city-submissions tr[data-code='3601'] a")
    assert nanchang.get_attribute("href") in frozen
    visit(page, nanchang.get_attribute("href"), large_axe=True)
    assert page.locator("#submitted-status").count() == 1
