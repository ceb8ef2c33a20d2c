"""The database stops answering: every page a Chinese 503 page, every API call a JSON 503,
/healthz 503; when it answers again, the same process serves normally (no restart).

The outage is made at the driver's door: while it lasts, every statement the application
sends raises the OperationalError a refused or dropped connection raises."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from tests.conftest import csrf_token, sign_in
from tests.factories import PASSWORD
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.extensions import db


@contextmanager
def database_down() -> Iterator[None]:
    def refuse(*_args: Any) -> None:
        raise OperationalError("SELECT", {}, ConnectionRefusedError("connection refused"))

    event.listen(Engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(Engine, "before_cursor_execute", refuse)


@pytest.fixture
def officer(client, make) -> str:
    username = make.user("federation_officer", region_code="3601")
    sign_in(client, username)
    return username


@pytest.mark.parametrize("path", ["/", "/training/batches", "/login"])
def test_a_page_answers_a_chinese_503_and_recovers(client, officer, path):
    with database_down():
        response = client.get(path, headers={"Accept-Language": "zh-CN"})
    text = response.get_data(as_text=True)
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert "数据库" in text and "Werkzeug" not in text and "Internal Server Error" not in text
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response.headers
    assert client.get(path).status_code in (200, 302)  # back, same process


def test_a_sign_in_answers_503_and_the_next_one_works(client, make):
    username = make.user("federation_officer", region_code="3601")
    form = {"username": username, "password": PASSWORD, "csrf_token": csrf_token(client)}
    with database_down():
        refused = client.post("/login", data=form)
    assert refused.status_code == 503 and "数据库" in refused.get_data(as_text=True)
    assert client.post("/login", data=form).status_code == 302  # signed in


def test_an_error_page_during_the_outage_is_the_503_page(client, officer):
    """A form without its CSRF token is a 400, but the page would ask the database who is
    signed in: the outage is what the person is told."""
    with database_down():
        response = client.post("/training/batches", data={})
    assert response.status_code == 503


def test_an_api_call_answers_a_json_503_and_recovers(app, client, make):
    username = make.user("federation_officer", region_code="3601")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        _row, secret = accounts.issue_token(user, "outage")
        db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    with database_down():
        response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 503 and response.is_json
    assert response.json["status"] == 503 and response.json["error"] == "unavailable"
    assert isinstance(response.json["message"], str)
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_the_health_check_answers_503_and_recovers(client):
    with database_down():
        assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").json == {"status": "ok"}


def test_an_integrity_error_is_not_an_outage():
    """Only what says the database cannot be reached is a 503; a broken rule is a defect."""
    from sqlalchemy.exc import IntegrityError, ProgrammingError

    from trainhub.core.web import UNAVAILABLE

    assert not issubclass(IntegrityError, UNAVAILABLE)
    assert not issubclass(ProgrammingError, UNAVAILABLE)
