"""TRUSTED_PROXIES (issue 14, item 3): with the number of proxies in front of the app, the
audit log and the rate limits see the client's address from X-Forwarded-For; without it,
that header (which any client can send) is ignored and the peer's address counts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import TEST_CONFIG, csrf_token
from trainhub import create_app
from trainhub.core.audit.models import AuditEntry
from trainhub.extensions import db, limiter

PROXY = "10.0.0.2"  # nginx, as the app's peer
CLIENT = "198.51.100.7"
OTHER_CLIENT = "198.51.100.8"


@pytest.fixture
def username(make) -> str:
    # A wrong password for a real account: checked against its cheap test hash, where an
    # unknown name costs a full-strength dummy check.
    return make.user("admin")


def _failed_login(app: Flask, username: str, client_address: str, csrf: bool = True) -> int:
    """A failed sign-in arriving through the proxy for `client_address`; its status."""
    client = app.test_client()
    data = {"username": username, "password": "Wrong-Password-1!"}
    if csrf:
        data["csrf_token"] = csrf_token(client)
    # Over HTTPS as nginx says (X-Forwarded-Proto), so Flask-WTF checks the Referer too.
    response = client.post("/login", data=data, environ_base={"REMOTE_ADDR": PROXY},
                           headers={"X-Forwarded-For": f"203.0.113.9, {client_address}",
                                    "X-Forwarded-Proto": "https",
                                    "Referer": "https://localhost/login"})
    return response.status_code


def _last_login_address(app: Flask) -> str:
    with app.app_context():
        return db.session.scalar(select(AuditEntry.client_address).where(
            AuditEntry.action == "auth.login").order_by(AuditEntry.id.desc()).limit(1))


def test_with_one_trusted_proxy_the_audit_row_names_the_client(app, username, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)
    assert _failed_login(app, username, CLIENT) == 401
    # The last value is the one nginx appended; the client's own "203.0.113.9" is not
    # believed.
    assert _last_login_address(app) == CLIENT


def test_without_trusted_proxies_forwarded_headers_are_ignored(app, username):
    assert app.config["TRUSTED_PROXIES"] == 0
    assert _failed_login(app, username, CLIENT) == 401
    assert _last_login_address(app) == PROXY


@pytest.fixture
def limited(app: Flask) -> Iterator[Flask]:
    """A second app on the test's database with the login limit on (2 a minute, counted
    in memory): the test app runs with limits off. Built with one trusted proxy, as a
    deployment behind nginx is; tests may set the count back to 0."""
    was = limiter.enabled  # one limiter object for every app of the process
    try:
        yield create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=app.config[
            "SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute",
            RATELIMIT_STORAGE_URI="memory://", WTF_CSRF_ENABLED=False, TRUSTED_PROXIES=1))
    finally:
        limiter.enabled = was


def test_behind_a_trusted_proxy_each_client_has_its_own_login_limit(limited, username):
    codes = [_failed_login(limited, username, CLIENT, csrf=False) for _ in range(3)]
    assert codes == [401, 401, 429]
    assert _failed_login(limited, username, OTHER_CLIENT, csrf=False) == 401


def test_without_trusted_proxies_every_client_of_the_proxy_shares_one_limit(
        limited, username, monkeypatch):
    monkeypatch.setitem(limited.config, "TRUSTED_PROXIES", 0)
    codes = [_failed_login(limited, username, CLIENT, csrf=False) for _ in range(2)]
    assert codes == [401, 401]
    assert _failed_login(limited, username, OTHER_CLIENT, csrf=False) == 429  # the proxy's key
