"""Page latency beside `/healthz` on the same app and client: the floor of any request (the
WSGI stack, the session, one trivial query), so the ratio is what the page itself costs."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from benchmarks.harness import Figure, compare
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.core.security import SESSION_KEY
from trainhub.extensions import db

FLOOR = "/healthz"


def sign_in(client: FlaskClient, username: str) -> None:
    """A server-side session for `username`, as a successful sign-in opens one."""
    with client.application.app_context():
        user = db.session.scalars(select(User).where(User.username == username)).one()
        token = accounts.start_session(user, "127.0.0.1")
        db.session.commit()
    with client.session_transaction() as session:
        session.clear()
        session[SESSION_KEY] = token


def statements(client: FlaskClient, path: str) -> int:
    """How many SQL statements one GET of `path` runs."""
    counted: Counter[str] = Counter()

    def count(*_args: Any) -> None:
        counted["all"] += 1

    event.listen(Engine, "before_cursor_execute", count)
    try:
        _get(client, path)
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    return counted["all"]


def _get(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise AssertionError(f"GET {path} answered {response.status_code}")


def latency(client: FlaskClient, name: str, path: str, *, goal: float | None,
            runs: int = 15) -> Figure:
    """The median of `runs` GETs of `path` beside the median of as many GETs of /healthz."""
    _get(client, path)  # the first request warms templates and caches
    return compare(name, lambda: _get(client, path), lambda: _get(client, FLOOR), goal=goal,
                   runs=runs, notes={"statements": statements(client, path)})
