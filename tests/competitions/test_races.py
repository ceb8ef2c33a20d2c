"""Races on PostgreSQL with real threads and commits: two judges submitting the same
measurement sheet at the same moment (one mark is stored, the other judge gets a clear
conflict); a correction of an event made while its draw is being committed (refused, not
saved after the draw); a registration made while a lower quota is being committed (checked
against the new quota)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.competitions import builders
from tests.competitions.builders import CLOSES, TODAY
from tests.races import all_at_once
from tests.training import builders as training
from trainhub.competitions import drawing, editing, judging, marking, registration
from trainhub.competitions.models import Aspect, Delegation, Entry, Event, Mark
from trainhub.core.accounts.models import User
from trainhub.core.errors import Conflict, DomainError
from trainhub.core.people.models import Person
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

pytestmark = pytest.mark.postgres_only


def test_two_judges_submit_the_same_measurement_once(race_app):
    with race_app.app_context():
        organiser = training.user("federation_officer", region_code="36")
        made = builders.competition(organiser)
        event = builders.event(made)
        entries = builders.confirmed_entries(event, ("3601", "3607", "3602"), organiser)
        judges = [judging.assign(event, builders.judge(city), False).judge
                  for city in ("3604", "3605")]
        drawing.draw(event, organiser, CLOSES + timedelta(days=1))
        db.session.commit()
        ids = (event.id, entries[0].id, [j.id for j in judges],
               db.session.scalar(select(Aspect.id).where(Aspect.event_id == event.id,
                                                         Aspect.code == "A")))

    def submit(index: int) -> str:
        with race_app.app_context():
            found = db.session.get(Event, ids[0])
            entry = db.session.get(Entry, ids[1])
            assignment = next(a for a in found.assignments if a.judge_id == ids[2][index])
            try:
                marking.save_sheet(found, assignment, entry, {ids[3]: Decimal(15 + index)},
                                   submit=False, now=utcnow())
                db.session.commit()
                return "stored"
            except Conflict:
                db.session.rollback()
                return "conflict"

    assert sorted(all_at_once(2, submit)) == ["conflict", "stored"]
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Mark).where(
            Mark.entry_id == ids[1], Mark.aspect_id == ids[3])) == 1


def _first_then_second(first: Any, second: Any, started: threading.Event) -> list[Any]:
    """`first` runs and sets `started` while its transaction is still open (it then waits
    long enough for `second` to reach the row it holds) before committing; `second` starts
    once `started` is set. What each returned or raised."""
    results: list[Any] = [None, None]

    def run(index: int, work: Any) -> None:
        try:
            results[index] = work()
        except Exception as error:  # noqa: BLE001 - the test inspects what happened
            results[index] = error

    threads = [threading.Thread(target=run, args=(0, first)),
               threading.Thread(target=run, args=(1, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


HOLD = 2  # seconds the first transaction stays open once the second may start


def test_a_correction_made_while_the_draw_commits_is_refused(race_app):
    with race_app.app_context():
        organiser = training.user("federation_officer", region_code="36")
        event = builders.event(builders.competition(organiser))
        builders.confirmed_entries(event, ("3601", "3607", "3602"), organiser)
        db.session.commit()
        ids = (event.id, organiser.id)
    draw_started = threading.Event()

    def draw() -> str:
        with race_app.app_context():
            drawing.draw(db.session.get(Event, ids[0]), db.session.get(User, ids[1]),
                         CLOSES + timedelta(days=1))
            draw_started.set()
            time.sleep(HOLD)
            db.session.commit()
            return "drawn"

    def correct() -> str:
        draw_started.wait(30)
        with race_app.app_context():
            found = db.session.get(Event, ids[0])
            assert found.status == "open"  # the draw is not committed yet
            try:
                editing.update_event(found, builders.event_input(found, name="保健按摩"),
                                     db.session.get(User, ids[1]))
                db.session.commit()
                return "corrected"
            except Conflict:
                db.session.rollback()
                return "refused"

    assert _first_then_second(draw, correct, draw_started) == ["drawn", "refused"]
    with race_app.app_context():
        assert db.session.get(Event, ids[0]).name == "盲人保健按摩"


def test_a_registration_made_while_a_lower_quota_commits_is_refused(race_app):
    with race_app.app_context():
        organiser = training.user("federation_officer", region_code="36")
        event = builders.event(builders.competition(organiser))
        delegation = registration.delegation_for(event.competition, "3601")
        officer = builders.city_officer("3601")
        registration.register(event, delegation, [builders.contestant("3601")], officer, TODAY)
        joining = builders.contestant("3601")
        db.session.commit()
        ids = (event.id, organiser.id, delegation.id, officer.id, joining.id)
    correcting = threading.Event()

    def correct() -> str:
        with race_app.app_context():
            found = db.session.get(Event, ids[0])
            editing.update_event(found, builders.event_input(found, quota=1),
                                 db.session.get(User, ids[1]))
            correcting.set()
            time.sleep(HOLD)
            db.session.commit()
            return "corrected"

    def register() -> str:
        correcting.wait(30)
        with race_app.app_context():
            found = db.session.get(Event, ids[0])
            assert found.quota == 3  # the correction is not committed yet
            try:
                registration.register(found, db.session.get(Delegation, ids[2]),
                                      [db.session.get(Person, ids[4])],
                                      db.session.get(User, ids[3]), TODAY)
                db.session.commit()
                return "registered"
            except DomainError:
                db.session.rollback()
                return "refused"

    assert _first_then_second(correct, register, correcting) == ["corrected", "refused"]
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Entry).where(
            Entry.event_id == ids[0])) == 1
