"""Twenty officers approving and paying the same decision at the same moment, on PostgreSQL
with real threads and commits: one approval, one payment, no error but a clear conflict."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.races import all_at_once
from tests.subsidies.conftest import finish
from tests.training import builders
from trainhub.core.accounts.models import User
from trainhub.core.errors import Conflict
from trainhub.extensions import db
from trainhub.subsidies import budgets, decisions
from trainhub.subsidies.models import Decision, Payment

pytestmark = pytest.mark.postgres_only


def test_twenty_simultaneous_approvals_pay_once(race_app):
    with race_app.app_context():
        owner = builders.institution("360102")
        staff = builders.user("institution_staff", institution_id=owner.id)
        officer = builders.user("federation_officer", region_code="360102")
        base = builders.base(owner, certifier=officer)
        done = finish(base, staff, officer, [builders.person()])
        claimed = done.batch.end_date + timedelta(days=3)
        budgets.set_budget("360102", claimed.year, "fee", 10_000_000, officer)
        decisions.compute_batch(done.batch, staff, claimed)
        fee = db.session.scalars(select(Decision).where(
            Decision.batch_id == done.batch.id, Decision.kind == "fee")).one()
        decisions.submit([fee], staff, claimed)
        db.session.commit()
        ids = (fee.id, officer.id)

    def approve_and_pay(index: int) -> str:
        with race_app.app_context():
            decision = db.session.get(Decision, ids[0])
            by = db.session.get(User, ids[1])
            try:
                decisions.approve([decision], by, claimed)
                decisions.pay(decision, by, claimed, f"GK-{index}", claimed)
                db.session.commit()
                return "paid"
            except Conflict:
                db.session.rollback()
                return "conflict"

    results = all_at_once(20, approve_and_pay)
    assert sorted(results) == ["conflict"] * 19 + ["paid"], results
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Payment)) == 1
        assert db.session.get(Decision, ids[0]).status == "paid"
