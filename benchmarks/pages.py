"""Page latency beside `/healthz` on the same app and client: the floor of any request (the
WSGI stack, the session, one trivial query), so the ratio is what the page itself costs."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from benchmarks.harness import Figure, compare
from trainhub import ROOT
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
    return sum(statement_sites(client, path).values())


# A bound parameter as each driver writes it (psycopg's %(name)s::TYPE, SQLite's ?), and an
# IN list of them, which SQLAlchemy expands to as many as it was given values.
_PARAMETER = re.compile(r"%\(\w+\)s(?:::\w+)?|\?")
_IN_LIST = re.compile(r"\(\s*\?(?:\s*,\s*\?)*\s*\)")
_OURS = (str(ROOT / "trainhub"), str(ROOT / "templates"))


def shape(statement: str) -> str:
    """A statement without its values: the same query for 3 or 300 ids reads the same."""
    text = _PARAMETER.sub("?", " ".join(statement.split()))
    return _IN_LIST.sub("(?…)", text)


def _site() -> str:
    """The lines of the project's code and templates on the stack, innermost first: two
    lists of one page loading their people run the same query from different lines."""
    lines: list[str] = []
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith(_OURS):
            name = Path(frame.f_code.co_filename).relative_to(ROOT)
            lines.append(f"{name}:{frame.f_lineno}")
        frame = frame.f_back
    return " < ".join(lines)


def statement_sites(client: FlaskClient, path: str) -> Counter[str]:
    """How many times one GET of `path` runs each statement, by its shape and the lines
    that ran it: a query run once per row of a list is one site counted once per row."""
    counted: Counter[str] = Counter()

    def count(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        counted[f"{shape(statement)} @ {_site()}"] += 1

    event.listen(Engine, "before_cursor_execute", count)
    try:
        _get(client, path)
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    return counted


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
