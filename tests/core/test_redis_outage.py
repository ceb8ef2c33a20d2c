"""Redis down in production stops only what needs it: pages under a rate limit (signing in)
keep answering, counted in each process's memory meanwhile; a queued job says the queue is
down (tests/training/test_imports.py)."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_CONFIG, csrf_token, process_app
from tests.factories import PASSWORD
from trainhub import create_app
from trainhub.extensions import limiter

NOTHING_LISTENS = "redis://127.0.0.1:1/0"


@pytest.fixture(scope="module")
def limited_app():
    """The process's database, rate limits on, counted in a Redis that does not answer."""
    database = process_app().config["SQLALCHEMY_DATABASE_URI"]
    app = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=database,
                          RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=NOTHING_LISTENS,
                          LOGIN_RATE_LIMIT="3 per minute"))
    yield app
    limiter.init_app(process_app())  # the extension is shared: give it back its storage


def test_signing_in_works_and_stays_limited_while_redis_is_down(app, limited_app, make):
    username = make.user("federation_officer", region_code="3601")
    client = limited_app.test_client()
    assert client.get("/login").status_code == 200
    form = {"username": username, "password": PASSWORD, "csrf_token": csrf_token(client)}
    assert client.post("/login", data=form).status_code == 302
    stranger = limited_app.test_client()
    wrong = dict(form, password="not-the-password", csrf_token=csrf_token(stranger))
    answers = [stranger.post("/login", data=wrong).status_code for _ in range(4)]
    assert answers[-1] == 429  # limited, in memory
