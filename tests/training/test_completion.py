"""Results, the completion certificate and its verification, employment follow-up, and
hired versus committed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.training import builders
from tests.training.conftest import TODAY
from trainhub.core.documents import service as documents
from trainhub.core.errors import Conflict, DomainError
from trainhub.core.parameters import service as parameters
from trainhub.extensions import db
from trainhub.training import attendance, batches, completion, demands, followup
from trainhub.training.completion import ResultInput
from trainhub.training.followup import FollowUpInput
from trainhub.training.models import Batch

START = TODAY + timedelta(days=10)
END = START + timedelta(days=4)
AFTER = builders.local(END + timedelta(days=1), 9)
PASSED = ResultInput(True, END, "skill_level", "junior", "S2026360100123", END)


@pytest.fixture
def finished(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    trainees = builders.enrol(batch, 2, world.staff)
    batches.start(batch, START)
    for day, session in enumerate(batch.sessions):
        attendance.mark_session(session, {t.id: "present" for t in trainees}, world.staff,
                                builders.local(START + timedelta(days=day), 18))
    batches.complete(batch, AFTER)
    return batch, trainees


def test_a_pass_issues_a_verifiable_completion_certificate(world, finished):
    batch, (trainee, _) = finished
    result = completion.record_result(trainee, PASSED, world.staff, END, AFTER)
    verification = documents.find(result.verification_code)
    facts = dict(verification.facts)
    assert facts["Name"] == trainee.person.name
    assert "*" in facts["Resident ID"] and trainee.person.id_number not in facts["Resident ID"]
    assert facts["Hours attended"] == "已出勤 40 学时，计划 40 学时"
    assert facts["Certificate obtained"].startswith("职业技能等级证书")
    assert documents.current_status(verification, END) == "valid"


def test_the_certificate_number_is_encrypted_at_rest(world, finished):
    _batch, (trainee, _) = finished
    completion.record_result(trainee, PASSED, world.staff, END, AFTER)
    db.session.flush()
    raw = db.session.execute(db.text(
        "SELECT certificate_number FROM training_completions")).scalar_one()
    assert "S2026360100123" not in raw


def test_a_correction_revokes_the_earlier_certificate(world, finished):
    _batch, (trainee, _) = finished
    first = completion.record_result(trainee, PASSED, world.staff, END, AFTER).verification_code
    completion.record_result(trainee, ResultInput(False, END), world.staff, END, AFTER)
    assert documents.find(first).status == "revoked"
    assert trainee.completion.verification_code is None


@pytest.mark.parametrize(("data", "message"), [
    (ResultInput(False, END, "training", None, "PX123456", END), "failed"),
    (ResultInput(True, END, "skill_level", None, "S2026360100123", END), "level"),
    (ResultInput(True, END, "training", None, "x", END), "certificate number"),
    (ResultInput(True, END, "training", None, "PX123456", END - timedelta(days=1)),
     "certificate date"),
    (ResultInput(True, END + timedelta(days=3)), "assessment date"),
])
def test_bad_results_are_refused(world, finished, data, message):
    _batch, (trainee, _) = finished
    with pytest.raises(DomainError, match=message):
        completion.record_result(trainee, data, world.staff, END, AFTER)
    assert trainee.completion is None


def test_results_wait_for_the_end_of_the_batch(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    (trainee,) = builders.enrol(batch, 1, world.staff)
    with pytest.raises(Conflict):
        completion.record_result(trainee, PASSED, world.staff, END, AFTER)
    batches.start(batch, START)
    with pytest.raises(DomainError, match="after the last session"):
        completion.record_result(trainee, PASSED, world.staff, END, builders.local(START, 12))


def test_settlement_waits_for_every_result(world, finished):
    batch, (one, two) = finished
    completion.record_result(one, PASSED, world.staff, END, AFTER)
    with pytest.raises(DomainError, match="1 trainees"):
        batches.settle(batch)
    completion.record_result(two, ResultInput(False, END), world.staff, END, AFTER)
    batches.settle(batch)
    assert batch.status == "settled"


def test_follow_up_is_due_six_months_after_completion(world, finished):
    _batch, (trainee, _) = finished
    completion.record_result(trainee, PASSED, world.staff, END, AFTER)
    due = followup.due_on(trainee, trainee.completion)
    assert due == date(2026, 9, 16)
    early = FollowUpInput(True, due - timedelta(days=1), "某按摩店", "flexible", 320000)
    with pytest.raises(DomainError, match="due on"):
        followup.record_followup(trainee, early, world.staff, due)
    with pytest.raises(DomainError, match="form of employment"):
        followup.record_followup(trainee, FollowUpInput(True, due, "某按摩店", None, 320000),
                                 world.staff, due)
    made = followup.record_followup(trainee, FollowUpInput(True, due, "某按摩店", "flexible",
                                                           320000), world.staff, due)
    assert (made.employed, made.monthly_wage_fen) == (True, 320000)


def test_due_dates_of_many_graduates_agree_with_each_lookup(world, finished):
    """The demand page reads the follow-up months once for all its graduates (issue 13);
    a city's own value, in force from a date, applies as a lookup of each would have it."""
    _batch, trainees = finished
    for trainee in trainees:
        completion.record_result(trainee, PASSED, world.staff, END, AFTER)
    city = trainees[0].batch.region_code[:4]
    parameters.add_value(followup.MONTHS_KEY, "3", END, city, None, None)
    due = followup.due_dates(trainees)
    assert due == {t.id: followup.due_on(t, t.completion) for t in trainees}
    assert due[trainees[0].id] == followup.add_months(END, 3)
    assert followup.due_dates([]) == {}


def test_add_months_keeps_the_end_of_month():
    assert followup.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert followup.add_months(date(2026, 1, 15), 6) == date(2026, 7, 15)
    assert followup.add_months(date(2026, 7, 1), 6) == date(2027, 1, 1)


def test_hired_versus_committed(world):
    ent = builders.enterprise()
    contact = builders.user("enterprise_contact", enterprise_id=ent.id)
    demand = demands.post_demand(ent, demands.DemandInput(
        "招聘按摩师", "保健按摩师", "massage", 10, "手法", "360111", "南昌", 300000, 4,
        TODAY + timedelta(days=30)), contact, TODAY)
    batch = builders.batch(world.base, world.staff, TODAY, status="draft")
    batch.demand_id = demand.id
    batches.submit(batch, TODAY)
    batches.approve(batch, world.county, TODAY)
    batches.open_enrolment(batch)
    trainees = builders.enrol(batch, 3, world.staff)
    batches.start(batch, START)
    batches.complete(batch, AFTER)
    for trainee in trainees:
        completion.record_result(trainee, PASSED, world.staff, END, AFTER)
    due = followup.due_on(trainees[0], trainees[0].completion)
    followup.record_followup(trainees[0], FollowUpInput(True, due, ent.name, "concentrated",
                                                        300000, ent.id), contact, due)
    followup.record_followup(trainees[1], FollowUpInput(True, due, "别家", "flexible", 250000),
                             world.staff, due)
    followup.record_followup(trainees[2], FollowUpInput(False, due), world.staff, due)
    (row,) = followup.batch_outcomes(select(Batch).where(Batch.id == batch.id))
    assert (row.committed, row.graduates, row.employed, row.hired) == (4, 3, 2, 1)
    (by_institution,) = followup.institution_outcomes([row])
    assert (by_institution.committed, by_institution.hired) == (4, 1)
    (by_enterprise,) = followup.enterprise_outcomes(contact)
    assert (by_enterprise.committed, by_enterprise.hired) == (4, 1)
