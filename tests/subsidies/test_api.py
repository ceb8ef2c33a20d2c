"""Subsidies through the JSON API (/api/v1), every call a real request with a bearer token:
explain computes what the case files expect and stores nothing; a batch's decisions go from
computed to paid; budgets, frozen decisions and scopes refuse with a clear answer and change
nothing; parameter values are refused, previewed and added like on the parameter page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.subsidies.api_builders import bearer_for, build
from tests.unit.subsidies.casefile import CASES, load_case
from trainhub.core.parameters.models import Parameter, ParameterValue
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import engine
from trainhub.subsidies.models import Decision, Payment

API = "/api/v1"
KEY = "subsidies.fee_intermediate"


@pytest.fixture
def token(app, make):
    """`token(username)` or `token(role, **scope)` → bearer headers of that account."""
    return lambda who, **scope: bearer_for(app, make, who, **scope)


def _count(app, model: Any, *where: Any) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _values_of(app, key: str) -> int:
    return _count(app, ParameterValue, ParameterValue.parameter.has(Parameter.key == key))


# --- explain -------------------------------------------------------------------------------

def claim_json(claim: engine.Claim) -> dict[str, Any]:
    """A case file's claim as the API takes it."""
    person, batch, done = claim.person, claim.batch, claim.completion
    return {
        "person": {"sex": person.sex.value, "birth_date": str(person.birth_date),
                   "has_valid_certificate": person.has_valid_certificate,
                   "household_in_jiangxi": person.household_in_jiangxi,
                   "employed_at_enrolment": person.employed_at_enrolment,
                   "family_member": person.family_member},
        "batch": {"start_date": str(batch.start_date), "end_date": str(batch.end_date),
                  "region_code": batch.region_code, "training_type": batch.training_type.value,
                  "occupation": batch.occupation, "fee_charged_fen": batch.fee_charged,
                  "planned_hours": str(batch.planned_hours)},
        "sessions": [{"date": str(s.date), "hours": str(s.hours), "in_person": s.in_person,
                      "status": s.status.value} for s in claim.attendance.sessions],
        "withdrew": claim.attendance.withdrew,
        "completion": {"passed": done.passed,
                       "certificate_type": done.certificate_type and done.certificate_type.value,
                       "level": done.level and done.level.value,
                       "certificate_date": done.certificate_date and str(done.certificate_date)},
        "claim_date": str(claim.claim_date),
        "earlier": [{"kind": e.kind.value, "occupation": e.occupation,
                     "level": e.level and e.level.value,
                     "certificate_date": e.certificate_date and str(e.certificate_date),
                     "batch_end_date": str(e.batch_end_date), "status": e.status.value}
                    for e in claim.earlier],
    }


CASE_FILES = ["01_standard_intermediate", "13_day_rule_cap_reached",
              "37_fourth_fee_subsidy_in_a_year"]


@pytest.mark.parametrize("name", CASE_FILES)
def test_explain_gives_the_amounts_of_the_case_file(client, token, name):
    case = load_case(CASES / f"{name}.yaml")
    assert not any(p for p in case.parameters.cities)  # the stored defaults apply
    response = client.post(f"{API}/subsidies/explain", json=claim_json(case.claim),
                           headers={**token("institution_staff"), "Accept-Language": "en"})
    assert response.status_code == 200, response.json
    for kind, expected in case.expected.items():
        answer = response.json[kind]
        assert answer["amount_fen"] == expected.amount, (name, kind)
        assert sorted(answer["reasons"]) == sorted(expected.reasons), (name, kind)
        assert answer["eligible"] is not bool(expected.reasons)
        for phrase in expected.explains:
            assert phrase in answer["explanation"]["text"], (name, kind, phrase)


