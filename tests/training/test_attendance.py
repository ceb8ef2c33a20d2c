"""Attendance: marking after a session begins, corrections, the rate over planned hours."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.training import builders
from tests.training.conftest import TODAY
from trainhub.core.audit.models import AuditEntry
from trainhub.core.errors import Conflict, DomainError
from trainhub.extensions import db
from trainhub.training import attendance, batches, enrolment
from trainhub.training.models import Attendance
from trainhub.training.rates import AttendanceSummary, summarise

START = TODAY + timedelta(days=10)


@pytest.fixture
def running(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", days=5)
    trainees = builders.enrol(batch, 3, world.staff)
    batches.start(batch, START)
    return batch, trainees


def test_the_rate_counts_planned_hours_not_held_ones():
    summary = summarise({1: Decimal(8), 2: Decimal(8), 3: Decimal(4)},
                        [(1, "present"), (2, "late")])
    assert (summary.planned_hours, summary.attended_hours) == (Decimal(20), Decimal(16))
    assert summary.percent == Decimal("80.0")
    assert not summary.below(Decimal(80))  # exactly 80% reaches 80%


def test_the_rate_is_rounded_down_so_just_below_never_shows_as_reached():
    summary = AttendanceSummary(Decimal(10000), Decimal(7999), 1)
    assert summary.percent == Decimal("79.9")
    assert summary.below(Decimal(80))


def test_excused_and_absent_do_not_count_and_unknown_sessions_are_ignored():
    summary = summarise({1: Decimal(8), 2: Decimal(8)},
                        [(1, "excused"), (2, "absent"), (99, "present")])
    assert (summary.attended_hours, summary.sessions_marked) == (Decimal(0), 2)


def test_marking_a_session_records_who_and_when(world, running):
    batch, trainees = running
    session = batch.sessions[0]
    now = builders.local(START, 10)
    marks = {trainees[0].id: "present", trainees[1].id: "late", trainees[2].id: "absent"}
    assert attendance.mark_session(session, marks, world.staff, now) == (3, 0)
    rows = db.session.scalars(select(Attendance).order_by(Attendance.enrolment_id)).all()
    assert [(r.status, r.marked_by_id, r.marked_at) for r in rows] == [
        ("present", world.staff.id, now), ("late", world.staff.id, now),
        ("absent", world.staff.id, now)]


def test_a_future_session_cannot_be_marked(world, running):
    batch, trainees = running
    with pytest.raises(DomainError, match="not taken place"):
        attendance.mark_session(batch.sessions[1], {trainees[0].id: "present"}, world.staff,
                                builders.local(START, 10))
    assert db.session.scalars(select(Attendance)).all() == []


def test_someone_not_admitted_cannot_be_marked(world, running):
    batch, trainees = running
    other = builders.batch(world.base, world.staff, TODAY, status="enrolling",
                           start=START + timedelta(days=40))
    (stranger,) = builders.enrol(other, 1, world.staff)
    enrolment.withdraw(trainees[2], world.staff)
    for intruder in (stranger.id, trainees[2].id):
        with pytest.raises(DomainError, match="admitted to this batch"):
            attendance.mark_session(batch.sessions[0], {trainees[0].id: "present",
                                                        intruder: "present"},
                                    world.staff, builders.local(START, 10))
    assert db.session.scalars(select(Attendance)).all() == []


def test_marking_before_the_batch_runs_is_refused(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    (trainee,) = builders.enrol(batch, 1, world.staff)
    with pytest.raises(Conflict, match="while the batch runs"):
        attendance.mark_session(batch.sessions[0], {trainee.id: "present"}, world.staff,
                                builders.local(START, 10))


def test_a_correction_is_audited_with_old_and_new(world, running):
    batch, trainees = running
    session = batch.sessions[0]
    attendance.mark_session(session, {trainees[0].id: "absent"}, world.staff,
                            builders.local(START, 10))
    assert attendance.mark_session(session, {trainees[0].id: "late"}, world.staff,
                                   builders.local(START, 11)) == (0, 1)
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "training_attendance.mark").order_by(AuditEntry.id.desc())).first()
    assert entry.details["corrections"] == [
        {"enrolment": trainees[0].id, "from": "absent", "to": "late"}]


def test_the_sheet_flags_trainees_below_the_threshold(world, running):
    batch, trainees = running
    for day, session in enumerate(batch.sessions[:4]):
        now = builders.local(START + timedelta(days=day), 18)
        attendance.mark_session(session, {trainees[0].id: "present",
                                          trainees[1].id: "present" if day < 2 else "absent"},
                                world.staff, now)
    grid = attendance.sheet(batch, trainees, builders.local(START + timedelta(days=3), 18))
    assert grid.threshold == Decimal(80)
    assert grid.summaries[trainees[0].id].percent == Decimal("80.0")
    assert not grid.flagged(trainees[0].id)
    assert grid.summaries[trainees[1].id].percent == Decimal("40.0")
    assert grid.flagged(trainees[1].id)
    assert grid.flagged(trainees[2].id)  # nothing marked: 0% of the planned hours


def test_mid_course_a_low_rate_is_not_flagged_while_the_threshold_can_be_reached():
    # one session of six held and attended: 16.6% secured, 100% still possible
    planned = {i: Decimal(4) for i in range(1, 7)}
    early = summarise(planned, [(1, "present")], not_yet_held=range(2, 7))
    assert early.percent == Decimal("16.6") and early.below(Decimal(80))
    assert not early.out_of_reach(Decimal(80))
    # one absence: 5 of 6 sessions at best is 83.3%, still reachable
    assert not summarise(planned, [(1, "absent")], range(2, 7)).out_of_reach(Decimal(80))
    # two absences: 4 of 6 at best is 66.6%, out of reach
    assert summarise(planned, [(1, "absent"), (2, "absent")],
                     range(3, 7)).out_of_reach(Decimal(80))
    # exactly the threshold at best is still reachable
    assert not summarise({1: Decimal(2), 2: Decimal(8)}, [(1, "absent")],
                         [2]).out_of_reach(Decimal(80))
    # held but unmarked sessions count as not attended
    assert summarise(planned, [], range(3, 7)).out_of_reach(Decimal(80))


def test_the_sheet_waits_until_the_remaining_sessions_cannot_reach_the_threshold(world,
                                                                                running):
    batch, trainees = running
    first, second = batch.sessions[0], batch.sessions[1]
    attendance.mark_session(first, {trainees[0].id: "present", trainees[1].id: "absent"},
                            world.staff, builders.local(START, 18))
    grid = attendance.sheet(batch, trainees[:2], builders.local(START, 18))
    assert grid.summaries[trainees[0].id].percent == Decimal("20.0")
    assert not grid.flagged(trainees[0].id)
    assert not grid.flagged(trainees[1].id)  # 4 of 5 sessions left: exactly 80% at best
    later = builders.local(START + timedelta(days=1), 18)
    attendance.mark_session(second, {trainees[1].id: "absent"}, world.staff, later)
    grid = attendance.sheet(batch, trainees[:2], later)
    assert not grid.flagged(trainees[0].id) and grid.flagged(trainees[1].id)
