"""The reward declaration through /api/v1, as another system would drive it: the
enterprise declares, the county and the city review, the city opens the notice, approves
after it within the budget, pays once; the notice PDF; refusals answered as JSON."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from tests.rewards.conftest import PDF, id_number
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.rewards.models import RewardBudget

API = "/api/v1/reward-declarations"


def _employee(number: str) -> dict[str, Any]:
    return {"name": "王小明", "id_number": number, "cert_number": f"{number}43",
            "certificate_valid_from": "2020-01-01", "certificate_valid_until": None,
            "contract_start": "2023-01-01", "contract_end": None, "insurance_months": 12,
            "monthly_wage_fen": 300000}


def test_the_whole_journey(app, client, make, bearer, monkeypatch):
    contact = bearer("enterprise_contact", enterprise_id=make.enterprise("360102"))
    county = bearer("federation_officer", region_code="360102")
    city = bearer("federation_officer", region_code="3601")
    year = local_today().year - 1
    created = client.post(API, json={"year": year, "staff_count": "120"}, headers=contact)
    assert created.status_code == 201, created.json
    path = f"{API}/{created.json['id']}"
    for _ in range(4):
        added = client.post(f"{path}/employees", json=_employee(id_number()), headers=contact)
        assert added.status_code == 201, added.json
    body = added.json
    assert body["employees"][0]["id_number"].count("*") >= 8  # masked
    twice = client.post(f"{path}/employees", json=_employee(id_number(date(1990, 1, 1)))
                        | {"insurance_months": 13}, headers=contact)
    assert twice.status_code == 422
    evidence = client.post(f"{path}/evidence", data={"file": (io.BytesIO(PDF), "证明.pdf")},
                           headers=contact)
    assert evidence.status_code == 201
    submitted = client.post(f"{path}/submit", headers=contact)
    assert submitted.status_code == 200 and submitted.json["rewarded_persons"] == 2
    assert client.post(f"{path}/review", json={"decision": "pass"},
                       headers=city).status_code == 403
    assert client.post(f"{path}/review", json={"decision": "pass"},
                       headers=county).status_code == 200
    assert client.post(f"{path}/review", json={"decision": "pass"},
                       headers=city).json["status"] == "city_reviewed"
    noticed = client.post(f"{path}/notice", headers=city).json
    assert noticed["status"] == "in_notice"
    early = client.post(f"{path}/approve", headers=city)
    assert early.status_code == 400 and early.json["message"]
    later = date.fromisoformat(noticed["notice_ends_on"]) + timedelta(days=1)
    monkeypatch.setattr("trainhub.rewards.api.local_today", lambda: later)
    with app.app_context():
        officer = db.session.scalar(select(User).where(User.role == "federation_officer"))
        db.session.add(RewardBudget(region_code="36", year=later.year, amount_fen=10**9,
                                    set_by_id=officer.id))
        db.session.commit()
    approved = client.post(f"{path}/approve", headers=city)
    assert approved.status_code == 200 and approved.json["verification_code"]
    paid = client.post(f"{path}/pay", json={"reference": "GJ1"}, headers=city)
    assert paid.json["status"] == "paid"
    assert client.post(f"{path}/pay", json={"reference": "GJ2"}, headers=city).status_code == 403
    pdf = client.get(f"{path}/notice.pdf", headers=contact)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    listed = client.get(f"{API}?status=paid", headers=county).json
    assert [d["id"] for d in listed["items"]] == [created.json["id"]]


def test_a_future_year_is_a_json_refusal(app, client, make, bearer):
    contact = bearer("enterprise_contact")
    refused = client.post(API, json={"year": local_today().year + 1, "staff_count": "10"},
                          headers=contact)
    assert refused.status_code == 400 and refused.json["status"] == 400


def test_the_list_statements_do_not_grow_with_declarations(client, make, bearer,
                                                           count_queries):
    contact = bearer("enterprise_contact", enterprise_id=make.enterprise("360102"))
    year = local_today().year - 1

    def declare(year: int) -> None:
        created = client.post(API, json={"year": year, "staff_count": "120"}, headers=contact)
        path = f"{API}/{created.json['id']}"
        assert client.post(f"{path}/employees", json=_employee(id_number()),
                           headers=contact).status_code == 201

    declare(year)
    with count_queries() as one:
        assert len(client.get(API, headers=contact).json["items"]) == 1
    declare(year - 1)
    with count_queries() as two:
        assert len(client.get(API, headers=contact).json["items"]) == 2
    assert len(two) == len(one)
