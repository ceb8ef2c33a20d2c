""""All present, then the exceptions": one set-based write for the whole session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.training import builders
from tests.training.conftest import TODAY
from trainhub.core.audit.models import AuditEntry
from trainhub.core.errors import Conflict, DomainError
from trainhub.extensions import db
from trainhub.training import attendance, batches, enrolment
from trainhub.training.models import Attendance

START = TODAY + timedelta(days=10)


def _running(world, trainees: int = 3):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", days=2,
                           capacity=max(trainees, 5))
    admitted = builders.enrol(batch, trainees, world.staff)
    batches.start(batch, START)
    return batch, admitted


def _marks(session_id: int) -> dict[int, str]:
    return dict(db.session.execute(select(Attendance.enrolment_id, Attendance.status)
                                   .where(Attendance.session_id == session_id)).all())


def test_every_unmarked_admitted_trainee_is_marked_present_and_marks_given_are_kept(world):
    batch, trainees = _running(world, 4)
    session = batch.sessions[0]
    now = builders.local(START, 10)
    enrolment.withdraw(trainees[3], world.staff)  # no longer admitted: not marked
    attendance.mark_session(session, {trainees[0].id: "absent"}, world.staff, now)
    assert attendance.mark_all_present(session, world.staff, now) == 2
    assert _marks(session.id) == {trainees[0].id: "absent", trainees[1].id: "present",
                                  trainees[2].id: "present"}
    row = db.session.scalar(select(Attendance).where(Attendance.enrolment_id == trainees[1].id))
    assert (row.marked_by_id, row.marked_at) == (world.staff.id, now)
    assert _marks(batch.sessions[1].id) == {}  # the other session untouched
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "training_attendance.all_present")).one()
    assert entry.details == {"batch": batch.id, "marked": 2}
    # then an exception: a correction as any other
    assert attendance.mark_session(session, {trainees[2].id: "late"}, world.staff,
                                   now) == (0, 1)
    assert attendance.mark_all_present(session, world.staff, now) == 0  # nothing left


def test_a_session_not_yet_begun_is_refused_and_nothing_is_marked(world):
    batch, _ = _running(world)
    with pytest.raises(DomainError, match="not taken place"):
        attendance.mark_all_present(batch.sessions[1], world.staff, builders.local(START, 10))
    assert db.session.scalars(select(Attendance)).all() == []


def test_a_batch_not_running_is_refused(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    builders.enrol(batch, 2, world.staff)
    with pytest.raises(Conflict, match="while the batch runs"):
        attendance.mark_all_present(batch.sessions[0], world.staff, builders.local(START, 10))
    assert db.session.scalars(select(Attendance)).all() == []


def test_all_present_is_the_same_statements_at_5_and_100_trainees(world, count_queries):
    counted = []
    for size in (5, 100):
        batch, _ = _running(world, size)
        session = batch.sessions[0]
        db.session.flush()
        with count_queries() as statements:
            assert attendance.mark_all_present(session, world.staff,
                                               builders.local(START, 10)) == size
        assert len([s for s in statements if "INSERT INTO training_attendance" in s]) == 1
        assert len(_marks(session.id)) == size
        counted.append(len(statements))
    assert counted[0] == counted[1] <= 6, counted