def test_explain_answers_the_trace_with_parameter_versions_and_stores_nothing(
        app, client, token):
    claim = claim_json(load_case(CASES / "01_standard_intermediate.yaml").claim)
    decisions, used = _count(app, Decision), _count(app, ParameterValue,
                                                    ParameterValue.first_used_at.is_not(None))
    response = client.post(f"{API}/subsidies/explain", json=claim,
                           headers=token("federation_officer", region_code="3601"))
    assert response.status_code == 200, response.json
    fee = response.json["fee"]
    assert (fee["amount_fen"], fee["payee"]) == (150000, "institution")
    assert fee["explanation"]["text"].startswith("您的培训费补贴为 1,500.00 元")
    assert fee["explanation"]["language"] == "zh-Hans"
    standard = next(p for p in fee["parameters"] if p["key"] == KEY)
    assert (standard["value"], standard["effective_from"], standard["scope"]) == (
        "150000", "2022-01-01", "36")
    assert standard["version"].isdigit()  # the stored value's id
    assert all(step["rule"] and step["message"] for step in fee["trace"])
    assert response.json["inputs"]["batch"]["fee_charged"] == 180000
    assert (_count(app, Decision), _count(app, ParameterValue,
                                          ParameterValue.first_used_at.is_not(None))) == (
        decisions, used)


def test_a_refusal_names_the_condition(client, token):
    claim = claim_json(load_case(CASES / "01_standard_intermediate.yaml").claim)
    claim["person"]["has_valid_certificate"] = False
    response = client.post(f"{API}/subsidies/explain", json=claim,
                           headers={**token("institution_staff"), "Accept-Language": "en-GB"})
    fee = response.json["fee"]
    assert (fee["eligible"], fee["amount_fen"]) == (False, 0)
    assert fee["reasons"] == ["no_disability_certificate"]
    assert fee["explanation"]["headline"] == "You receive no training-fee subsidy."
    assert [s["reason"] for s in fee["trace"] if s["outcome"] == "failed"] == [
        "no_disability_certificate"]


def test_a_family_members_claim_is_refused_with_its_reason(client, token):
    claim = claim_json(load_case(CASES / "72_family_member.yaml").claim)
    assert claim["person"]["family_member"] is True
    response = client.post(f"{API}/subsidies/explain", json=claim,
                           headers=token("institution_staff"))
    for kind in ("fee", "living"):
        answer = response.json[kind]
        assert (answer["eligible"], answer["amount_fen"], answer["reasons"]) == (
            False, 0, ["family_member"])
        assert "作为残疾人家庭成员参加培训" in answer["explanation"]["text"]
    del claim["person"]["family_member"]  # absent: a seat in one's own right
    claim["person"]["has_valid_certificate"] = True
    assert client.post(f"{API}/subsidies/explain", json=claim,
                       headers=token("institution_staff")).json["fee"]["eligible"] is True


def test_a_malformed_claim_is_a_422_naming_the_field(client, token):
    claim = claim_json(load_case(CASES / "01_standard_intermediate.yaml").claim)
    claim["batch"]["fee_charged_fen"] = "1800"
    claim["sessions"][0]["status"] = "asleep"
    response = client.post(f"{API}/subsidies/explain", json=claim,
                           headers=token("institution_staff"))
    assert response.status_code == 422
    detail = response.json["detail"]["json"]
    assert "fee_charged_fen" in detail["batch"]
    assert "status" in detail["sessions"]["0"]


def test_an_inconsistent_claim_is_a_400(client, token):
    claim = claim_json(load_case(CASES / "01_standard_intermediate.yaml").claim)
    claim["batch"]["end_date"] = "2024-03-01"  # before the start
    response = client.post(f"{API}/subsidies/explain", json=claim,
                           headers=token("institution_staff"))
    assert response.status_code == 400
    assert response.json["error"] == "DomainError"


def test_a_claim_before_any_value_is_in_force_is_a_400(client, token):
    claim = claim_json(load_case(CASES / "01_standard_intermediate.yaml").claim)
    claim["batch"].update(start_date="2010-03-04", end_date="2010-03-15")
    response = client.post(f"{API}/subsidies/explain", json=claim,
                           headers=token("institution_staff"))
    assert response.status_code == 400
    assert "2010-03-04" in response.json["message"]


def test_dates_near_year_9999_are_a_400(client, token):
    """Was a 500: the claim deadline (12 months after the certificate) cannot be computed."""
    claim = claim_json(load_case(CASES / "01_standard_intermediate.yaml").claim)
    claim["batch"].update(start_date="9999-12-01", end_date="9999-12-31")
    claim["completion"]["certificate_date"] = claim["claim_date"] = "9999-12-31"
    response = client.post(f"{API}/subsidies/explain", json=claim,
                           headers=token("institution_staff"))
    assert response.status_code == 400


