"""The main menu comes from the policy: for each role, its links are exactly the menu's
pages that role may open (asked of the pages themselves, not of the menu's code)."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from tests.conftest import sign_in
from trainhub.core import policy
from trainhub.core.navigation import MENU

ROLES = [
    ("admin", {}), ("federation_officer", {"region_code": "36"}),
    ("federation_officer", {"region_code": "3601"}),
    ("federation_officer", {"region_code": "360102"}), ("institution_staff", {}),
    ("enterprise_contact", {}), ("trainee", {}), ("judge", {}), ("chief_judge", {}),
]


def _menu_links(html: str) -> set[str]:
    nav = re.search(r'<nav aria-label="[^"]*" class="main-nav">(.*?)</nav>', html, re.S)
    assert nav, "no main menu"
    return set(re.findall(r'<a href="([^"]+)"', nav.group(1)))


@pytest.mark.parametrize(("role", "scope"), ROLES,
                         ids=[f"{r}-{s.get('region_code', '')}" for r, s in ROLES])
def test_the_menu_lists_exactly_the_pages_the_role_may_open(app, client, make, role, scope):
    username = make.user(role, **scope)
    sign_in(client, username)
    shown = _menu_links(client.get("/").get_data(as_text=True))
    user = make.get_user(username)
    with app.test_request_context():
        pages = {entry[0]: url_for(entry[0]) for entry in MENU}
        public = {entry[0]: entry[2] for entry in MENU if len(entry) > 2}
        # `/` is public (the front door) and serves everyone signed in.
        may_serve = {endpoint: action == policy.SIGNED_IN or policy.may(user, action)
                     for endpoint, action in public.items()}
    opens = set()
    for endpoint, url in pages.items():
        if endpoint in public:  # open to anyone: listed for those it serves
            if may_serve[endpoint]:
                opens.add(url)
            continue
        status = client.get(url).status_code
        assert status in (200, 403, 404), (url, status)
        if status == 200:
            opens.add(url)
    assert shown == opens
    assert "/" in shown and "/account/password" in shown


def test_the_menu_names_no_role():
    with open("templates/base.html", encoding="utf-8") as template:
        assert "current_user.role" not in template.read()
