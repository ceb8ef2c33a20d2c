"""QR check-in: a short-lived signed code per session, the trainee's check-in awaiting
confirmation, staff's confirmation (set-based), check-in turned off; every refusal writes
nothing but its audit row. Time is moved by passing `now`, as the services take it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.training import builders
from tests.training.conftest import TODAY
from trainhub.core.audit.models import AuditEntry
from trainhub.core.errors import Conflict, DomainError
from trainhub.extensions import db
from trainhub.training import attendance, batches, checkin
from trainhub.training.models import Attendance, Checkin

START = TODAY + timedelta(days=10)
MORNING = builders.local(START, 8, 50)


@pytest.fixture
def running(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", days=2)
    trainees = builders.enrol(batch, 3, world.staff)
    batches.start(batch, START)
    return batch, trainees


def opened(world, batch, at=MORNING):
    session = batch.sessions[0]
    checkin.open_checkin(session, world.staff, at)
    return session, checkin.code_for(session, at)


def checkins() -> int:
    return db.session.scalar(select(func.count()).select_from(Checkin))


def refusals() -> list[dict]:
    return [e.details for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "training_checkin.refused"))]


def test_a_trainee_checks_in_with_the_code_and_awaits_confirmation(world, running):
    batch, trainees = running
    session, code = opened(world, batch)
    made = checkin.check_in(code, trainees[0].person_id, MORNING + timedelta(minutes=3))
    assert (made.session_id, made.enrolment_id, made.confirmed_at) == (
        session.id, trainees[0].id, None)
    assert db.session.scalar(select(AuditEntry.details).where(
        AuditEntry.action == "training_checkin.check_in")) == {"batch": batch.id,
                                                                "enrolment": trainees[0].id}
    with pytest.raises(Conflict, match="already checked in"):
        checkin.check_in(code, trainees[0].person_id, MORNING + timedelta(minutes=4))


def test_a_code_lasts_ten_minutes(world, running):
    batch, trainees = running
    _, code = opened(world, batch)
    checkin.check_in(code, trainees[0].person_id, MORNING + timedelta(minutes=10))
    with pytest.raises(DomainError, match="expired"):
        checkin.check_in(code, trainees[1].person_id,
                         MORNING + timedelta(minutes=10, seconds=1))
    assert checkins() == 1 and refusals() == [{"reason": "code"}]


def test_a_new_code_is_drawn_from_the_same_opening(world, running):
    batch, trainees = running
    session, _ = opened(world, batch)
    later = MORNING + timedelta(minutes=30)
    fresh = checkin.code_for(session, later)
    checkin.check_in(fresh, trainees[0].person_id, later + timedelta(minutes=1))
    assert checkins() == 1


@pytest.mark.parametrize("code", ["", "abc", "WzEsMiwzXQ.forged"])
def test_a_code_not_ours_is_refused(world, running, code):
    batch, trainees = running
    opened(world, batch)
    with pytest.raises(DomainError, match="expired"):
        checkin.check_in(code, trainees[0].person_id, MORNING)
    assert checkins() == 0


def test_turning_check_in_off_voids_the_codes_shown_even_when_opened_again(world, running):
    batch, trainees = running
    session, code = opened(world, batch)
    checkin.close_checkin(session, world.staff)
    with pytest.raises(DomainError, match="turned off"):
        checkin.check_in(code, trainees[0].person_id, MORNING + timedelta(minutes=1))
    checkin.open_checkin(session, world.staff, MORNING + timedelta(minutes=2))
    with pytest.raises(DomainError, match="turned off"):
        checkin.check_in(code, trainees[0].person_id, MORNING + timedelta(minutes=3))
    assert checkins() == 0


def test_check_in_off_for_the_whole_batch(world, running):
    batch, trainees = running
    _, code = opened(world, batch)
    assert checkin.close_batch(batch, world.staff) == 1
    assert all(s.checkin_opened_at is None for s in batch.sessions)
    with pytest.raises(DomainError):
        checkin.check_in(code, trainees[0].person_id, MORNING)
    with pytest.raises(Conflict, match="turned off"):
        checkin.code_for(batch.sessions[0], MORNING)


def test_a_trainee_not_admitted_to_the_batch_is_refused(world, running):
    batch, trainees = running
    _, code = opened(world, batch)
    stranger = builders.person()
    from trainhub.training import enrolment
    enrolment.withdraw(trainees[2], world.staff)
    for person_id in (stranger.id, trainees[2].person_id):
        with pytest.raises(DomainError, match="do not hold a seat"):
            checkin.check_in(code, person_id, MORNING)
    assert checkins() == 0
    assert [r["reason"] for r in refusals()] == ["not_admitted", "not_admitted"]


def test_a_session_not_today_is_refused(world, running):
    batch, trainees = running
    with pytest.raises(DomainError, match="day of the session"):
        checkin.open_checkin(batch.sessions[1], world.staff, MORNING)
    assert batch.sessions[1].checkin_opened_at is None
    late = builders.local(START, 23, 58)  # a code drawn just before midnight
    _, code = opened(world, batch, late)
    with pytest.raises(DomainError, match="day of the session"):
        checkin.check_in(code, trainees[0].person_id, late + timedelta(minutes=5))
    assert checkins() == 0 and refusals() == [{"batch": batch.id, "reason": "not_today"}]


def test_confirming_marks_the_checked_in_present_set_based(world, running, count_queries):
    batch, trainees = running
    session, code = opened(world, batch)
    for t in trainees:
        checkin.check_in(code, t.person_id, MORNING)
    after = builders.local(START, 9, 30)
    attendance.mark_session(session, {trainees[2].id: "late"}, world.staff, after)
    with count_queries() as statements:
        assert checkin.confirm(session, world.staff, after) == 3
    assert len(statements) <= 6, statements
    marks = dict(db.session.execute(select(Attendance.enrolment_id, Attendance.status)).all())
    assert marks == {trainees[0].id: "present", trainees[1].id: "present",
                     trainees[2].id: "late"}  # a mark given stays
    assert checkin.confirm(session, world.staff, after) == 0  # nothing left to confirm
    assert all(c.confirmed_by_id == world.staff.id for c in db.session.scalars(select(Checkin)))


def test_confirming_before_the_session_begins_is_refused(world, running):
    batch, trainees = running
    session, code = opened(world, batch)
    checkin.check_in(code, trainees[0].person_id, MORNING)
    with pytest.raises(DomainError, match="not taken place"):
        checkin.confirm(session, world.staff, MORNING)
    assert db.session.scalars(select(Attendance)).all() == []
    assert db.session.scalar(select(Checkin.confirmed_at)) is None
