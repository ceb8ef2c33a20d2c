"""Requests at the same moment, on PostgreSQL with real threads and commits: a reward is
paid once, and a person is taken by one enterprise only, however the requests interleave."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import Factory
from tests.races import all_at_once
from tests.rewards.builders import build
from tests.rewards.conftest import employee
from trainhub.core.accounts.models import User
from trainhub.core.errors import Conflict
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.rewards import approval, declarations
from trainhub.rewards.models import DeclarationStatus, PersonClaim, RewardDeclaration

pytestmark = pytest.mark.postgres_only


def _city_officer(app: Any, tag: str) -> int:
    with app.app_context():
        officer = User(username=f"race-city-{tag}", display_name="c", role="federation_officer",
                       region_code="3601", password_hash="x")
        db.session.add(officer)
        db.session.commit()
        return officer.id


def test_a_reward_is_paid_once(race_app):
    ids = build(race_app, Factory(race_app), "approved")
    officer_id = _city_officer(race_app, "pay")

    def pay(index: int) -> str:
        with race_app.app_context():
            found = db.session.get(RewardDeclaration, ids["approved"])
            try:
                approval.pay(found, f"REF{index}", db.session.get(User, officer_id))
                db.session.commit()
                return "paid"
            finally:
                db.session.rollback()
                db.session.remove()

    results = all_at_once(4, pay)
    assert results.count("paid") == 1, results
    assert all(isinstance(r, Conflict) for r in results if r != "paid"), results
    with race_app.app_context():
        found = db.session.get(RewardDeclaration, ids["approved"])
        assert found.status == DeclarationStatus.PAID
        assert found.payment_reference == f"REF{results.index('paid')}"


def test_two_enterprises_submitting_one_person_at_once(race_app):
    make = Factory(race_app)
    first, second = build(race_app, make, "draft"), build(race_app, make, "draft")
    today = local_today()
    with race_app.app_context():
        shared = db.session.get(RewardDeclaration, first["draft"]).employees[0].id_number
        declarations.add_employee(db.session.get(RewardDeclaration, second["draft"]),
                                  employee(shared), today)
        db.session.commit()

    def submit(index: int) -> str:
        with race_app.app_context():
            found = db.session.get(RewardDeclaration, (first, second)[index]["draft"])
            try:
                declarations.submit(found, today)
                db.session.commit()
                return "submitted"
            finally:
                db.session.rollback()
                db.session.remove()

    results = all_at_once(2, submit)
    assert results.count("submitted") == 1, results
    refused = next(r for r in results if r != "submitted")
    assert "another enterprise" in str(refused)
    with race_app.app_context():
        index = db.session.get(RewardDeclaration, first["draft"]).employees[0].id_number_index
        assert db.session.query(PersonClaim).filter_by(id_number_index=index).count() == 1
