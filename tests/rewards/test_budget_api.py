"""Reward budgets through /api/v1, as on the budgets page: an officer lists those of their
region and below with what is committed, and sets one within their region, never below
what approved rewards already commit."""

from __future__ import annotations

from sqlalchemy import select

from tests.rewards.builders import build
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.rewards.models import RewardBudget, RewardDeclaration

API = "/api/v1/reward-budgets"


def test_an_officer_lists_and_sets_the_budgets_of_their_region(
        app, client, make, bearer):
    ids = build(app, make, "approved")  # charges this year's budgets of 东湖区's region
    committed = 3_330_00
    with app.app_context():  # an amount to commit (the built declaration's is nil)
        found = db.session.get(RewardDeclaration, ids["approved"])
        assert found.region_code == "360102" and found.budget_year == local_today().year
        found.amount_fen = committed
        db.session.commit()
    year = local_today().year
    city = bearer("federation_officer", region_code="3601")
    listed = client.get(f"{API}?year={year}", headers=city)
    assert listed.status_code == 200, listed.json
    assert listed.json == []  # the province's row (36) is above the city
    made = client.put(API, json={"region_code": "360102", "year": year,
                                 "amount_fen": committed + 5_000_00}, headers=city)
    assert made.status_code == 200, made.json
    assert (made.json["committed_fen"], made.json["remaining_fen"]) == (committed, 5_000_00)
    rows = client.get(API, headers=city).json  # this year by default
    assert [(r["region_code"], r["region_name"], r["committed_fen"]) for r in rows] == [
        ("360102", "东湖区", committed)]

    below = client.put(API, json={"region_code": "360102", "year": year,
                                  "amount_fen": committed - 1}, headers=city)
    assert below.status_code == 400 and below.json["error"] == "DomainError"
    outside = client.put(API, json={"region_code": "3607", "year": year,
                                    "amount_fen": 1}, headers=city)
    assert outside.status_code == 403
    unknown = client.put(API, json={"region_code": "360199", "year": year,
                                    "amount_fen": 1}, headers=city)
    assert unknown.status_code == 400 and "360199" in unknown.json["message"]
    with app.app_context():
        assert db.session.scalars(select(RewardBudget.amount_fen).where(
            RewardBudget.region_code == "360102")).all() == [committed + 5_000_00]


def test_who_is_not_an_officer_is_refused(app, client, make, bearer):
    contact = bearer("enterprise_contact", enterprise_id=make.enterprise("360102"))
    assert client.get(API, headers=contact).status_code == 403
    assert client.put(API, json={"region_code": "360102", "year": 2026, "amount_fen": 1},
                      headers=contact).status_code == 403
