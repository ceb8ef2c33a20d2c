"""Every page each role can reach passes axe (WCAG 2.0/2.1 A and AA), in both languages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.helpers import (
    check_a11y,
    check_phone_width,
    path_of,
    sign_in,
    submit,
    visit,
)
from trainhub.cli.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_anonymous_front_door_and_public_pages(page: Any) -> None:
    """`/` for a visitor: the public front door, then each public page it leads to, by
    axe and at 360 px in both modes (larger text: axe too)."""
    visit(page, "/", large_axe=True)
    assert path_of(page) == "/"
    assert page.locator(".whoami").count() == 0 and page.locator("nav.main-nav").count() == 0
    for section in ("courses", "notices", "results", "guide", "verify", "contact"):
        assert page.locator(f"main section h2#{section}").count() == 1, section
    page.select_option("#city", "3601")
    submit(page, page.locator("form[action='/training/courses'] button[type=submit]").click)
    assert path_of(page) == "/training/courses" and "city=3601" in page.url
    for path in ("/guide", "/bases/notices", "/rewards/notices", "/verify"):
        visit(page, path, large_axe=True)
    results = page.context.request.get("/").text()
    for href in sorted(set(re.findall(r'href="(/competitions/\d+/results)"', results))):
        visit(page, href, large_axe=True)


def test_login_page_in_chinese_then_english(page: Any) -> None:
    visit(page, "/login")  # `/` is the public front door (above)
    assert path_of(page) == "/login"
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert page.locator("label[for=username]").count() == 1
    assert page.locator("label[for=password]").count() == 1

    switch = page.locator("form.lang-form button[name=lang]")
    assert switch.get_attribute("value") == "en"
    assert switch.get_attribute("lang") == "en"  # the button's own label is English
    submit(page, switch.click)
    assert path_of(page) == "/login"
    assert page.get_attribute("html", "lang") == "en"
    back = page.locator("form.lang-form button[name=lang]")
    assert back.get_attribute("value") == "zh_Hans_CN"
    assert back.get_attribute("lang") == "zh-Hans"

    visit(page, "/no-such-page", status=404)
    assert page.get_attribute("html", "lang") == "en"
    assert "404" in page.inner_text("h1")


# username, the nav links the role must have (core.navigation: the pages it may open), a
# page the role must be refused (403)
ROLES = [
    ("admin", {"/", "/admin/users", "/institutions/", "/bases/applications", "/bases/",
               "/bases/coverage", "/training/batches", "/training/demands",
               "/training/outcomes", "/competitions/", "/subsidies/batches",
               "/subsidies/reports", "/parameters/", "/account/tokens",
               "/account/password"}, "/audit/"),
    # 三员分立: the security and the audit administrator see only their own pages.
    ("security.admin", {"/", "/admin/roles", "/admin/security", "/account/password"},
     "/admin/users"),
    ("audit.admin", {"/", "/audit/", "/account/password"}, "/admin/security"),
    ("nanchang.officer", {"/", "/people/", "/institutions/", "/bases/applications", "/bases/",
                          "/bases/coverage", "/training/batches", "/training/demands",
                          "/training/outcomes", "/competitions/", "/subsidies/vouchers",
                          "/reports/plan",
                          "/subsidies/batches", "/subsidies/approvals",
                          "/subsidies/budgets", "/subsidies/reports", "/rewards/",
                          "/audit/", "/parameters/", "/account/tokens",
                          "/account/password"}, "/admin/users"),
    ("school.staff", {"/", "/bases/applications", "/bases/", "/training/batches",
                      "/training/demands", "/training/outcomes", "/subsidies/batches",
                      "/account/tokens", "/account/password"}, "/people/"),
    ("enterprise", {"/", "/training/demands", "/training/outcomes", "/rewards/new",
                    "/rewards/", "/account/tokens", "/account/password"}, "/audit/"),
    ("trainee1", {"/", "/training/courses", "/training/mine", "/subsidies/mine",
                  "/competitions/mine", "/people/me", "/account/privacy", "/account/password"},
     "/audit/"),
    ("judge", {"/", "/competitions/marking", "/account/tokens", "/account/password"},
     "/people/"),
    ("chief.judge", {"/", "/competitions/marking", "/account/tokens", "/account/password"},
     "/people/new"),
]


@pytest.mark.parametrize(("username", "nav", "forbidden"), ROLES,
                         ids=[role[0] for role in ROLES])
def test_role_pages(page: Any, username: str, nav: set[str], forbidden: str) -> None:
    sign_in(page, username, DEMO_PASSWORD)  # the home page is checked on arrival
    assert page.locator(".whoami").count() == 1
    check_phone_width(page, large_axe=True)  # every page: axe at 360 px in larger text too

    links = page.locator("nav.main-nav a").evaluate_all(
        "links => links.map((a) => a.getAttribute('href'))")
    assert set(links) == nav, f"{username} sees nav links {links}"
    person = None
    for href in links:
        if href != "/":  # the home page was checked on arrival
            visit(page, href, large_axe=True)
        current = page.locator("nav.main-nav a[aria-current=page]")
        assert current.count() == 1 and current.get_attribute("href") == href
        if href == "/people/":
            person = page.locator("main table a[href^='/people/']").first.get_attribute("href")

    if "/people/" in nav:  # a person's page and the register form
        assert person, "the people list links to nobody"
        visit(page, person, large_axe=True)
        assert page.locator("main dl.facts").count() == 1
        visit(page, "/people/new", large_axe=True)
        assert page.locator("main form #id_number").count() == 1

    visit(page, "/no-such-page", status=404)
    assert "404" in page.inner_text("h1")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    visit(page, forbidden, status=403)
    assert "403" in page.inner_text("h1")


def test_api_docs_render_operations(page: Any) -> None:
    response = page.goto("/api/v1/docs", wait_until="load")
    assert response is not None and response.status == 200
    page.wait_for_selector("#swagger-ui .opblock")
    assert page.locator("#swagger-ui .opblock").count() >= 4
    assert page.get_attribute("html", "lang") == "en"
    # Swagger UI's own palette is darkened by static/css/api-docs.css; the whole page,
    # widget included, must pass.
    check_a11y(page)


def test_the_axe_check_itself_catches_violations(page: Any) -> None:
    """Guards the harness: a page with known faults must fail check_a11y, by rule id."""
    visit(page, "/login")
    page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<img src="data:,"><input type="text" id="unlabelled">')""")
    with pytest.raises(AssertionError) as failure:
        check_a11y(page, record=False)
    message = str(failure.value)
    assert "image-alt [critical]" in message and "label [critical]" in message, message
    assert "#unlabelled" in message