# --- decisions -----------------------------------------------------------------------------

@pytest.fixture
def world(app, token):
    """A completed batch of one trainee, its decisions computed; tokens of its institution's
    staff and of the officers above and beside it."""
    ids = build(app, "computed")
    return {"ids": ids, "staff": token(ids["subsidy_staff"]),
            "county": token(ids["subsidy_county"]),
            "city": token("federation_officer", region_code="3601"),
            "other_county": token("federation_officer", region_code="360103"),
            "other_staff": token("institution_staff")}


def _post(client, path: str, headers: dict[str, str], body: Any = None) -> Any:
    return client.post(f"{API}{path}", json=body if body is not None else {}, headers=headers)


def test_the_lifecycle_through_the_api(app, client, world):
    ids = world["ids"]
    computed = _post(client, f"/subsidies/batches/{ids['batch']}/compute", world["staff"])
    assert computed.status_code == 200, computed.json
    assert {(d["kind"], d["amount_fen"]) for d in computed.json["items"]} == {
        ("fee", 150000), ("living", 40000)}
    mine = [d["id"] for d in computed.json["items"]]
    submitted = _post(client, "/subsidies/decisions/submit", world["staff"],
                      {"decision_ids": mine})
    assert (submitted.status_code, submitted.json["count"]) == (200, 2)
    listed = client.get(f"{API}/subsidies/decisions?status=submitted&batch_id={ids['batch']}",
                        headers=world["county"])
    assert sorted(d["id"] for d in listed.json["items"]) == sorted(mine)
    approved = _post(client, "/subsidies/decisions/approve", world["county"],
                     {"decision_ids": mine})
    assert approved.status_code == 200, approved.json
    assert {d["status"] for d in approved.json["items"]} == {"approved"}
    today = str(local_today())
    paid = _post(client, f"/subsidies/decisions/{ids['computed']}/pay", world["county"],
                 {"paid_on": today, "reference": "GK2026-0001"})
    assert paid.status_code == 200, paid.json
    assert paid.json["status"] == "paid"
    assert paid.json["payment"]["amount_fen"] == 150000
    again = _post(client, f"/subsidies/decisions/{ids['computed']}/pay", world["county"],
                  {"paid_on": today, "reference": "GK2026-0002"})
    assert again.status_code == 409
    assert _count(app, Payment, Payment.decision_id == ids["computed"]) == 1


def test_a_decision_reads_with_trace_and_explanation_and_no_id_number(app, client, world):
    decision_id = world["ids"]["computed"]
    response = client.get(f"{API}/subsidies/decisions/{decision_id}",
                          headers={**world["staff"], "Accept-Language": "en"})
    assert response.status_code == 200
    body = response.json
    assert body["explanation"]["text"].startswith("Your training-fee subsidy is 1,500.00 yuan")
    assert body["notice_text"].startswith("您的培训费补贴为 1,500.00 元")
    assert any(step["parameters"] for step in body["trace"])
    with app.app_context():
        decision = db.session.get(Decision, decision_id)
        id_number, person = decision.person.id_number, (decision.person_id,
                                                        decision.person.name)
    # The trace gives the birth date: a masked number beside it could be rebuilt.
    assert body["person"] == {"id": person[0], "name": person[1]}
    assert id_number not in response.get_data(as_text=True)


def test_approval_beyond_the_budget_is_refused_with_the_figures(app, client, world):
    ids = world["ids"]
    _post(client, "/subsidies/decisions/submit", world["staff"],
          {"decision_ids": [ids["computed"]]})
    lowered = client.put(f"{API}/subsidies/budgets", headers=world["county"], json={
        "region_code": "360102", "year": local_today().year, "kind": "fee",
        "amount_fen": 100000})
    assert lowered.status_code == 200, lowered.json
    assert (lowered.json["amount_fen"], lowered.json["remaining_fen"]) == (100000, 100000)
    refused = _post(client, "/subsidies/decisions/approve", world["county"],
                    {"decision_ids": [ids["computed"]]})
    assert refused.status_code == 400
    assert "¥1,500.00" in refused.json["message"] and "¥1,000.00" in refused.json["message"]
    assert _count(app, Decision, Decision.id == ids["computed"],
                  Decision.status == "submitted") == 1


