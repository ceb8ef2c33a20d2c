"""Every endpoint declares a permission, and every actor gets exactly what the matrix says."""

from __future__ import annotations

import inspect
import io

import pytest

from tests.conftest import csrf_token, login
from tests.security.matrix import ACTORS, ENDPOINTS, REFUSED, Row
from trainhub.core import policy
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.extensions import db


def test_every_endpoint_declares_a_permission(app):
    undeclared = [
        rule.endpoint for rule in app.url_map.iter_rules()
        if policy.declared_permission(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == []


def test_every_endpoint_has_a_matrix_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(ENDPOINTS)) == []
    assert sorted(set(ENDPOINTS) - endpoints) == []


def test_public_rows_match_declarations(app):
    for endpoint, row in ENDPOINTS.items():
        declared = policy.declared_permission(app.view_functions[endpoint])
        assert (declared == policy.PUBLIC) == row.public, endpoint


def _setup(app, make, actor: str) -> tuple[dict, str | None]:
    person = make.person("360102", name="矩阵学员")
    officer_county = make.user("federation_officer", region_code="360102")
    with app.app_context():
        owner = db.session.query(User).filter_by(username=officer_county).one()
        token, _secret = accounts.issue_token(owner, "matrix")
        db.session.commit()
        ids = {"person": person, "token": token.id, "other_user": owner.id}
    role, scope = ACTORS[actor]
    if role is None:
        return ids, None
    if actor == "officer_county":
        return ids, officer_county
    kwargs = {}
    if role.value == "federation_officer":
        kwargs["region_code"] = scope
    if scope == "own":
        kwargs["person_id"] = person
    return ids, make.user(role, **kwargs)


def _api_token(app, username: str) -> str | None:
    with app.app_context():
        user = db.session.query(User).filter_by(username=username).one()
        if user.role_enum not in accounts.TOKEN_ROLES:
            return None  # such accounts cannot hold tokens: the call goes without one
        _token, secret = accounts.issue_token(user, "matrix-call")
        db.session.commit()
        return secret


def _call(app, client, row: Row, ids: dict, username: str | None):
    headers = {}
    if row.api and username:
        secret = _api_token(app, username)
        if secret:
            headers["Authorization"] = f"Bearer {secret}"
    elif username:
        login(client, username)
    if row.method == "GET":
        return client.get(row.path(ids), headers=headers)
    if row.api:  # JSON bodies; bytes values go as file uploads (multipart)
        uploads = {k: (io.BytesIO(v), f"{k}.pdf") for k, v in row.data.items()
                   if isinstance(v, bytes)}
        if uploads:
            return client.open(row.path(ids), method=row.method, headers=headers,
                               data=dict(row.data, **uploads))
        return client.open(row.path(ids), method=row.method, headers=headers, json=row.data)
    token = csrf_token(client, "/" if username else "/login")
    return client.open(row.path(ids), method=row.method, headers=headers,
                       data=dict(row.data, csrf_token=token))


def _outcome(response, row: Row, username: str | None) -> str:
    if response.status_code in (401, 403, 404):
        return REFUSED
    location = response.headers.get("Location", "")
    if response.status_code == 302 and "/login?next=" in location and not row.public:
        return "login"
    return "allowed"


CASES = [(endpoint, actor) for endpoint in ENDPOINTS for actor in ACTORS]


@pytest.mark.parametrize(("endpoint", "actor"), CASES)
def test_matrix(app, make, endpoint: str, actor: str):
    row = ENDPOINTS[endpoint]
    ids, username = _setup(app, make, actor)
    ids["actor"] = username  # a prepare may give the actor a part (a judge's assignment)
    if row.prepare is not None:
        # A row may build its objects for the actor's own person (a trainee's enrolment).
        wants_ids = len(inspect.signature(row.prepare).parameters) == 3
        ids.update(row.prepare(app, make, ids) if wants_ids else row.prepare(app, make))
    response = _call(app, app.test_client(), row, ids, username)
    got = _outcome(response, row, username)
    if actor == "anonymous" and not row.public:
        expected = REFUSED if row.api else "login"
    else:
        expected = "allowed" if actor in row.allowed else REFUSED
    assert got == expected, f"{actor} {row.method} {row.path(ids)} → {response.status_code}"
