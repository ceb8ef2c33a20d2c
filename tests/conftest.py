"""Test harness: one migrated database per run, each test inside a rolled-back transaction.

TEST_DATABASE_URL selects PostgreSQL (CI sets it); otherwise a temporary SQLite file is used.
Views commit as usual; with join_transaction_mode="create_savepoint" a commit only releases
a savepoint, and the outer transaction is rolled back after every test.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FsaSession
from hypothesis import settings as hypothesis_settings
from itsdangerous import URLSafeTimedSerializer

from tests import factories
from trainhub import create_app
from trainhub.competitions import chief_review
from trainhub.core import kept
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.core.crypto import generate_key_text
from trainhub.core.parameters.defaults import load_defaults
from trainhub.core.regions import load_regions
from trainhub.core.security import SESSION_KEY
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.subsidies import reconciliation

# Timing belongs in benchmarks/, not in tests: a loaded CI machine must not fail a property.
hypothesis_settings.register_profile("trainhub", deadline=None)
hypothesis_settings.load_profile("trainhub")

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class ConnectionBoundSession(FsaSession):
    """Flask-SQLAlchemy picks its engine itself; in tests every session uses the test's
    connection instead."""

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        if self.bind is not None:
            return self.bind
        return super().get_bind(*args, **kwargs)


def postgres_url() -> str:
    """TEST_DATABASE_URL, or under pytest-xdist or in a shard of scripts/test.sh a database
    of each process's own beside it (test → test_gw0, test_shard1…), created on first use.
    Empty when not set."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get("TEST_SHARD", "")
    if not url or not worker:
        return url
    base = sa.engine.make_url(url)
    name = f"{base.database}_{worker}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                              {"name": name}).scalar()
        if not exists:
            try:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            except sa.exc.DBAPIError:
                # make test's two runs (browser and the rest) start at once: the other
                # may have created it in between
                if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                    {"n": name}).scalar():
                    raise
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _database_url() -> str:
    folder = tempfile.mkdtemp(prefix="trainhub-test-db-")
    return postgres_url() or f"sqlite:///{folder}/test.sqlite3"


def _reset_schema(app: Flask) -> None:
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    upgrade()
    load_regions()
    load_defaults()  # shipped parameters are reference data, like the regions
    db.session.commit()


TEST_CONFIG = {
    "TRAINHUB_ENV": "test",
    "SECRET_KEY": "test-secret-key-" + "x" * 32,
    "FIELD_ENCRYPTION_KEYS": f"k1={generate_key_text()}",
    "BLIND_INDEX_KEY": generate_key_text(),
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 8,
    "UPLOAD_FOLDER": tempfile.mkdtemp(prefix="trainhub-test-uploads-"),
}


@functools.cache
def process_app() -> Flask:
    """The process's one test app, on its own database (not yet migrated: the `app` fixture
    does that). Shared with modules that need the app while they are collected (the
    schemathesis operations), so collecting them builds no second app."""
    return create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=_database_url()))


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    application = process_app()
    with application.app_context():
        _reset_schema(application)
    yield application


@contextmanager
def rolled_back(application: Flask) -> Iterator[Any]:
    """One connection in an outer transaction that is rolled back at the end; while it lasts
    every session is bound to it (commits release savepoints). Yields the connection."""
    with application.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
    original = db.session
    db.session = db._make_scoped_session(  # type: ignore[method-assign]
        {"class_": ConnectionBoundSession, "bind": connection,
         "join_transaction_mode": "create_savepoint"}
    )
    try:
        yield connection
    finally:
        with application.app_context():
            db.session.remove()
        db.session = original  # type: ignore[method-assign]
        outer.rollback()
        # figures kept under a state of the data that the rollback just undid
        reconciliation.forget()
        chief_review.forget()
        kept.forget()
        connection.close()


@pytest.fixture(autouse=True)
def _transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    if "app" not in request.fixturenames or request.node.get_closest_marker(
            "shared_transaction"):
        yield  # no database, or a module's own transaction (tests/security/test_endpoint_matrix)
        return
    with rolled_back(request.getfixturevalue("app")):
        yield


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """An application context for service tests. View tests must not hold one open:
    Flask would reuse it for every request and carry `g` (the signed-in user) across."""
    with app.app_context():
        yield app


