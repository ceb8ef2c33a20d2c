"""Applications, admission, the waiting list, withdrawal and capacity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.training import builders
from tests.training.conftest import TODAY
from trainhub.core.errors import Conflict, DomainError
from trainhub.extensions import db
from trainhub.training import batches, enrolment
from trainhub.training.models import Batch, Enrolment

START = TODAY + timedelta(days=10)


def _statuses(batch: Batch) -> list[str]:
    return list(db.session.scalars(select(Enrolment.status).where(Enrolment.batch_id == batch.id)
                                   .order_by(Enrolment.id)))


def test_automatic_admission_fills_the_seats_then_the_waiting_list(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=3)
    builders.enrol(batch, 5, world.staff)
    db.session.refresh(batch)
    assert _statuses(batch) == ["admitted"] * 3 + ["waiting"] * 2
    assert (batch.seats_taken, batch.seats_left) == (3, 0)


def test_a_withdrawal_promotes_the_first_person_waiting(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=2)
    first, _second, third, fourth = builders.enrol(batch, 4, world.staff)
    assert enrolment.waiting_position(third) == 1
    assert enrolment.waiting_position(fourth) == 2
    enrolment.withdraw(first, world.staff)
    db.session.refresh(third)
    db.session.refresh(fourth)
    assert (first.status, third.status, fourth.status) == ("withdrawn", "admitted", "waiting")
    assert enrolment.waiting_position(fourth) == 1
    db.session.refresh(batch)
    assert batch.seats_taken == 2


def test_withdrawing_twice_is_refused(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=2)
    (one,) = builders.enrol(batch, 1, world.staff)
    enrolment.withdraw(one, world.staff)
    with pytest.raises(Conflict):
        enrolment.withdraw(one, world.staff)
    db.session.refresh(batch)
    assert batch.seats_taken == 0


def test_applying_twice_is_refused_and_changes_nothing(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    person = builders.person()
    enrolment.apply(batch, person, world.staff)
    with pytest.raises(Conflict, match="already exists"):
        enrolment.apply(batch, person, world.staff)
    db.session.refresh(batch)
    assert batch.seats_taken == 1


def test_a_withdrawn_person_may_apply_again_at_the_back_of_the_queue(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=1)
    person = builders.person()
    mine = enrolment.apply(batch, person, world.staff)
    enrolment.withdraw(mine, world.staff)
    builders.enrol(batch, 1, world.staff)
    again = enrolment.apply(batch, person, world.staff)
    assert (again.id, again.status) == (mine.id, "waiting")


def test_applications_only_while_enrolling(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="approved")
    with pytest.raises(Conflict, match="not open"):
        enrolment.apply(batch, builders.person(), world.staff)


def test_a_seat_in_an_overlapping_batch_is_refused(world):
    one = builders.batch(world.base, world.staff, TODAY, status="enrolling", title="甲班")
    two = builders.batch(world.base, world.staff, TODAY, status="enrolling", title="乙班",
                         start=START + timedelta(days=2))
    later = builders.batch(world.base, world.staff, TODAY, status="enrolling",
                           start=START + timedelta(days=30))
    person = builders.person()
    enrolment.apply(one, person, world.staff)
    with pytest.raises(DomainError, match="甲班"):
        enrolment.apply(two, person, world.staff)
    assert enrolment.apply(later, person, world.staff).status == "admitted"


def test_manual_admission_never_exceeds_the_capacity(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=2,
                           admission="manual")
    applicants = builders.enrol(batch, 3, world.staff)
    assert {a.status for a in applicants} == {"applied"}
    enrolment.admit(applicants[0], world.staff)
    enrolment.admit(applicants[1], world.staff)
    with pytest.raises(Conflict, match="full"):
        enrolment.admit(applicants[2], world.staff)
    db.session.rollback()  # what the view does with a domain error


def test_admitting_the_same_applicant_twice_is_a_conflict(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=5,
                           admission="manual")
    (applicant,) = builders.enrol(batch, 1, world.staff)
    enrolment.admit(applicant, world.staff)
    with pytest.raises(Conflict, match="already been decided"):
        enrolment.admit(applicant, world.staff)


def test_decline_needs_a_note(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling",
                           admission="manual")
    (applicant,) = builders.enrol(batch, 1, world.staff)
    with pytest.raises(DomainError, match="why"):
        enrolment.decline(applicant, world.staff, " ")
    enrolment.decline(applicant, world.staff, "名额已满")
    assert (applicant.status, applicant.decision_note) == ("declined", "名额已满")


def test_capacity_cannot_drop_below_the_seats_taken(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=4)
    builders.enrol(batch, 4, world.staff)
    with pytest.raises(DomainError, match="4 seats are already taken"):
        enrolment.change_capacity(batch, 3)
    db.session.refresh(batch)
    assert batch.capacity == 4


def test_raising_the_capacity_admits_from_the_waiting_list(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=2)
    builders.enrol(batch, 5, world.staff)
    assert enrolment.change_capacity(batch, 4) == 2
    assert _statuses(batch) == ["admitted"] * 4 + ["waiting"]


def test_starting_declines_whoever_still_waits(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=1)
    builders.enrol(batch, 3, world.staff)
    assert batches.start(batch, START) == 2
    assert _statuses(batch) == ["admitted", "declined", "declined"]


def test_a_waiting_person_now_seated_elsewhere_is_skipped(world):
    one = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=1)
    two = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=5,
                         start=START + timedelta(days=1))
    (seated,) = builders.enrol(one, 1, world.staff)
    person = builders.person()
    waiting = enrolment.apply(one, person, world.staff)
    assert waiting.status == "waiting"
    enrolment.apply(two, person, world.staff)  # no overlap check against a waiting place
    after = builders.enrol(one, 1, world.staff)[0]
    enrolment.withdraw(seated, world.staff)
    db.session.refresh(waiting)
    db.session.refresh(after)
    assert (waiting.status, after.status) == ("declined", "admitted")
