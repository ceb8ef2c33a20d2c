"""Every web form's fields, fuzzed (issue 15, item 7): each POST page of the app (from its
url_map) is sent its fields filled with a NUL, a huge number, a negative number beyond 32
bits and bytes that are not UTF-8, and never answers a 5xx (in tests an unexpected error is
raised, so a 500 fails with its traceback).

The fields are the WTForms classes' own: a first request with the permission matrix's data
for the endpoint records every form the view builds (sub-forms and list entries included,
by their posted names); the fuzzed requests then fill all of them. Each endpoint is called
by an actor the matrix allows, in the world its matrix row prepares, built once for the
endpoint (tests/security/test_endpoint_matrix.Harness); every request runs in a savepoint
rolled back after it, so the cases share the world without seeing each other's changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import FieldList, FormField

from tests.conftest import form_token, process_app, rolled_back
from tests.factories import Factory
from tests.security.matrix import ENDPOINTS
from tests.security.test_endpoint_matrix import Harness, _make_actors
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import Role, User
from trainhub.core.forms import DecimalField
from trainhub.core.security import SESSION_KEY
from trainhub.extensions import db

VALUES = {
    "nul": "1\x00",
    "huge": "9" * 32,  # the longest number trainhub.core.inputs lets through
    "negative": str(-(2**31) - 1),
}
NOT_UTF8 = "%FF%FE%C3%28"  # raw bytes, percent-encoded: decoded with replacement characters
# Who calls an endpoint: the first of these the matrix allows (someone who gets past the
# permission check, so the form is read); NOBODY rows: the world's own staff or enterprise.
PREFERENCE = ("officer_county", "officer_city", "officer_province", "institution_staff",
              "enterprise_contact", "trainee_self", "judge", "chief_judge", "admin",
              "security_admin", "audit_admin", "trainee_other", "officer_other_city",
              "officer_other_county", "anonymous")
OWNER_ROLES = (Role.INSTITUTION_STAFF.value, Role.ENTERPRISE_CONTACT.value)


def _posted_pages(app: Flask) -> list[str]:
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()
                   if "POST" in (rule.methods or set()) and not rule.rule.startswith("/api/")})


def _names(field: Any) -> Iterator[str]:
    if isinstance(field, (FieldList, FormField)):
        for entry in field:
            yield from _names(entry)
    elif field.type != "CSRFTokenField":
        yield field.name


class Recorder:
    """The fields of every FlaskForm built while it listens."""

    def __init__(self) -> None:
        self.fields: set[str] = set()
        self.forms: set[str] = set()

    def __enter__(self) -> Recorder:
        original = FlaskForm.__init__
        recorder = self

        def recording(form: FlaskForm, *args: Any, **kwargs: Any) -> None:
            original(form, *args, **kwargs)
            recorder.forms.add(type(form).__name__)
            for field in form:
                recorder.fields.update(_names(field))

        self._original = original
        FlaskForm.__init__ = recording  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        FlaskForm.__init__ = self._original  # type: ignore[method-assign]


@pytest.fixture(scope="module")
def fuzz_harness(app: Flask) -> Iterator[Harness]:
    with rolled_back(app) as connection:
        made = Harness(app, Factory(app), connection)
        try:
            made.actors, made.base_ids = _make_actors(app, made.make)
            yield made
        finally:
            made._leave_endpoint()


def _send(harness: Harness, client: FlaskClient, path: str, body: str | dict[str, Any]) -> Any:
    savepoint = harness.connection.begin_nested()
    try:
        token = form_token(client)
        if isinstance(body, dict):
            return client.post(path, data=dict(body, csrf_token=token))
        return client.post(path, data=f"{body}&csrf_token={quote(token)}",
                           content_type="application/x-www-form-urlencoded")
    finally:
        with harness.app.app_context():
            db.session.remove()
        if savepoint.is_active:
            savepoint.rollback()


def _owners(harness: Harness) -> Iterator[FlaskClient]:
    """For a page only the object's own staff or enterprise may use (NOBODY in the matrix):
    signed-in clients of the accounts the endpoint's world made, newest first."""
    known = [a.username for a in harness.actors.values() if a.username]
    with harness.app.app_context():
        users = db.session.scalars(select(User).where(
            User.username.not_in(known), User.role.in_(OWNER_ROLES)).order_by(User.id.desc()))
        tokens = [accounts.start_session(user, "127.0.0.1") for user in users]
        db.session.commit()
        db.session.remove()
    for token in tokens:
        client = harness.app.test_client()
        with client.session_transaction() as session:
            session[SESSION_KEY] = token
        yield client


def _caller(harness: Harness, endpoint: str, path: str, data: dict[str, Any]) -> FlaskClient:
    """An actor the matrix allows; for a NOBODY row, the first of the world's own accounts
    that gets past the permission check (not a 403 or 404)."""
    row = ENDPOINTS[endpoint]
    allowed = row.allowed | ({"anonymous"} if row.public else set())
    actor = next((name for name in PREFERENCE if name in allowed), None)
    if actor is not None:
        return harness.client_for(actor)
    for client in _owners(harness):
        if _send(harness, client, path, data).status_code not in (403, 404):
            return client
    raise AssertionError(f"no account of {endpoint}'s world may post to {path}")


def test_every_decimal_field_is_the_plain_one(app):
    """trainhub.core.forms.DecimalField refuses 1e10, NaN and extra decimals; WTForms' own
    takes them (and NaN made NumberRange raise)."""
    import wtforms

    from trainhub.core import forms

    found = [cls for cls in _subclasses(FlaskForm) for value in vars(cls).values()
             if getattr(value, "field_class", None) is wtforms.DecimalField]
    assert found == [] and forms.DecimalField is DecimalField


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_posted_page_is_fuzzed(app):
    assert set(_posted_pages(app)) <= set(ENDPOINTS)
    assert len(_posted_pages(app)) > 80


@pytest.mark.shared_transaction
@pytest.mark.parametrize("endpoint", _posted_pages(process_app()))
def test_form_fields_never_cause_a_server_error(fuzz_harness: Harness, endpoint: str):
    row = ENDPOINTS[endpoint]
    ids = fuzz_harness.world_for(endpoint)
    actor = next((n for n in PREFERENCE if n in row.allowed), "officer_county")
    path = row.path(dict(ids, actor=fuzz_harness.actors[actor].username))
    data = {k: v for k, v in row.data.items() if not isinstance(v, bytes)}
    client = _caller(fuzz_harness, endpoint, path, data)
    with Recorder() as recorder:
        first = _send(fuzz_harness, client, path, data)
    assert first.status_code < 500
    names = sorted(recorder.fields | set(row.data))
    for kind, value in VALUES.items():
        answer = _send(fuzz_harness, client, path, dict.fromkeys(names, value))
        assert answer.status_code < 500, (kind, answer.status_code)
        if kind == "nul" and names:
            assert answer.status_code == 400
    garbled = "&".join(f"{quote(name)}={NOT_UTF8}" for name in names)
    assert _send(fuzz_harness, client, path, garbled).status_code < 500