def test_approving_a_rejected_or_paid_decision_is_a_409(app, client, token):
    ids = build(app, "rejected", "paid")
    county = token(ids["subsidy_county"])
    for state in ("rejected", "paid"):
        response = _post(client, "/subsidies/decisions/approve", county,
                         {"decision_ids": [ids[state]]})
        assert response.status_code == 409, (state, response.json)
        assert _count(app, Decision, Decision.id == ids[state],
                      Decision.status == state) == 1


def test_a_second_approval_of_the_same_decision_is_a_409(app, client, token):
    ids = build(app, "submitted")
    county = token(ids["subsidy_county"])
    body = {"decision_ids": [ids["submitted"]]}
    assert _post(client, "/subsidies/decisions/approve", county, body).status_code == 200
    assert _post(client, "/subsidies/decisions/approve", county, body).status_code == 409


def test_all_or_nothing_when_one_of_the_decisions_cannot_be_approved(app, client, token):
    ids = build(app, "submitted", "paid")
    response = _post(client, "/subsidies/decisions/approve", token(ids["subsidy_county"]),
                     {"decision_ids": [ids["submitted"], ids["paid"]]})
    assert response.status_code == 409
    assert _count(app, Decision, Decision.id == ids["submitted"],
                  Decision.status == "submitted") == 1


def test_a_rejection_gives_the_reason(client, world):
    decision_id = world["ids"]["computed"]
    response = _post(client, f"/subsidies/decisions/{decision_id}/reject", world["county"],
                     {"reason": "学员证件过期"})
    assert (response.status_code, response.json["status"]) == (200, "rejected")
    assert response.json["rejection_reason"] == "学员证件过期"


def test_another_regions_officer_and_another_institution_get_404(client, world):
    decision_id = world["ids"]["computed"]
    for headers in (world["other_county"], world["other_staff"]):
        assert client.get(f"{API}/subsidies/decisions/{decision_id}",
                          headers=headers).status_code == 404
    assert _post(client, f"/subsidies/decisions/{decision_id}/reject", world["other_county"],
                 {"reason": "不符合"}).status_code == 404
    assert _post(client, "/subsidies/decisions/approve", world["other_county"],
                 {"decision_ids": [decision_id]}).status_code == 404
    assert _post(client, f"/subsidies/batches/{world['ids']['batch']}/compute",
                 world["other_staff"]).status_code == 404
    listed = client.get(f"{API}/subsidies/decisions", headers=world["other_county"])
    assert decision_id not in {d["id"] for d in listed.json["items"]}


def test_budgets_are_listed_with_their_usage_in_scope(app, client, token):
    ids = build(app, "approved", "paid")
    response = client.get(f"{API}/subsidies/budgets?kind=fee&year={local_today().year}",
                          headers=token("federation_officer", region_code="3601"))
    assert response.status_code == 200
    [budget] = [b for b in response.json if b["region_code"] == "360102"]
    assert (budget["committed_fen"], budget["paid_fen"]) == (300000, 150000)
    assert budget["remaining_fen"] == budget["amount_fen"] - 300000
    elsewhere = client.get(f"{API}/subsidies/budgets",
                           headers=token("federation_officer", region_code="3607"))
    assert [b for b in elsewhere.json if b["region_code"] == "360102"] == []
    assert ids  # the budgets belong to the batch's county


def test_a_budget_of_an_unknown_region_is_refused(client, token):
    response = client.put(f"{API}/subsidies/budgets", json={
        "region_code": "369999", "year": 2026, "kind": "fee", "amount_fen": 100},
        headers=token("federation_officer", region_code="36"))
    assert response.status_code == 400


# --- parameters ----------------------------------------------------------------------------