@pytest.fixture(scope="session")
def s3() -> Iterator[Any]:
    """A local S3 server for the session (tests/s3_server.py; imported only when used)."""
    from tests import s3_server

    yield from s3_server.running()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make(app: Flask) -> factories.Factory:
    return factories.Factory(app)


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    response = client.get(path)
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({response.status_code})"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = factories.PASSWORD) -> Any:
    """Sign in over HTTP, as a browser does: for the tests of signing in itself. The second
    step, when asked for, is passed with a code of the factories' TOTP key."""
    response = password_step(client, username, password)
    if response.headers.get("Location") != "/login/code":
        return response
    return client.post("/login/code", data={"code": next_code(client.application, username),
                                            "csrf_token": csrf_token(client, "/login/code")})


def password_step(client: FlaskClient, username: str,
                  password: str = factories.PASSWORD) -> Any:
    token = csrf_token(client, "/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token})


def enrol(client: FlaskClient, username: str, path: str = "/login/enrol") -> Any:
    """Set the authenticator app up on the enrolment page (its key read from the database),
    as a person scanning the QR code does; returns the page of recovery codes."""
    token = csrf_token(client, path)  # the GET creates the unconfirmed factor
    return client.post(path, data={"code": next_code(client.application, username),
                                   "csrf_token": token})


def next_code(app: Flask, username: str) -> str:
    """A TOTP code of the account's key not yet used: this time step's, or one either side
    (a code is good once, and a test may sign the same account in twice in 30 s)."""
    import pyotp

    from trainhub.core.accounts.totp import factor_of

    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.username == username)).one()
        factor = factor_of(user)
        assert factor is not None, f"{username} has no second factor"
        otp = pyotp.TOTP(factor.secret)
        now = otp.timecode(utcnow())
        step = next(s for s in (now - 1, now, now + 1) if s > factor.last_step)
        return otp.generate_otp(step)


def sign_in(client: FlaskClient, username: str) -> None:
    """Open a server-side session for `username` and hand its cookie to `client`, as a
    successful sign-in does (services.start_session), without the two requests and the
    password hash: tests of pages need a signed-in user, not a sign-in."""
    app = client.application
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.username == username)).one()
        token = accounts.start_session(user, "127.0.0.1")
        db.session.commit()
    with client.session_transaction() as session:
        session.clear()
        session[SESSION_KEY] = token


def form_token(client: FlaskClient) -> str:
    """A CSRF token valid for `client`'s session, made as Flask-WTF's generate_csrf makes
    one (a raw token kept in the session, signed for the form), without fetching a page."""
    app = client.application
    with client.session_transaction() as session:
        raw = session.setdefault("csrf_token", secrets.token_hex(20))
    secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)


def post_form(client: FlaskClient, path: str, data: dict[str, Any]) -> Any:
    """POST a form with a valid CSRF token taken from a page of the signed-in session."""
    payload = dict(data, csrf_token=form_token(client))
    return client.post(path, data=payload)


def _fresh_database(base: sa.engine.URL, name: str, template: str | None = None) -> sa.Engine:
    """Drop and create the database `name` beside `base` (a copy of `template`, if given);
    returns the AUTOCOMMIT engine that did it, for the caller to drop it afterwards."""
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"{copy}'))
    return admin


@pytest.fixture(scope="session")
def race_template() -> Iterator[str | None]:
    """A migrated PostgreSQL database with the regions and parameters, which each module's
    race_app copies (CREATE DATABASE … TEMPLATE: ~0.06 s) instead of migrating a database
    of its own (~1.5 s, for each of some 25 modules). None on SQLite."""
    url = postgres_url()
    if not url.startswith("postgresql"):
        yield None
        return
    base = sa.engine.make_url(url)
    name = f"{base.database}_race_template"
    admin = _fresh_database(base, name)
    builder = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=base.set(
        database=name).render_as_string(hide_password=False)))
    with builder.app_context():
        upgrade()
        load_regions()
        load_defaults()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # a template must have no connection while it is copied
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def race_app(race_template: str | None) -> Iterator[Flask]:
    """An application on a throw-away PostgreSQL database whose transactions really commit,
    for tests of concurrent requests (the rest of the suite runs inside rolled-back
    transactions, which cannot show a race). Skipped on SQLite."""
    if race_template is None:
        pytest.skip("races are tested on PostgreSQL (set TEST_DATABASE_URL)")
    base = sa.engine.make_url(postgres_url())
    name = f"{base.database}_race"
    admin = _fresh_database(base, name, template=race_template)
    application = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=base.set(
        database=name).render_as_string(hide_password=False)))
    try:
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def count_queries(app: Flask) -> Any:
    """Counts SQL statements run inside a `with count_queries() as counter:` block."""

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def listener(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                statements.append(statement)

        sa.event.listen(sa.engine.Engine, "before_cursor_execute", listener)
        try:
            yield statements
        finally:
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", listener)

    return counting
