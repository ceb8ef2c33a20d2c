"""Committed subsidy objects for the API's tests, the permission matrix and the conformance
test: in 南昌市东湖区 (360102), an institution none of the matrix actors works for, a batch that
ran five days from 40 days ago and was completed, its decisions computed, each trainee's
fee decision moved to the state asked for, and generous budgets of 东湖区 for this year."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.subsidies.conftest import finish
from tests.training import builders
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import budgets, decisions, vouchers
from trainhub.subsidies.models import Decision

STATES = ("computed", "submitted", "approved", "paid", "rejected")
BUDGET_FEN = 100_000_000  # ¥1,000,000
# A claim as POST /subsidies/explain takes it: the standard case file's trainee, five days.
CLAIM = {
    "person": {"sex": "F", "birth_date": "1990-06-15", "has_valid_certificate": True,
               "household_in_jiangxi": True, "employed_at_enrolment": False},
    "batch": {"start_date": "2024-03-04", "end_date": "2024-03-08", "region_code": "360102",
              "training_type": "employment_skills", "occupation": "中式面点师",
              "fee_charged_fen": 180000, "planned_hours": "40"},
    "sessions": [{"date": f"2024-03-0{d}", "hours": "8", "in_person": True,
                  "status": "present"} for d in range(4, 9)],
    "completion": {"passed": True, "certificate_type": "skill_level", "level": "intermediate",
                   "certificate_date": "2024-03-20"},
    "claim_date": "2024-04-01",
}


def bearer_for(app: Flask, make: Any, who: str, **scope: Any) -> dict[str, str]:
    """Bearer headers of the account named `who`, or of a new account of the role `who`."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == who))
    username = who if user else make.user(who, **scope)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        _row, secret = accounts.issue_token(user, "test")
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _move(fee: Decision, state: str, staff: Any, officer: Any) -> None:
    today = local_today()
    if state == "rejected":
        decisions.reject(fee, officer, "材料不全")
        return
    if state == "computed":
        return
    decisions.submit([fee], staff, today)
    if state in ("approved", "paid"):
        decisions.approve([fee], officer, today)
    if state == "paid":
        decisions.pay(fee, officer, today, "GK-0001", today)


def build(app: Flask, *states: str, budget_fen: int = BUDGET_FEN) -> dict[str, Any]:
    """ids: "batch", "institution", one fee decision per state named (in `states`, each
    state once), "living" (the first trainee's living allowance), and the usernames
    "subsidy_staff" (the institution's) and "subsidy_county" (东湖区's officer)."""
    unknown = set(states) - set(STATES)
    assert not unknown, unknown
    with app.app_context():
        today = local_today()
        owner = builders.institution("360102")
        staff = builders.user("institution_staff", institution_id=owner.id)
        county = builders.user("federation_officer", region_code="360102")
        base = builders.base(owner, certifier=county, valid_from=today - timedelta(days=400),
                             valid_until=today + timedelta(days=700))
        people = [builders.person() for _ in range(max(1, len(states)))]
        done = finish(base, staff, county, people, start=today - timedelta(days=40))
        for kind in ("fee", "living"):
            budgets.set_budget("360102", today.year, kind, budget_fen, county)
        decisions.compute_batch(done.batch, staff, today)
        ids: dict[str, Any] = {"batch": done.batch.id, "institution": owner.id,
                               "subsidy_staff": staff.username,
                               "subsidy_county": county.username}
        for trainee, state in zip(done.trainees, states, strict=False):
            fee = db.session.scalars(select(Decision).where(
                Decision.enrolment_id == trainee.id, Decision.kind == "fee")).one()
            _move(fee, state, staff, county)
            ids[state] = fee.id
        ids["living"] = db.session.scalars(select(Decision.id).where(
            Decision.enrolment_id == done.trainees[0].id, Decision.kind == "living")).one()
        db.session.commit()
    return ids


def voucher_numbers(app: Flask, count: int = 1) -> list[str]:
    """Resident ID numbers of eligible people of 东湖区, who may receive a voucher."""
    with app.app_context():
        people = [builders.person("360102") for _ in range(count)]
        db.session.commit()
        return [p.id_number for p in people]


def voucher(app: Flask) -> dict[str, Any]:
    """ids: "voucher", issued by 东湖区's officer to a person of 东湖区."""
    [number] = voucher_numbers(app)
    with app.app_context():
        today = local_today()
        county = builders.user("federation_officer", region_code="360102")
        [made] = vouchers.issue([number], vouchers.Terms(
            150000, today, today + timedelta(days=90)), county, today)
        db.session.commit()
        return {"voucher": made.id}
