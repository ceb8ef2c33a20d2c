"""A signed-in page reads the security administrator's values once, though the session's
timeouts and the password's age both need them (issue 13); a value saved shows on the
next request."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import sign_in
from trainhub.core.accounts.models import User
from trainhub.core.accounts.security_settings import SecurityParameter
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db


def _reads(statements: list[str]) -> int:
    return sum("FROM security_parameters" in s for s in statements)


def test_a_page_reads_the_security_values_once(app, make, count_queries):
    client = app.test_client()
    sign_in(client, make.user("federation_officer", region_code="3601"))
    for path in ("/", "/subsidies/approvals"):
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        assert _reads(statements) == 1, path


def test_a_value_saved_applies_to_the_next_request(app, make):
    client = app.test_client()
    username = make.user("federation_officer", region_code="3601")
    sign_in(client, username)
    with app.app_context():  # a password 40 days old, within the default maximum age
        user = db.session.scalars(select(User).where(User.username == username)).one()
        user.password_changed_at = utcnow() - timedelta(days=40)
        db.session.commit()
    assert client.get("/").status_code == 200
    with app.app_context():
        db.session.add(SecurityParameter(key="password_max_age_days", value=30))
        db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and response.location.endswith("/account/password")