@pytest.mark.parametrize("path", ["/register", "/activate"])
def test_trainee_account_pages_empty_and_with_errors(page: Any, path: str) -> None:
    """The self-service pages of trainees, as first shown and after an empty submission
    (every field in error), in Chinese and in English."""
    visit(page, path)
    assert page.locator("input[autocomplete=new-password]").count() == 2
    submit(page, page.locator("main form button[type=submit]").click, status=400)
    assert page.locator("#error-summary li").count() >= 4
    switch = page.locator("form.lang-form button[name=lang]")
    submit(page, switch.click)
    assert page.get_attribute("html", "lang") == "en"
    submit(page, page.locator("main form button[type=submit]").click, status=400)


def test_larger_text_switch_in_the_header(page: Any) -> None:
    """The header's toggle puts the page in the larger-text mode (text at least 150 %,
    darker text) and takes it out again; the choice survives the next page (cookie)."""
    visit(page, "/login")
    size = "() => parseFloat(getComputedStyle(document.querySelector('main p, main label'))" \
           ".fontSize)"
    colour = "() => getComputedStyle(document.body).color"
    normal_size, normal_colour = page.evaluate(size), page.evaluate(colour)
    switch = page.locator("form.mode-form button[name=mode]")
    assert switch.get_attribute("aria-pressed") == "false"
    submit(page, switch.click)
    assert path_of(page) == "/login"
    assert page.get_attribute("html", "data-mode") == "large"
    assert page.evaluate(size) >= 1.5 * normal_size
    assert page.evaluate(colour) == "rgb(0, 0, 0)" != normal_colour
    visit(page, "/verify")  # kept in the cookie: checked by axe and at 360 px in this mode
    assert page.get_attribute("html", "data-mode") == "large"
    switch = page.locator("form.mode-form button[name=mode]")
    assert switch.get_attribute("aria-pressed") == "true"
    submit(page, switch.click)
    assert page.get_attribute("html", "data-mode") is None
    assert page.evaluate(size) == normal_size


def test_the_width_check_itself_catches_overflow(page: Any) -> None:
    """Guards the harness: something wider than a phone fails check_phone_width, naming the
    page and the element, unless it scrolls inside its own region; so does a small button."""
    visit(page, "/login")
    page.evaluate("""() => {
      const region = document.createElement('div');
      region.className = 'table-responsive';
      const wide = document.createElement('div');
      wide.style.width = '900px';
      wide.textContent = 'scrolls in its own region';
      region.append(wide);
      document.querySelector('main').append(region);
    }""")
    check_phone_width(page, record=False)  # in a scroll region: the page does not scroll
    page.evaluate("""() => {
      const wide = document.createElement('div');
      wide.id = 'too-wide';
      wide.style.width = '900px';
      wide.textContent = 'wider than a phone';
      document.querySelector('main').append(wide);
    }""")
    with pytest.raises(AssertionError) as failure:
        check_phone_width(page, record=False)
    message = str(failure.value)
    assert message.startswith("/login scrolls sideways at 360 px"), message
    assert "div#too-wide (900 px wide" in message, message
    assert page.viewport_size == {"width": 1280, "height": 900}  # put back
    page.evaluate("""() => {
      document.getElementById('too-wide').remove();
      const button = document.createElement('button');
      button.className = 'btn btn-sm';
      button.style.minHeight = '0';
      button.style.height = '20px';
      button.textContent = 'tiny';
      document.querySelector('main').append(button);
    }""")
    with pytest.raises(AssertionError) as failure:
        check_phone_width(page, record=False)
    assert 'button.btn.btn-sm "tiny" 20 px' in str(failure.value), str(failure.value)
