"""Batches: creation by a certified base, sessions, and every lifecycle transition with the
bad input that must change nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.training import builders
from tests.training.conftest import TODAY
from trainhub.core.audit.models import AuditEntry
from trainhub.core.errors import Conflict, DomainError
from trainhub.extensions import db
from trainhub.training import batches
from trainhub.training.models import Batch

START = TODAY + timedelta(days=10)


def test_a_certified_base_creates_a_draft_batch(world):
    batch = batches.create_batch(world.base, builders.batch_input(START), world.staff, TODAY)
    assert batch.status == "draft"
    assert batch.region_code == "360102"
    assert batch.institution_id == world.institution.id
    assert db.session.scalar(select(AuditEntry.action).where(
        AuditEntry.object_type == "training_batch", AuditEntry.object_id == str(batch.id)
    )) == "training_batch.create"


def test_a_base_expiring_before_the_batch_ends_is_refused(world):
    short = builders.base(world.institution, valid_until=START + timedelta(days=2))
    with pytest.raises(DomainError, match="valid until"):
        batches.create_batch(short, builders.batch_input(START, days=5), world.staff, TODAY)
    assert db.session.scalars(select(Batch)).all() == []


def test_a_category_the_base_is_not_certified_for_is_refused(world):
    with pytest.raises(DomainError, match="not certified for this category"):
        batches.create_batch(world.base, builders.batch_input(
            START, category="heritage_bamboo"), world.staff, TODAY)


def test_a_revoked_base_cannot_run_a_batch(world):
    world.base.status = "revoked"
    with pytest.raises(DomainError, match="not currently certified"):
        batches.create_batch(world.base, builders.batch_input(START), world.staff, TODAY)


def test_an_incubator_runs_only_entrepreneurship_training(world):
    incubator = builders.base(world.institution, kind="incubator", specialties=("general",))
    with pytest.raises(DomainError, match="entrepreneurship"):
        batches.create_batch(incubator, builders.batch_input(START, category="other"),
                             world.staff, TODAY)
    made = batches.create_batch(incubator, builders.batch_input(
        START, category="other", training_type="entrepreneurship", certificate_type="training",
        certificate_level=None), world.staff, TODAY)
    assert made.training_type == "entrepreneurship"


@pytest.mark.parametrize(("changes", "message"), [
    ({"certificate_type": "skill_level", "certificate_level": None}, "level"),
    ({"certificate_type": "training", "certificate_level": "junior"}, "no level"),
    ({"capacity": 0}, "capacity"),
    ({"fee_fen": -1}, "fee"),
    ({"provisions": ("teleport",)}, "accessibility"),
    ({"title": " "}, "title"),
])
def test_bad_batch_input_is_refused(world, changes, message):
    with pytest.raises(DomainError, match=message):
        batches.create_batch(world.base, builders.batch_input(START, **changes), world.staff,
                             TODAY)


def test_sessions_outside_the_dates_or_overlapping_are_refused(world):
    batch = batches.create_batch(world.base, builders.batch_input(START, days=3), world.staff,
                                 TODAY)
    batches.add_session(batch, builders.session_input(START))
    with pytest.raises(DomainError, match="outside the batch dates"):
        batches.add_session(batch, builders.session_input(START + timedelta(days=3)))
    with pytest.raises(DomainError, match="overlap"):
        batches.add_session(batch, builders.session_input(START, start_hour=12, hours=2))
    with pytest.raises(DomainError, match="in person"):
        batches.add_session(batch, builders.session_input(START + timedelta(days=1),
                                                          mode="online"))
    db.session.refresh(batch)
    assert len(batch.sessions) == 1
    assert batch.planned_hours == Decimal(8)


def test_hours_longer_than_the_session_are_refused(world):
    batch = batches.create_batch(world.base, builders.batch_input(START), world.staff, TODAY)
    data = builders.session_input(START)
    with pytest.raises(DomainError, match="hours"):
        batches.add_session(batch, batches.SessionInput(data.starts_at, data.ends_at,
                                                        Decimal(10), "in_person"))


def test_the_lifecycle_up_to_settlement(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="draft")
    batches.submit(batch, TODAY)
    assert batch.status == "submitted"
    batches.approve(batch, world.county, TODAY)
    assert (batch.status, batch.approved_by_id) == ("approved", world.county.id)
    batches.open_enrolment(batch)
    assert batch.status == "enrolling"
    with pytest.raises(DomainError, match="cannot begin earlier"):
        batches.start(batch, START - timedelta(days=1))
    batches.start(batch, START)
    assert batch.status == "in_progress"
    with pytest.raises(DomainError, match="not ended"):
        batches.complete(batch, builders.local(START, 12))
    batches.complete(batch, builders.local(START + timedelta(days=10), 12))
    batches.settle(batch)
    assert batch.status == "settled"
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "training_batch", AuditEntry.object_id == str(batch.id))
        .order_by(AuditEntry.id)).all()
    assert actions == ["training_batch.create", *["training_batch.session_add"] * 5,
                       "training_batch.submit", "training_batch.approve",
                       "training_batch.open_enrolment", "training_batch.start",
                       "training_batch.complete", "training_batch.settle"]


def test_a_batch_without_sessions_cannot_be_submitted(world):
    batch = batches.create_batch(world.base, builders.batch_input(START), world.staff, TODAY)
    with pytest.raises(DomainError, match="at least one session"):
        batches.submit(batch, TODAY)
    assert batch.status == "draft"


def test_approving_twice_is_a_conflict(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="submitted")
    batches.approve(batch, world.county, TODAY)
    with pytest.raises(Conflict):
        batches.approve(batch, world.city, TODAY)
    assert batch.approved_by_id == world.county.id


def test_a_returned_batch_is_edited_and_resubmitted(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="submitted")
    with pytest.raises(DomainError, match="comments"):
        batches.send_back(batch, reject=False, comment=" ")
    batches.send_back(batch, reject=False, comment="请补充无障碍安排")
    assert (batch.status, batch.review_comment) == ("returned", "请补充无障碍安排")
    batches.update_batch(batch, builders.batch_input(START, provisions=("braille",
                                                                        "step_free")), TODAY)
    batches.submit(batch, TODAY)
    assert batch.status == "submitted"
    assert batch.provisions == ["braille", "step_free"]


def test_an_approved_batch_cannot_be_edited(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="approved")
    with pytest.raises(Conflict):
        batches.update_batch(batch, builders.batch_input(START, title="改名"), TODAY)
    with pytest.raises(Conflict):
        batches.add_session(batch, builders.session_input(START))


def test_a_late_approval_is_refused(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="submitted")
    with pytest.raises(DomainError, match="no longer be approved"):
        batches.approve(batch, world.county, START + timedelta(days=1))
    assert batch.status == "submitted"


def test_a_rejected_batch_is_final(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="submitted")
    batches.send_back(batch, reject=True, comment="不符合条件")
    assert batch.status == "rejected"
    with pytest.raises(Conflict):
        batches.submit(batch, TODAY)


def test_cancel_needs_a_reason_and_is_refused_once_running(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    with pytest.raises(DomainError, match="reason"):
        batches.cancel(batch, "")
    batches.start(batch, START)
    with pytest.raises(Conflict):
        batches.cancel(batch, "场地问题")
    assert batch.status == "in_progress"


def test_dates_changed_so_sessions_fall_outside_are_refused(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="draft", days=5)
    with pytest.raises(DomainError, match="outside the batch dates"):
        batches.update_batch(batch, builders.batch_input(START, days=2), TODAY)


def test_a_closed_demand_cannot_be_taken(world):
    from trainhub.training import demands

    ent = builders.enterprise()
    contact = builders.user("enterprise_contact", enterprise_id=ent.id)
    demand = demands.post_demand(ent, demands.DemandInput(
        "招聘按摩师", "保健按摩师", "massage", 10, "", "360111", "", 300000, 5,
        TODAY + timedelta(days=30)), contact, TODAY)
    demands.close_demand(demand)
    with pytest.raises(DomainError, match="closed"):
        batches.create_batch(world.base, builders.batch_input(START), world.staff, TODAY,
                             demand=demand)
    assert date.today()  # the clock is not used by the services
