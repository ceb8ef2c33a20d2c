"""Electronic training vouchers through the JSON API (/api/v1), the officers' side: issued to
people of the region named by ID number (all or none, refusals line by line with the number
masked), listed with the status shown (expired is computed), and scoped to the region."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from tests.subsidies.api_builders import bearer_for, voucher_numbers
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies.models import Voucher

API = "/api/v1/subsidies/vouchers"


@pytest.fixture
def token(app, make):
    return lambda who, **scope: bearer_for(app, make, who, **scope)


@pytest.fixture
def numbers(app) -> list[str]:
    """Two eligible people of 南昌市东湖区 (360102), by resident ID number."""
    return voucher_numbers(app, 2)


def _terms(**changes: Any) -> dict[str, Any]:
    today = local_today()
    return {"face_value_fen": 150000, "valid_from": str(today),
            "valid_until": str(today + timedelta(days=90)), "categories": ["massage"],
            **changes}


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Voucher)) or 0


def test_an_officer_issues_vouchers_and_lists_them(app, client, token, numbers):
    officer = token("federation_officer", region_code="3601")
    issued = client.post(API, json={"id_numbers": numbers, **_terms()}, headers=officer)
    assert issued.status_code == 201, issued.json
    assert issued.json["count"] == 2
    first = issued.json["items"][0]
    assert (first["status"], first["face_value_fen"], first["categories"]) == (
        "issued", 150000, ["massage"])
    assert first["code"].startswith("JX-")
    assert not any(n in issued.get_data(as_text=True) for n in numbers)
    listed = client.get(f"{API}?status=issued", headers=officer)
    assert {v["id"] for v in listed.json["items"]} >= {v["id"] for v in issued.json["items"]}
    one = client.get(f"{API}/{first['id']}", headers=officer)
    assert (one.status_code, one.json["person"]["id_number_masked"]) == (
        200, first["person"]["id_number_masked"])


def test_a_person_of_another_region_is_refused_line_by_line_and_nothing_is_issued(
        app, client, token, numbers):
    before = _count(app)
    response = client.post(API, json={"id_numbers": numbers, **_terms()},
                           headers=token("federation_officer", region_code="3607"))
    assert response.status_code == 400
    problems = response.json["detail"]["problems"]
    assert [p["line"] for p in problems] == [1, 2]
    assert all("*" in p["id_number_masked"] for p in problems)
    assert not any(n in response.get_data(as_text=True) for n in numbers)
    assert _count(app) == before


def test_terms_past_their_last_day_are_refused(client, token, numbers):
    yesterday = str(local_today() - timedelta(days=1))
    response = client.post(API, json={"id_numbers": numbers[:1],
                                      **_terms(valid_from=yesterday, valid_until=yesterday)},
                           headers=token("federation_officer", region_code="3601"))
    assert response.status_code == 400


def test_an_unused_voucher_past_its_last_day_shows_expired(app, client, token, numbers):
    officer = token("federation_officer", region_code="3601")
    issued = client.post(API, json={"id_numbers": numbers[:1], **_terms()}, headers=officer)
    voucher_id = issued.json["items"][0]["id"]
    with app.app_context():
        db.session.execute(update(Voucher).where(Voucher.id == voucher_id).values(
            valid_from=local_today() - timedelta(days=30),
            valid_until=local_today() - timedelta(days=1)))
        db.session.commit()
    assert client.get(f"{API}/{voucher_id}", headers=officer).json["status"] == "expired"
    expired = client.get(f"{API}?status=expired", headers=officer).json["items"]
    assert voucher_id in {v["id"] for v in expired}


def test_another_regions_officer_gets_404(client, token, numbers):
    issued = client.post(API, json={"id_numbers": numbers[:1], **_terms()},
                         headers=token("federation_officer", region_code="3601"))
    voucher_id = issued.json["items"][0]["id"]
    other = token("federation_officer", region_code="360103")
    assert client.get(f"{API}/{voucher_id}", headers=other).status_code == 404
    assert voucher_id not in {v["id"] for v in client.get(API, headers=other).json["items"]}


def test_a_malformed_number_is_a_422(client, token):
    response = client.post(API, json={"id_numbers": ["3601-not-a-number"], **_terms()},
                           headers=token("federation_officer", region_code="3601"))
    assert response.status_code == 422
    assert "id_numbers" in response.json["detail"]["json"]


def test_an_officer_cancels_an_unused_voucher_through_the_api(app, client, token, numbers):
    officer = token("federation_officer", region_code="3601")
    issued = client.post(API, json={"id_numbers": numbers[:1], **_terms()}, headers=officer)
    voucher = issued.json["items"][0]["id"]
    blank = client.post(f"{API}/{voucher}/cancel", json={"reason": ""}, headers=officer)
    assert blank.status_code == 422
    outsider = token("federation_officer", region_code="3607")
    assert client.post(f"{API}/{voucher}/cancel", json={"reason": "作废"},
                       headers=outsider).status_code == 404
    done = client.post(f"{API}/{voucher}/cancel", json={"reason": "发放有误"}, headers=officer)
    assert done.status_code == 200, done.json
    assert (done.json["status"], done.json["cancel_reason"]) == ("cancelled", "发放有误")
    assert done.json["cancelled_at"]
    again = client.post(f"{API}/{voucher}/cancel", json={"reason": "再次"}, headers=officer)
    assert again.status_code == 409 and again.json["message"] == "此培训券已经作废。"
    listed = client.get(f"{API}?status=cancelled", headers=officer).json["items"]
    assert [v["id"] for v in listed] == [voucher]
    with app.app_context():
        assert db.session.get(Voucher, voucher).cancel_reason == "发放有误"
