"""The live scoreboard is computed once per change to what it shows (issue 13): the
database's triggers count every change to an event's marks, entries, resolutions and
assignments, whatever writes them, and a board is kept only for the count it was made at."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from tests.competitions import judging_world
from tests.conftest import sign_in
from trainhub.competitions import live_board
from trainhub.competitions.models import Assignment, Entry, Event, Mark
from trainhub.extensions import db


def _version(event_id: int) -> int:
    return db.session.scalar(select(Event.marks_version).where(Event.id == event_id))


@pytest.fixture
def marked(app, make):
    return judging_world.build(app, make, "marked")


@pytest.mark.parametrize("change", ["mark value", "mark added", "mark deleted",
                                    "entry withdrawn", "assignment removed"])
def test_every_change_counts(app, marked, change):
    with app.app_context():
        event_id = marked["event"]
        before = _version(event_id)
        mark = db.session.scalars(select(Mark).join(Entry, Entry.id == Mark.entry_id)
                                  .where(Entry.event_id == event_id)).first()
        if change == "mark value":
            db.session.execute(update(Mark).where(Mark.id == mark.id).values(value=Decimal(1)))
        elif change == "mark added":
            db.session.execute(delete(Mark).where(Mark.id == mark.id))
            before = _version(event_id)
            db.session.add(Mark(entry_id=mark.entry_id, aspect_id=mark.aspect_id,
                                judge_id=mark.judge_id, slot=mark.slot, value=mark.value))
            db.session.flush()
        elif change == "mark deleted":
            db.session.execute(delete(Mark).where(Mark.id == mark.id))
        elif change == "entry withdrawn":
            db.session.execute(update(Entry).where(Entry.id == mark.entry_id)
                               .values(status="withdrawn"))
        else:
            db.session.execute(delete(Assignment).where(Assignment.event_id == event_id,
                                                        Assignment.chief.is_(False)))
        assert _version(event_id) > before


def _page(response: Any) -> str:
    """The page without its CSRF tokens (the language form's): a token is signed with the
    second it is made, so two requests across a second's end differ there."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"',
                  response.get_data(as_text=True))


def test_the_page_is_computed_once_per_change(app, client, marked, monkeypatch):
    from trainhub.competitions.views import results as views

    computed = []
    original = views._live_board
    monkeypatch.setattr(views, "_live_board", lambda event: computed.append(1) or original(event))
    live_board.forget()
    sign_in(client, marked["organiser"])
    path = f"/competitions/events/{marked['event']}/scoreboard"
    first = client.get(path)
    assert first.status_code == 200 and _page(client.get(path)) == _page(first)
    assert len(computed) == 1
    with app.app_context():
        mark = db.session.scalars(select(Mark).join(Entry, Entry.id == Mark.entry_id)
                                  .where(Entry.event_id == marked["event"],
                                         Mark.slot == 0)).first()
        db.session.execute(update(Mark).where(Mark.id == mark.id).values(value=Decimal(0)))
        db.session.commit()
    changed = client.get(path)
    assert len(computed) == 2 and changed.data != first.data


def test_a_board_is_kept_no_longer_than_the_refresh_period(app, marked):
    with app.test_request_context():
        event = db.session.get(Event, marked["event"])
        made = []

        def compute():
            made.append(1)
            return live_board.Board("", 0, 0)

        live_board.forget()
        live_board.board(event, compute, clock=lambda: 100.0)
        live_board.board(event, compute, clock=lambda: 100.0 + live_board.MAX_AGE - 1)
        assert len(made) == 1
        live_board.board(event, compute, clock=lambda: 100.0 + live_board.MAX_AGE + 1)
        assert len(made) == 2