def test_parameters_in_force_and_history(client, token):
    officer = token("federation_officer", region_code="3601")
    listed = client.get(f"{API}/parameters?domain=subsidies", headers=officer)
    assert listed.status_code == 200
    fee = next(p for p in listed.json if p["key"] == KEY)
    assert (fee["unit"], fee["province"]["amount_fen"]) == ("fen", 150000)
    one = client.get(f"{API}/parameters/{KEY}", headers=officer)
    assert [v["effective_from"] for v in one.json["history"]] == ["2022-01-01"]
    assert client.get(f"{API}/parameters/no.such_key", headers=officer).status_code == 404


def test_a_past_value_that_would_change_a_paid_decision_is_a_409_and_nothing_is_saved(
        app, client, token):
    build(app, "paid")
    before = _values_of(app, KEY)
    start = local_today() - timedelta(days=40)
    response = _post(client, f"/parameters/{KEY}/values",
                     token("federation_officer", region_code="3601"),
                     {"effective_from": str(start - timedelta(days=1)), "region_code": "3601",
                      "amount_fen": 180000, "note": "提高标准"})
    assert (response.status_code, response.json["error"]) == (409, "Conflict")
    # the latest start of the batches it touches, written as the pages write dates
    assert f"{start.year}年{start.month}月{start.day}日" in response.json["message"]
    assert _values_of(app, KEY) == before


def test_a_dry_run_shows_old_and_new_and_saves_nothing(app, client, token):
    # The batch charges ¥1,500, the cap of any standard: a lower standard changes amounts.
    ids = build(app, "computed", "submitted")
    before = _values_of(app, KEY)
    body = {"effective_from": str(local_today() - timedelta(days=60)), "region_code": "3601",
            "amount_fen": 120000, "dry_run": True}
    officer = token("federation_officer", region_code="3601")
    response = _post(client, f"/parameters/{KEY}/values", officer, body)
    assert response.status_code == 200, response.json
    assert response.json["saved"] is False and response.json["value"] is None
    assert sorted((c["decision_id"], c["old_amount_fen"], c["new_amount_fen"])
                  for c in response.json["changes"]) == sorted(
        [(ids["computed"], 150000, 120000), (ids["submitted"], 150000, 120000)])
    assert _values_of(app, KEY) == before
    assert _count(app, Decision, Decision.id == ids["computed"],
                  Decision.amount_fen == 150000) == 1
    saved = _post(client, f"/parameters/{KEY}/values", officer, {**body, "dry_run": False})
    assert saved.status_code == 201, saved.json
    assert (saved.json["saved"], saved.json["value"]["amount_fen"]) == (True, 120000)
    assert _values_of(app, KEY) == before + 1
    assert _count(app, Decision, Decision.id == ids["computed"],
                  Decision.amount_fen == 120000) == 1
    shown = client.get(f"{API}/parameters/{KEY}", headers=officer).json
    assert shown["province"]["amount_fen"] == 150000
    assert [(v["region_code"], v["amount_fen"]) for v in shown["overrides"]] == [
        ("3601", 120000)]


def test_an_amount_is_given_in_fen_and_a_rate_as_text(client, token):
    admin = token("admin")
    day = str(local_today() + timedelta(days=30))
    as_text = _post(client, f"/parameters/{KEY}/values", admin,
                    {"effective_from": day, "value": "1800", "dry_run": True})
    assert as_text.status_code == 400
    rate = _post(client, "/parameters/subsidies.attendance_threshold_percent/values", admin,
                 {"effective_from": day, "value": "75", "dry_run": True})
    assert rate.status_code == 200, rate.json


def test_a_county_officer_cannot_add_a_value(client, token):
    response = _post(client, f"/parameters/{KEY}/values",
                     token("federation_officer", region_code="360102"),
                     {"effective_from": "2030-01-01", "region_code": "3601",
                      "amount_fen": 180000})
    assert response.status_code == 403


def test_a_json_value_nested_thousands_deep_is_a_400(client, token):
    """Was a 500: the JSON parser gives up with a RecursionError."""
    response = _post(client, "/parameters/bases.annual_review_sheet/values", token("admin"),
                     {"effective_from": "2030-01-01", "value": "[" * 10000 + "]" * 10000})
    assert response.status_code == 400
