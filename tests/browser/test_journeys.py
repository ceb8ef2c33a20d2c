"""Journeys a person makes: by keyboard alone, through a form error, and out again."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask_babel import force_locale, gettext

from tests.browser.helpers import (
    active,
    check_page,
    path_of,
    sign_in,
    submit,
    tab_until,
    visit,
)
from trainhub.cli.demo import DEMO_PASSWORD, TRAINEES, make_resident_id
from trainhub.core.idnumbers import mask_id
from trainhub.core.people.services import MESSAGES

pytestmark = pytest.mark.browser

FULL_ID = re.compile(r"\d{17}[\dXx]")
MASKED_ID = re.compile(r"^3601\*{10}\d{3}[\dX]$")


def test_keyboard_only_trainee_journey(page: Any) -> None:
    visit(page, "/login")

    # The skip link is the very first stop, visible when focused, and moves focus to main.
    page.keyboard.press("Tab")
    focused = active(page)
    assert "skip-link" in focused["cls"] and focused["href"] == "#main", focused
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0, "skip link not shown"
    page.keyboard.press("Enter")
    assert active(page)["id"] == "main"

    # From main, Tab reaches the username field, then the password field.
    tab_until(page, lambda el: el["id"] == "username", limit=5)
    page.keyboard.type("trainee1")
    page.keyboard.press("Tab")
    assert active(page)["id"] == "password"
    page.keyboard.type(DEMO_PASSWORD)
    submit(page, lambda: page.keyboard.press("Enter"))
    assert path_of(page) == "/"

    # The first link to the trainee's record is in the main navigation.
    tab_until(page, lambda el: el["tag"] == "a" and el["href"] == "/people/me")
    submit(page, lambda: page.keyboard.press("Enter"))
    assert path_of(page) == "/people/me"

    name, county, born, sequence = TRAINEES[0][:4]
    full = make_resident_id(county, born, sequence)
    assert page.inner_text("h1") == name
    shown = page.locator("dl.facts code").first.inner_text().strip()
    assert MASKED_ID.match(shown), f"ID shown as {shown!r}"
    assert shown == mask_id(full)
    text = page.inner_text("body")
    assert not FULL_ID.search(text), "a full 18-character ID number is on the page"
    assert full not in page.content(), "the full ID number is in the page source"


def test_officer_registers_a_person_after_fixing_the_check_character(
    page: Any, live_app: Any
) -> None:
    sign_in(page, "nanchang.officer", DEMO_PASSWORD)
    visit(page, "/people/new")

    valid = make_resident_id("360102", date(1987, 9, 21), 235)
    wrong = valid[:-1] + ("1" if valid[-1] != "1" else "2")
    page.fill("#name", "浏览器测试")
    page.fill("#id_number", wrong)
    page.select_option("#household_region_code", "360102")
    submit(page, page.locator("main form button[type=submit]").click, status=400)

    with live_app.test_request_context(), force_locale("zh_Hans_CN"):
        expected = gettext(MESSAGES["checksum"])
    field = page.locator("#id_number")
    assert field.get_attribute("aria-invalid") == "true"
    described = (field.get_attribute("aria-describedby") or "").split()
    assert "id_number-error" in described, described
    for ident in described:
        assert page.locator(f"#{ident}").count() == 1, f"aria-describedby names missing #{ident}"
    messages = " ".join(page.locator(f"#{ident}").inner_text() for ident in described)
    assert expected in messages, f"{expected!r} not in the field's description {messages!r}"
    assert page.locator("#error-summary a[href='#id_number']").count() == 1
    assert page.locator("#name").get_attribute("aria-invalid") is None
    assert field.input_value() == wrong  # what was typed is kept for correcting

    field.fill(valid)
    page.check("#consent")  # the person's signed paper consent
    submit(page, page.locator("main form button[type=submit]").click)
    assert re.fullmatch(r"/people/\d+", path_of(page)), page.url
    assert page.inner_text("h1") == "浏览器测试"
    assert page.locator(".flashes[role=status] .alert-success").count() == 1
    assert page.locator("dl.facts code").first.inner_text().strip() == mask_id(valid)
    assert valid not in page.inner_text("body")


def test_sign_out_cannot_be_undone_with_back(page: Any) -> None:
    context = page.context
    home = sign_in(page, "donghu.officer", DEMO_PASSWORD)
    name = page.inner_text(".whoami")
    assert name
    assert home.headers.get("cache-control") == "no-store"
    signed_in_cookies = context.cookies()

    submit(page, page.locator("form[action='/logout'] button[type=submit]").click)
    assert path_of(page) == "/login"
    assert page.locator(".flashes[role=status]").count() == 1

    def shows_login_not_home(path: str = "/login") -> None:
        assert path_of(page) == path, page.url
        assert page.locator(".whoami").count() == 0
        assert page.locator("nav.main-nav").count() == 0
        assert name not in page.inner_text("body")
        if path == "/login":
            assert page.locator("#password").count() == 1

    # Back to `/`: the public front door now, nothing of the signed-in home page.
    check_page(page, page.go_back(wait_until="load"))
    shows_login_not_home("/")
    submit(page, page.reload)
    shows_login_not_home("/")

    # The old cookie is dead on the server too, not only forgotten by the browser.
    context.clear_cookies()
    context.add_cookies(signed_in_cookies)
    visit(page, "/account/password")  # `/` would be the public front door
    shows_login_not_home()
