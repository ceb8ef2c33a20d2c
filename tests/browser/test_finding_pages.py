"""Finding people and courses, and a person's timeline (issue 16), in a browser: each page
with its filters applied, refused and answered, passes axe and fits 360 px (check_page),
in the normal and the larger-text mode."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import sign_in, visit
from trainhub.cli.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_an_officer_finds_a_person_by_name_and_reads_their_timeline(page: Any) -> None:
    sign_in(page, "nanchang.officer", DEMO_PASSWORD)
    visit(page, "/people/?name=陈志", large_axe=True)
    found = page.locator("main table a[href^='/people/']")
    assert found.count() == 1 and found.first.inner_text() == "陈志强"
    person = found.first.get_attribute("href")
    visit(page, "/people/?tail=31", status=400, large_axe=True)  # too short: on its field
    assert page.locator("#tail-error").count() == 1
    visit(page, person, large_axe=True)
    lines = page.locator("#history ~ ol > li")
    assert lines.count() >= 2  # the demo graduate's training, result and subsidies
    assert page.locator("#history ~ ol a").count() >= 1


def test_an_officer_and_staff_search_the_batch_list(page: Any) -> None:
    sign_in(page, "nanchang.officer", DEMO_PASSWORD)
    visit(page, "/training/batches?q=按摩&status=enrolling", large_axe=True)
    assert page.locator("#q").input_value() == "按摩"
    sign_in(page, "school.staff", DEMO_PASSWORD)
    visit(page, "/training/batches?q=没有这种课程", large_axe=True)
    assert page.locator("main table tbody tr").count() == 1  # the "no batch matches" row


def test_a_trainee_searches_the_catalogue_and_reads_their_own_timeline(page: Any) -> None:
    sign_in(page, "trainee1", DEMO_PASSWORD)
    visit(page, "/training/courses?keyword=按摩", large_axe=True)
    assert page.locator("#keyword").input_value() == "按摩"
    visit(page, "/people/me", large_axe=True)
    assert page.locator("#history").count() == 1
