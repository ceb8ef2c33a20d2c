"""The JSON API: tokens, scope, errors as JSON, the OpenAPI document, the health check."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from tests.conftest import post_form, sign_in
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import ApiToken, User
from trainhub.core.errors import DomainError
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db


def _token(app, username: str, lifetime: timedelta | None = None) -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        _row, secret = accounts.issue_token(user, "integration", lifetime)
        db.session.commit()
        return secret


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_no_token_is_a_json_401(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.is_json
    assert response.json["status"] == 401 and "Bearer" in response.headers["WWW-Authenticate"]


def test_a_token_acts_as_its_owner(app, client, make):
    username = make.user("federation_officer", region_code="3601")
    response = client.get("/api/v1/me", headers=_bearer(_token(app, username)))
    assert response.status_code == 200
    assert response.json["username"] == username and response.json["region_code"] == "3601"
    assert response.headers["Cache-Control"] == "no-store"


def test_tokens_are_stored_hashed(app, make):
    secret = _token(app, make.user("admin"))
    with app.app_context():
        row = db.session.scalars(select(ApiToken)).one()
    assert secret not in row.token_hash and row.prefix == secret[:12]


def test_a_revoked_token_is_refused(app, client, make):
    username = make.user("institution_staff")
    secret = _token(app, username)
    sign_in(client, username)
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    post_form(client, f"/account/tokens/{token_id}/revoke", {})
    assert app.test_client().get("/api/v1/me", headers=_bearer(secret)).status_code == 401


def test_an_expired_token_is_refused(app, client, make):
    username = make.user("admin")
    secret = _token(app, username)
    with app.app_context():  # a token can no longer be made already expired: age it
        token = db.session.scalar(select(ApiToken).join(User).where(User.username == username))
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get("/api/v1/me", headers=_bearer(secret)).status_code == 401


def test_session_cookies_do_not_authenticate_the_api(client, make):
    sign_in(client, make.user("federation_officer"))
    assert client.get("/api/v1/me").status_code == 401


def test_trainees_cannot_hold_tokens(ctx, make):
    user = make.get_user(make.user("trainee"))
    with pytest.raises(DomainError):
        accounts.issue_token(db.session.merge(user), "nope")


def test_people_are_scoped_and_masked(app, client, make):
    in_scope = make.person("360102", name="南昌人")
    outside = make.person("360702", name="赣州人")
    headers = _bearer(_token(app, make.user("federation_officer", region_code="3601")))
    listing = client.get("/api/v1/people", headers=headers).json
    assert [p["name"] for p in listing["items"]] == ["南昌人"] and listing["masked"] is True
    assert "*" in listing["items"][0]["id_number_masked"]
    assert client.get(f"/api/v1/people/{in_scope}", headers=headers).status_code == 200
    refused = client.get(f"/api/v1/people/{outside}", headers=headers)
    assert refused.status_code == 403 and refused.is_json


def test_invalid_query_is_a_json_422(app, client, make):
    headers = _bearer(_token(app, make.user("federation_officer")))
    response = client.get("/api/v1/people?per_page=1000", headers=headers)
    assert response.status_code == 422 and response.is_json
    assert "per_page" in str(response.json["detail"])


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.is_json


def test_openapi_document_describes_the_api(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/me", "/api/v1/people", "/api/v1/people/{person_id}",
            "/api/v1/regions"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"
    assert "401" in spec["paths"]["/api/v1/people"]["get"]["responses"]
    assert "/api/v1/docs" not in spec["paths"]


def test_docs_page_loads_swagger_ui_from_this_server(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "http" not in html.split("<body>")[1].replace("data-spec-url", "")


def test_health_check(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_health_check_is_503_when_the_database_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "unavailable"
