"""The larger-text, high-contrast switch (core.view_mode): a cookie for anonymous visitors,
a column on the account for signed-in users, data-mode="large" on <html> when on."""

from __future__ import annotations

import re

from tests.conftest import csrf_token, form_token, sign_in
from trainhub.core.accounts.models import Role

LARGE_HTML = re.compile(r'<html lang="[^"]+" data-mode="large">')


def _switch(html: str) -> tuple[str, str]:
    """The header button's value and aria-pressed."""
    match = re.search(
        r'<button type="submit" name="mode" value="(\w+)"[^>]*'
        r'aria-pressed="(\w+)"',
        html,
    )
    assert match, "no larger-text switch in the header"
    return match.group(1), match.group(2)


def test_anonymous_visitor_keeps_the_mode_in_a_cookie(client):
    html = client.get("/login").get_data(as_text=True)
    assert not LARGE_HTML.search(html)
    assert _switch(html) == ("large", "false")
    response = client.post(
        "/view-mode", data={"mode": "large", "next": "/login?x=1", "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/login?x=1"
    assert "trainhub_mode=large" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    html = client.get("/login").get_data(as_text=True)
    assert LARGE_HTML.search(html)
    assert _switch(html) == ("normal", "true")
    client.post("/view-mode", data={"mode": "normal", "csrf_token": csrf_token(client)})
    assert not LARGE_HTML.search(client.get("/login").get_data(as_text=True))


def test_unknown_mode_and_foreign_target_are_ignored(client):
    response = client.post(
        "/view-mode",
        data={"mode": "huge", "next": "//evil.example/", "csrf_token": csrf_token(client)},
    )
    assert response.headers["Location"] == "/"
    assert "trainhub_mode" not in response.headers.get("Set-Cookie", "")


def test_the_switch_needs_a_csrf_token(client):
    assert client.post("/view-mode", data={"mode": "large"}).status_code == 400


def test_signed_in_user_keeps_the_mode_on_the_account(app, client, make):
    username = make.user(Role.JUDGE)
    sign_in(client, username)
    assert not LARGE_HTML.search(client.get("/").get_data(as_text=True))
    response = client.post(
        "/view-mode", data={"mode": "large", "next": "/", "csrf_token": form_token(client)}
    )
    assert response.status_code == 302
    assert make.get_user(username).large_text is True
    # the account's choice follows the person to another browser, cookie or not
    other = app.test_client()
    other.set_cookie("trainhub_mode", "normal")
    sign_in(other, username)
    assert LARGE_HTML.search(other.get("/").get_data(as_text=True))
    other.post("/view-mode", data={"mode": "normal", "csrf_token": form_token(other)})
    assert make.get_user(username).large_text is False
    assert not LARGE_HTML.search(client.get("/").get_data(as_text=True))
