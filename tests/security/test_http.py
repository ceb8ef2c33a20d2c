"""Headers, cookies, size limits, configuration safety (SECURITY.md §3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TEST_CONFIG, login
from tests.production_config import production
from trainhub import create_app
from trainhub.config import ConfigError, load_config
from trainhub.extensions import db, limiter


def test_security_headers_and_csp_without_inline_script(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite_lax(client, make):
    response = login(client, make.user("trainee"))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_for_signed_in_users_are_not_cached(client, make):
    login(client, make.user("federation_officer"))
    assert client.get("/people/").headers["Cache-Control"] == "no-store"
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_request_body_over_the_limit_is_refused_clearly(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/login", data={"username": "x" * (limit + 1), "password": "y"})
    assert response.status_code == 413
    assert "20" in response.get_data(as_text=True)  # names the limit in MB


def test_unknown_page_is_a_clear_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "<h1>" in response.get_data(as_text=True)


def test_production_refuses_to_start_without_a_secret(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        load_config(tmp_path, {"TRAINHUB_ENV": "production"})


def test_production_needs_the_public_address_printed_on_certificates(tmp_path: Path):
    config = {k: v for k, v in TEST_CONFIG.items() if k != "TRAINHUB_ENV"}
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        load_config(tmp_path, dict(config, TRAINHUB_ENV="production"))


def test_production_refuses_debug(tmp_path: Path):
    config = {k: v for k, v in TEST_CONFIG.items() if k != "TRAINHUB_ENV"}
    with pytest.raises(ConfigError, match="debug"):
        load_config(tmp_path, dict(config, TRAINHUB_ENV="production", DEBUG=True))


def test_production_cookies_are_secure_and_hsts_is_sent(tmp_path: Path):
    loaded = load_config(tmp_path, production())
    assert loaded["SESSION_COOKIE_SECURE"] is True and loaded["HSTS"] is True


def test_development_generates_secrets_once_and_keeps_them(tmp_path: Path, monkeypatch):
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"):
        monkeypatch.delenv(name, raising=False)
    first = load_config(tmp_path, {"TRAINHUB_ENV": "development"})
    second = load_config(tmp_path, {"TRAINHUB_ENV": "development"})
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_an_endpoint_without_a_declared_permission_is_refused(tmp_path: Path):
    app = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/x.db"))

    def forgotten() -> str:
        return "secret"

    app.add_url_rule("/forgotten", "forgotten", forgotten)
    with app.app_context():
        db.create_all()
    response = app.test_client().get("/forgotten")
    assert response.status_code == 403 and b"secret" not in response.data


def test_login_attempts_are_throttled_per_address(tmp_path: Path):
    # The limiter object is shared by every app of the process and create_app() switches it
    # on: without switching it off again, later tests would be throttled too.
    was = limiter.enabled
    try:
        app = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/x.db",
                              RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute",
                              WTF_CSRF_ENABLED=False))
        with app.app_context():
            db.create_all()
        client = app.test_client()
        codes = [client.post("/login", data={"username": "a", "password": "b"}).status_code
                 for _ in range(4)]
        reading = client.get("/login").status_code
    finally:
        limiter.enabled = was
    assert codes == [401, 401, 401, 429]
    assert reading == 200  # reading the page is not throttled
