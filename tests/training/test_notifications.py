"""Training tells trainees (issue 16, item 5): each decision on an application, a seat
given from the waiting list, a cancelled batch and a recorded result notify the person
concerned through their account, and nobody else."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.training import builders
from tests.training.conftest import TODAY
from trainhub.core.accounts.models import User
from trainhub.core.notifications.models import Notification
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.training import attendance, batches, completion, enrolment, invitations, signals
from trainhub.training.completion import ResultInput
from trainhub.training.models import Batch

START = TODAY + timedelta(days=10)
END = START + timedelta(days=4)


def _applicant(batch: Batch, by=None):
    """A person with a trainee account who applied (staff apply on their behalf)."""
    person = builders.person()
    account = builders.user("trainee", person_id=person.id)
    return enrolment.apply(batch, person, by or account), account


def _told(role: str = "trainee") -> dict[int, list[str]]:
    """What each account of `role` was told (staff are told of reviews of their batches)."""
    found: dict[int, list[str]] = {}
    for user_id, kind in db.session.execute(
            select(Notification.user_id, Notification.kind)
            .join(User, User.id == Notification.user_id).where(User.role == role)
            .order_by(Notification.id)):
        found.setdefault(user_id, []).append(kind)
    return found


def test_staff_decisions_tell_the_applicant_only(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling",
                           admission="manual", title="电子商务培训班")
    admitted, a = _applicant(batch)
    waiting, w = _applicant(batch)
    declined, d = _applicant(batch)
    untouched, u = _applicant(batch)
    assert _told() == {}  # applying is not a decision
    enrolment.admit(admitted, world.staff)
    enrolment.put_on_waiting_list(waiting, world.staff)
    enrolment.decline(declined, world.staff, "名额已满")
    told = _told()
    assert told == {a.id: ["training.admitted"], w.id: ["training.waiting"],
                    d.id: ["training.declined"]}
    row = db.session.scalar(select(Notification).where(Notification.user_id == a.id))
    assert row.params == {"course": "电子商务培训班"} and row.link == "/training/mine"
    assert u.id not in told


def test_a_seat_given_from_the_waiting_list_tells_that_person(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=1)
    first, first_account = _applicant(batch)
    second, second_account = _applicant(batch)  # applied themselves: nothing told
    assert (first.status, second.status) == ("admitted", "waiting") and _told() == {}
    enrolment.withdraw(first, first_account)
    assert _told() == {second_account.id: ["training.promoted"]}


def test_an_application_made_by_staff_tells_the_answer(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=1)
    _, one = _applicant(batch, by=world.staff)
    _, two = _applicant(batch, by=world.staff)
    assert _told() == {one.id: ["training.admitted"], two.id: ["training.waiting"]}


def test_a_cancelled_batch_tells_everyone_still_in_it(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=1)
    _, holder = _applicant(batch)
    _, waiting = _applicant(batch)
    gone, gone_account = _applicant(batch)
    enrolment.withdraw(gone, gone_account)
    batches.cancel(batch, "场地不可用")
    told = _told()
    assert told[holder.id] == ["training.batch_cancelled"]
    assert told[waiting.id] == ["training.batch_cancelled"]
    assert gone_account.id not in told
    row = db.session.scalar(select(Notification).where(Notification.user_id == holder.id))
    assert row.params == {"course": batch.title, "start": batch.start_date.isoformat()}


def test_a_recorded_result_tells_the_trainee(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    (seat, account), (other, _) = _applicant(batch), _applicant(batch)
    batches.start(batch, START)
    for day, session in enumerate(batch.sessions):
        attendance.mark_session(session, {seat.id: "present", other.id: "present"},
                                world.staff, builders.local(START + timedelta(days=day), 18))
    after = builders.local(END + timedelta(days=1), 9)
    batches.complete(batch, after)
    completion.record_result(seat, ResultInput(True, END, "skill_level", "junior",
                                               "S2026360100123", END), world.staff, END, after)
    told = _told()
    assert list(told) == [account.id] and told[account.id] == ["training.result_recorded"]


def test_applications_still_open_at_the_start_are_declined_and_told(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=1)
    _, seated = _applicant(batch)
    _, waiting = _applicant(batch)
    assert batches.start(batch, START) == 1
    assert _told() == {waiting.id: ["training.declined"]}
    assert seated.id not in _told()


def test_a_removal_tells_the_trainee(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=1)
    seat, account = _applicant(batch)
    _, waiting = _applicant(batch)
    enrolment.remove(seat, world.staff, "多次缺课")
    told = _told()
    assert told[account.id] == ["training.removed"]
    assert told[waiting.id] == ["training.promoted"]


def test_seats_given_by_an_import_tell_those_with_an_account(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    with_account, without = builders.person(), builders.person()
    account = builders.user("trainee", person_id=with_account.id)
    # what bulk_enrolment.enrol_all announces once the seats are written
    signals.seats_taken_together.send(batch, seats={1: with_account.id, 2: without.id},
                                      taken_at=utcnow())
    assert _told() == {account.id: ["training.admitted"]}


def test_an_invitation_asks_the_person_to_confirm(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    person = builders.person()
    account = builders.user("trainee", person_id=person.id)
    assert invitations.enrol_by_number(batch, person.id_number, world.staff, utcnow()) is None
    assert _told() == {account.id: ["training.invited"]}
    invitations.enrol_by_number(batch, person.id_number, world.staff, utcnow())  # asked: once
    assert _told() == {account.id: ["training.invited"]}


def test_a_review_tells_the_institutions_staff_only(world):
    colleague = builders.user("institution_staff", institution_id=world.institution.id)
    elsewhere = builders.user("institution_staff", institution_id=builders.institution().id)
    approved = builders.batch(world.base, world.staff, TODAY, status="approved")
    returned = builders.batch(world.base, world.staff, TODAY, status="submitted")
    batches.send_back(returned, False, "请补充课程安排")
    told = _told("institution_staff")
    expected = ["training.batch_approved", "training.batch_returned"]
    assert told == {world.staff.id: expected, colleague.id: expected}
    assert elsewhere.id not in told
    row = db.session.scalar(select(Notification).where(Notification.user_id == colleague.id)
                            .order_by(Notification.id))
    assert row.link == f"/training/batches/{approved.id}"
    assert row.params == {"course": approved.title, "start": approved.start_date.isoformat()}
