"""Seats under concurrency, on PostgreSQL with real threads and commits: fifty trainees
applying at the same moment for thirty seats, and two staff members admitting from a long
list at the same moment, through the web pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token, login
from tests.factories import PASSWORD
from tests.races import all_at_once
from tests.training import builders
from trainhub.core.accounts.models import User
from trainhub.core.accounts.passwords import hash_password
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.training import enrolment
from trainhub.training.models import Batch, Enrolment

pytestmark = pytest.mark.postgres_only


def _open_batch(app: Any, capacity: int, admission: str, applicants: int = 0) -> dict[str, Any]:
    with app.app_context():
        today = local_today()
        owner = builders.institution("360102")
        staff = [User(username=f"race-staff-{owner.id}-{n}", display_name="s",
                      role="institution_staff", institution_id=owner.id,
                      password_hash=hash_password(PASSWORD, time_cost=1, memory_cost=8))
                 for n in range(2)]
        db.session.add_all(staff)
        db.session.flush()
        batch = builders.batch(builders.base(owner, valid_from=today - timedelta(days=30),
                                             valid_until=today + timedelta(days=700)),
                               staff[0], today, status="enrolling", capacity=capacity,
                               admission=admission)
        people = [builders.person().id for _ in range(applicants)]
        pending = [enrolment.apply(batch, db.session.get(builders.Person, p), staff[0]).id
                   for p in people]
        db.session.commit()
        return {"batch": batch.id, "staff": [s.username for s in staff],
                "staff_id": staff[0].id, "pending": pending}


def _statuses(app: Any, batch_id: int) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(select(Enrolment.status, func.count()).where(
            Enrolment.batch_id == batch_id).group_by(Enrolment.status))
        return {status: n for status, n in rows}


def test_fifty_apply_at_once_for_thirty_seats(race_app):
    made = _open_batch(race_app, capacity=30, admission="auto")
    with race_app.app_context():
        people = [builders.person().id for _ in range(50)]
        db.session.commit()

    def apply(index: int) -> str:
        with race_app.app_context():
            batch = db.session.get(Batch, made["batch"])
            person = db.session.get(builders.Person, people[index])
            staff = db.session.get(User, made["staff_id"])
            status = enrolment.apply(batch, person, staff).status
            db.session.commit()
            return status

    results = all_at_once(50, apply)
    assert sorted(results) == ["admitted"] * 30 + ["waiting"] * 20, results
    assert _statuses(race_app, made["batch"]) == {"admitted": 30, "waiting": 20}
    with race_app.app_context():
        assert db.session.get(Batch, made["batch"]).seats_taken == 30


def test_two_staff_admitting_from_a_long_list_never_exceed_the_capacity(race_app):
    made = _open_batch(race_app, capacity=30, admission="manual", applicants=60)
    clients = []
    for username in made["staff"]:
        client = race_app.test_client()
        login(client, username)
        clients.append((client, csrf_token(client, "/training/batches")))
    # Both work down the same list from opposite ends, meeting in the middle.
    orders = [made["pending"], list(reversed(made["pending"]))]

    def admit_all(index: int) -> list[int]:
        client, token = clients[index]
        codes = []
        for enrolment_id in orders[index]:
            response = client.post(f"/training/enrolments/{enrolment_id}/admit",
                                   data={"csrf_token": token})
            codes.append(response.status_code)
        return codes

    results = all_at_once(2, admit_all)
    assert all(isinstance(r, list) for r in results), results
    assert {code for codes in results for code in codes} == {302}  # no server error
    assert _statuses(race_app, made["batch"]) == {"admitted": 30, "applied": 30}
    with race_app.app_context():
        assert db.session.get(Batch, made["batch"]).seats_taken == 30
