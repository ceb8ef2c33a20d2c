"""Every endpoint declares a permission, and every actor gets exactly what the matrix says.

The thirteen actors, their person, tokens and sessions are made once for the module. Each
endpoint's world (its row's `prepare`) is built once, in a savepoint all its actors share;
each actor's call runs in a savepoint nested in it and rolled back, so no actor sees what
another's call changed. Actors are signed in by writing their server-side session, as a
sign-in does (tests.conftest.sign_in); signing in itself is tested in tests/core/test_auth.py.
Every (endpoint, actor) pair is still its own test; the cases of one endpoint run on one
xdist worker, one after the other (`--dist loadgroup`), so its world is built once.
"""

from __future__ import annotations

import inspect
import io
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from tests.conftest import rolled_back
from tests.factories import Factory
from tests.security.matrix import ACTORS, ENDPOINTS, REFUSED, Row
from trainhub.core import policy
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.core.security import SESSION_KEY
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


@dataclass
class Actor:
    username: str | None = None
    session_token: str | None = None  # the cookie's server-side session
    api_secret: str | None = None  # None for accounts that cannot hold tokens
    cookie: str | None = None  # the signed session cookie: the token and a CSRF secret
    form_token: str | None = None  # the CSRF token of the forms that session posts

    def sign(self, app: Flask) -> None:
        """Make the cookie and the form token once: made for each of the ~5,600 cases they
        cost more than many of the calls (a session opened and saved, twice)."""
        raw = secrets.token_hex(20)
        content: dict[str, Any] = {"csrf_token": raw}
        if self.session_token:
            content[SESSION_KEY] = self.session_token
        self.cookie = app.session_interface.get_signing_serializer(app).dumps(content)
        secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        self.form_token = URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)


@dataclass
class Harness:
    """The module's connection, its actors, and the world of the endpoint being tested."""

    app: Flask
    make: Factory
    connection: Any
    actors: dict[str, Actor] = field(default_factory=dict)
    base_ids: dict[str, Any] = field(default_factory=dict)
    endpoint: str | None = None
    endpoint_savepoint: Any = None
    ids: dict[str, Any] = field(default_factory=dict)
    failure: BaseException | None = None

    def world_for(self, endpoint: str) -> dict[str, Any]:
        """The endpoint's world, built in a savepoint on first use; the previous endpoint's
        world is rolled back."""
        if endpoint != self.endpoint:
            self._leave_endpoint()
            self.endpoint, self.failure = endpoint, None
            self.endpoint_savepoint = self.connection.begin_nested()
            self.ids = dict(self.base_ids)
            try:
                self.ids.update(self._prepare(ENDPOINTS[endpoint]))
            except BaseException as error:  # every actor of this endpoint reports it
                self.failure = error
        if self.failure is not None:
            raise self.failure
        return self.ids

    def _prepare(self, row: Row) -> dict[str, Any]:
        if row.prepare is None:
            return {}
        # A row may build its objects for the actor's own person (a trainee's enrolment).
        if len(inspect.signature(row.prepare).parameters) == 3:
            return row.prepare(self.app, self.make, dict(self.ids))
        return row.prepare(self.app, self.make)

    def _leave_endpoint(self) -> None:
        with self.app.app_context():
            db.session.remove()
        if self.endpoint_savepoint is not None and self.endpoint_savepoint.is_active:
            self.endpoint_savepoint.rollback()
        self.endpoint_savepoint = None

    def client_for(self, actor: str) -> FlaskClient:
        client = self.app.test_client()
        client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], self.actors[actor].cookie)
        return client


def _make_actors(app: Flask, make: Factory) -> tuple[dict[str, Actor], dict[str, Any]]:
    person = make.person("360102", name="矩阵学员")
    officer_county = make.user("federation_officer", region_code="360102")
    actors = {"anonymous": Actor()}
    for name, (role, scope) in ACTORS.items():
        if role is None:
            continue
        if name == "officer_county":
            actors[name] = Actor(officer_county)
            continue
        kwargs: dict[str, Any] = {}
        if role.value == "federation_officer":
            kwargs["region_code"] = scope
        if scope == "own":
            kwargs["person_id"] = person
        actors[name] = Actor(make.user(role, **kwargs))
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User).where(
            User.username.in_([a.username for a in actors.values() if a.username])))}
        for actor in actors.values():
            if actor.username is None:
                continue
            user = users[actor.username]
            actor.session_token = accounts.start_session(user, "127.0.0.1")
            if user.role_enum in accounts.TOKEN_ROLES:
                actor.api_secret = accounts.issue_token(user, "matrix-call")[1]
        for actor in actors.values():
            actor.sign(app)
        token, _secret = accounts.issue_token(users[officer_county], "matrix")
        db.session.commit()
        ids = {"person": person, "token": token.id, "other_user": users[officer_county].id,
               "actors": [a.username for a in actors.values() if a.username]}
    return actors, ids


@pytest.fixture(scope="module")
def harness(app: Flask) -> Iterator[Harness]:
    """Replaces the per-test transaction of tests/conftest.py for the matrix cases (marked
    `shared_transaction`): one connection and one outer transaction for the module."""
    with rolled_back(app) as connection:
        made = Harness(app, Factory(app), connection)
        try:
            made.actors, made.base_ids = _make_actors(app, made.make)
            yield made
        finally:
            made._leave_endpoint()


def _call(client: FlaskClient, row: Row, ids: dict, actor: Actor):
    headers = {}
    if row.api and actor.api_secret:
        headers["Authorization"] = f"Bearer {actor.api_secret}"
    if row.method == "GET":
        return client.get(row.path(ids), headers=headers)
    if row.api:  # JSON bodies; bytes values go as file uploads (multipart)
        uploads = {k: (io.BytesIO(v), f"{k}.pdf") for k, v in row.data.items()
                   if isinstance(v, bytes)}
        if uploads:
            return client.open(row.path(ids), method=row.method, headers=headers,
                               data=dict(row.data, **uploads))
        return client.open(row.path(ids), method=row.method, headers=headers, json=row.data)
    return client.open(row.path(ids), method=row.method, headers=headers,
                       data=dict(row.data, csrf_token=actor.form_token))


def _outcome(response, row: Row) -> str:
    if response.status_code in (401, 403, 404):
        return REFUSED
    location = response.headers.get("Location", "")
    if response.status_code == 302 and "/login?next=" in location and not row.public:
        return "login"
    return "allowed"


CASES = [pytest.param(endpoint, actor, marks=pytest.mark.xdist_group(endpoint))
         for endpoint in ENDPOINTS for actor in ACTORS]


@pytest.mark.shared_transaction
@pytest.mark.parametrize(("endpoint", "actor"), CASES)
def test_matrix(harness: Harness, endpoint: str, actor: str):
    row = ENDPOINTS[endpoint]
    ids = dict(harness.world_for(endpoint), actor=harness.actors[actor].username)
    savepoint = harness.connection.begin_nested()
    try:
        response = _call(harness.client_for(actor), row, ids, harness.actors[actor])
    finally:
        with harness.app.app_context():
            db.session.remove()
        if savepoint.is_active:
            savepoint.rollback()
    got = _outcome(response, row)
    if actor == "anonymous" and not row.public:
        expected = REFUSED if row.api else "login"
    else:
        expected = "allowed" if actor in row.allowed else REFUSED
    assert got == expected, f"{actor} {row.method} {row.path(ids)} → {response.status_code}"
