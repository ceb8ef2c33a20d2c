"""Training through the JSON API (/api/v1/training): the whole four-orders lifecycle with each
actor's own bearer token, then each bad input answered with a clear JSON error that changes
nothing. Every call is a real request; nothing is signed in by cookie."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.training.api_world import (
    API,
    Actors,
    at,
    batch_body,
    count,
    demand_body,
    enrol_body,
    make_actors,
    people,
    session_body,
    set_clock,
)
from trainhub.core.audit.models import AuditEntry
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.training.followup import add_months
from trainhub.training.models import Attendance, Batch, Enrolment, Session


@pytest.fixture
def actors(app) -> Actors:
    return make_actors(app)


@pytest.fixture
def english(client):
    """Messages in English, so the assertions read plainly (the default is Chinese)."""
    client.set_cookie("trainhub_lang", "en")
    return client


class Recorder:
    """Every answer body of a test, to prove no full ID number is ever in one."""

    def __init__(self, client: Any) -> None:
        self.client, self.bodies = client, []

    def __call__(self, method: str, path: str, headers: dict[str, str],
                 body: Any = None) -> Any:
        response = self.client.open(API + path, method=method, headers=headers, json=body)
        self.bodies.append(response.get_data(as_text=True))
        return response


def _planned(call: Recorder, actors: Actors, start, days: int = 5, **changes: Any) -> int:
    """A draft batch with one session a day, through the API."""
    created = call("POST", "/batches", actors.staff,
                   batch_body(actors.base_id, start, days, **changes))
    assert created.status_code == 201, created.json
    for offset in range(days):
        added = call("POST", f"/batches/{created.json['id']}/sessions", actors.staff,
                     session_body(start + timedelta(days=offset)))
        assert added.status_code == 201, added.json
    return int(created.json["id"])


def _enrolling(call: Recorder, actors: Actors, start, **changes: Any) -> int:
    batch_id = _planned(call, actors, start, **changes)
    for step, who in (("submit", actors.staff), ("approve", actors.county),
                      ("open", actors.staff)):
        body = {} if step == "approve" else None
        assert call("POST", f"/batches/{batch_id}/{step}", who, body).status_code == 200
    return batch_id


# --- the lifecycle ---------------------------------------------------------------------------

def test_the_four_orders_through_the_api(app, english, actors, monkeypatch):
    call = Recorder(english)
    today = local_today()
    start = today + timedelta(days=10)
    numbers = people(app, 3)

    # 企业下单: the enterprise orders; the institution sees the order and takes it.
    posted = call("POST", "/demands", actors.enterprise, demand_body(hire_commitment=2))
    assert posted.status_code == 201, posted.json
    demand_id = posted.json["id"]
    assert posted.json["monthly_wage_fen"] == 350000
    seen = call("GET", "/demands?status=open", actors.staff)
    assert demand_id in [d["id"] for d in seen.json["items"]]

    # 机构接单: a draft from the demand, its sessions, submitted for approval.
    created = call("POST", "/batches", actors.staff,
                   batch_body(actors.base_id, start, demand_id=demand_id, capacity=2))
    assert created.status_code == 201, created.json
    batch_id = created.json["id"]
    assert (created.json["status"], created.json["demand_id"]) == ("draft", demand_id)
    for offset in range(5):
        added = call("POST", f"/batches/{batch_id}/sessions", actors.staff,
                     session_body(start + timedelta(days=offset)))
        assert added.status_code == 201, added.json
    assert added.json["hours"] == "7.50"
    assert added.json["starts_at"].endswith("+00:00")  # stored and answered in UTC
    assert call("POST", f"/batches/{batch_id}/submit", actors.staff).json["status"] == \
        "submitted"

    # 开班审批 by the county officer, then enrolment opens.
    approved = call("POST", f"/batches/{batch_id}/approve", actors.county, {"comment": "同意"})
    assert approved.status_code == 200, approved.json
    assert approved.json["status"] == "approved"
    assert call("POST", f"/batches/{batch_id}/open", actors.staff).json["status"] == \
        "enrolling"

    # 劳动者点单: three people for two seats; the third waits.
    enrolled = [call("POST", f"/batches/{batch_id}/enrolments", actors.staff,
                     enrol_body(n)) for n in numbers]
    assert [e.status_code for e in enrolled] == [201, 201, 201]
    assert [e.json["status"] for e in enrolled] == ["admitted", "admitted", "waiting"]
    assert enrolled[2].json["waiting_position"] == 1
    withdrawn = call("POST", f"/enrolments/{enrolled[1].json['id']}/withdraw", actors.staff,
                     {"reason": "本人另有安排"})
    assert withdrawn.json["status"] == "withdrawn"
    roster = call("GET", f"/batches/{batch_id}/enrolments", actors.county)
    assert [e["status"] for e in roster.json["items"]] == ["admitted", "withdrawn", "admitted"]
    assert roster.json["masked"] is True
    batch = call("GET", f"/batches/{batch_id}", actors.city).json
    assert (batch["seats_taken"], batch["seats_left"], batch["planned_hours"]) == \
        (2, 0, "37.50")
    assert batch["enrolments"] == {"applied": 0, "waiting": 0, "admitted": 2, "declined": 0,
                                   "withdrawn": 1}
    trainees = [enrolled[0].json["id"], enrolled[2].json["id"]]

    # The batch runs: attendance on the first day.
    set_clock(monkeypatch, at(start, 9, 30))
    assert call("POST", f"/batches/{batch_id}/start", actors.staff).json["status"] == \
        "in_progress"
    first = batch["sessions"][0]["id"]
    marked = call("PUT", f"/batches/{batch_id}/sessions/{first}/attendance", actors.staff,
                  {"marks": [{"enrolment_id": trainees[0], "status": "present"},
                             {"enrolment_id": trainees[1], "status": "absent"}]})
    assert marked.json == {"session_id": first, "created": 2, "corrected": 0}
    sheet = call("GET", f"/batches/{batch_id}/attendance", actors.county).json
    lines = {line["enrolment_id"]: line for line in sheet["trainees"]}
    assert (lines[trainees[0]]["attended_hours"], lines[trainees[0]]["planned_hours"],
            lines[trainees[0]]["rate_percent"]) == ("7.50", "37.50", "20.0")
    # 20 % after the first of five days, but the four days left can still reach 80 %: no flag.
    assert not lines[trainees[0]]["flagged"] and sheet["threshold_percent"] == "80.0"

    # 结业: complete after the last session, results, settlement by the officer.
    end = start + timedelta(days=4)
    set_clock(monkeypatch, at(end + timedelta(days=1), 9))
    assert call("POST", f"/batches/{batch_id}/complete", actors.staff).json["status"] == \
        "completed"
    passed = call("PUT", f"/enrolments/{trainees[0]}/result", actors.staff, {
        "passed": True, "assessed_on": str(end), "certificate_type": "skill_level",
        "certificate_level": "junior", "certificate_number": "S2026360100123",
        "certificate_date": str(end)})
    assert passed.status_code == 200, passed.json
    assert passed.json["verification_url"] and passed.json["certificate_number_masked"] == \
        "S202******0123"
    assert call("PUT", f"/enrolments/{trainees[1]}/result", actors.staff,
                {"passed": False, "assessed_on": str(end)}).json["passed"] is False
    assert call("GET", f"/enrolments/{trainees[0]}/result", actors.county).json["passed"]
    assert call("POST", f"/batches/{batch_id}/settle", actors.county).json["status"] == \
        "settled"

    # 政府买单 pays for employment: six months on, the enterprise records whom it hired.
    due = add_months(end, 6)
    set_clock(monkeypatch, at(due, 10))
    status = call("GET", f"/enrolments/{trainees[0]}/followup", actors.enterprise).json
    assert (status["due_on"], status["followup"]) == (str(due), None)
    hired = call("PUT", f"/enrolments/{trainees[0]}/followup", actors.enterprise, {
        "employed": True, "checked_on": str(due), "employer_name": "按摩店",
        "employment_form": "concentrated", "monthly_wage_fen": 360000,
        "hired_by_ordering_enterprise": True})
    assert hired.status_code == 200, hired.json
    assert hired.json["enterprise_id"] == actors.enterprise_id
    outcome = call("GET", "/outcomes", actors.enterprise).json
    assert [(b["batch_id"], b["committed"], b["graduates"], b["hired"])
            for b in outcome["batches"]] == [(batch_id, 2, 1, 1)]

    # Not once did a full ID number leave the server.
    for number in numbers:
        assert all(number not in body for body in call.bodies)
    assert any(numbers[0][:4] + "*" * 10 + numbers[0][-4:] in b for b in call.bodies)


def test_lists_filter_and_page(app, client, actors):
    call = Recorder(client)
    start = local_today() + timedelta(days=10)
    drafts = [_planned(call, actors, start, days=1) for _ in range(3)]
    listed = call("GET", "/batches?status=draft&category=massage&region=3601&per_page=2",
                  actors.staff).json
    assert (listed["total"], len(listed["items"])) == (3, 2)
    assert {b["id"] for b in listed["items"]} <= set(drafts)
    assert call("GET", "/batches?region=3607", actors.staff).json["total"] == 0
    # Officers do not see drafts.
    assert call("GET", "/batches", actors.county).json["total"] == 0


# --- bad input: a clear answer, nothing changed -----------------------------------------------

def _error(response: Any, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.json
    assert (body["status"], isinstance(body["error"], str)) == (status, True)
    return str(body["message"])


def test_a_batch_ending_after_its_base_expires(app, english, actors):
    call = Recorder(english)
    start = local_today() + timedelta(days=10)
    before = count(app, Batch)
    refused = call("POST", "/batches", actors.staff, batch_body(actors.short_base_id, start))
    message = _error(refused, 400)
    assert "valid until" in message and "must fall within" in message
    assert count(app, Batch) == before


def test_a_batch_on_another_institutions_base(app, client, actors):
    refused = Recorder(client)("POST", "/batches", actors.other_staff,
                               batch_body(actors.base_id, local_today() + timedelta(days=10)))
    _error(refused, 403)


def test_sessions_outside_the_dates_or_overlapping(app, english, actors):
    call = Recorder(english)
    start = local_today() + timedelta(days=10)
    batch_id = _planned(call, actors, start, days=2)
    before = count(app, Session, Session.batch_id == batch_id)
    outside = call("POST", f"/batches/{batch_id}/sessions", actors.staff,
                   session_body(start + timedelta(days=2)))
    assert "falls outside the batch dates" in _error(outside, 400)
    overlapping = call("POST", f"/batches/{batch_id}/sessions", actors.staff,
                       session_body(start, start_hour=12, length=2, hours="2"))
    assert "overlap" in _error(overlapping, 400)
    absurd = dict(session_body(start), starts_at="0001-01-01T00:00:00+23:59")
    assert "outside" in _error(call("POST", f"/batches/{batch_id}/sessions", actors.staff,
                                    absurd), 400)
    naive = dict(session_body(start), starts_at=f"{start}T09:00:00")
    _error(call("POST", f"/batches/{batch_id}/sessions", actors.staff, naive), 422)
    assert count(app, Session, Session.batch_id == batch_id) == before


def test_capacity_below_the_seats_taken(app, english, actors):
    call = Recorder(english)
    batch_id = _enrolling(call, actors, local_today() + timedelta(days=10))
    for number in people(app, 3):
        call("POST", f"/batches/{batch_id}/enrolments", actors.staff, enrol_body(number))
    lowered = call("PUT", f"/batches/{batch_id}/capacity", actors.staff, {"capacity": 2})
    assert "3 seats are already taken" in _error(lowered, 400)
    assert call("GET", f"/batches/{batch_id}", actors.staff).json["capacity"] == 30


def test_a_full_batch_puts_the_applicant_on_the_waiting_list(app, client, actors):
    call = Recorder(client)
    batch_id = _enrolling(call, actors, local_today() + timedelta(days=10), capacity=1)
    first, second = (call("POST", f"/batches/{batch_id}/enrolments", actors.staff,
                          enrol_body(n)) for n in people(app, 2))
    assert (first.status_code, first.json["status"]) == (201, "admitted")
    assert (second.status_code, second.json["status"]) == (201, "waiting")
    assert second.json["waiting_position"] == 1
    batch = call("GET", f"/batches/{batch_id}", actors.staff).json
    assert (batch["seats_taken"], batch["capacity"]) == (1, 1)


def test_enrolling_twice(app, english, actors):
    call = Recorder(english)
    batch_id = _enrolling(call, actors, local_today() + timedelta(days=10))
    [number] = people(app, 1)
    assert call("POST", f"/batches/{batch_id}/enrolments", actors.staff,
                enrol_body(number)).status_code == 201
    again = call("POST", f"/batches/{batch_id}/enrolments", actors.staff,
                 enrol_body(number))
    assert "already exists" in _error(again, 409)
    assert count(app, Enrolment, Enrolment.batch_id == batch_id) == 1


def test_removing_a_trainee_needs_a_reason_the_trainee_reads_and_the_audit_keeps(
        app, english, actors):
    """移出 through the API is the roster page's removal (issue 12, item 5): without a
    reason nothing changes; with one the trainee reads it and the audit log keeps it."""
    call = Recorder(english)
    batch_id = _enrolling(call, actors, local_today() + timedelta(days=10))
    [number] = people(app, 1)
    trainee = call("POST", f"/batches/{batch_id}/enrolments", actors.staff,
                   enrol_body(number)).json["id"]
    path = f"/enrolments/{trainee}/withdraw"
    missing = call("POST", path, actors.staff)
    assert missing.status_code == 422 and "reason" in json.dumps(missing.json)
    _error(missing, 422)
    assert "reason" in json.dumps(_error_detail(call("POST", path, actors.staff, {}), 422))
    empty = call("POST", path, actors.staff, {"reason": ""})
    assert "reason" in json.dumps(_error_detail(empty, 422))
    assert "Give the reason" in _error(call("POST", path, actors.staff, {"reason": "  "}), 400)
    with app.app_context():
        kept = db.session.get(Enrolment, trainee)
        assert kept is not None and kept.status == "admitted"
    removed = call("POST", path, actors.staff, {"reason": " 连续三次无故缺课 "})
    assert removed.status_code == 200, removed.json
    assert (removed.json["status"], removed.json["decision_note"]) == ("withdrawn",
                                                                      "连续三次无故缺课")
    with app.app_context():
        found = db.session.get(Enrolment, trainee)
        assert found is not None and found.removed  # 我的培训 shows the removal and reason
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "training_enrolment.remove")).one()
        assert (entry.object_id, entry.details["reason"]) == (str(trainee), "连续三次无故缺课")
    batch = call("GET", f"/batches/{batch_id}", actors.staff).json
    assert batch["seats_taken"] == 0


def _error_detail(response: Any, status: int) -> Any:
    _error(response, status)
    return response.json.get("detail")


def test_an_id_number_mistyped_or_unknown(app, english, actors):
    call = Recorder(english)
    batch_id = _enrolling(call, actors, local_today() + timedelta(days=10))
    [number] = people(app, 1)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert "check character" in _error(call("POST", f"/batches/{batch_id}/enrolments",
                                            actors.staff, {"id_number": wrong}), 400)
    unknown = "11010519491231002X"
    # An unknown number and a registered one get the same answer: nothing tells them apart.
    asked = [call("POST", f"/batches/{batch_id}/enrolments", actors.staff, {"id_number": n})
             for n in (unknown, number)]
    assert [(a.status_code, a.json) for a in asked] == [(202, asked[0].json)] * 2
    assert asked[0].json["status"] == "asked"
    assert all(wrong not in b and unknown not in b for b in call.bodies)
    assert count(app, Enrolment, Enrolment.batch_id == batch_id) == 0


def test_attendance_for_a_future_session_or_a_stranger(app, english, actors, monkeypatch):
    call = Recorder(english)
    start = local_today() + timedelta(days=10)
    batch_id = _enrolling(call, actors, start)
    trainee, stranger = (call("POST", f"/batches/{batch_id}/enrolments", actors.staff,
                              enrol_body(n)).json["id"] for n in people(app, 2))
    call("POST", f"/enrolments/{stranger}/withdraw", actors.staff, {"reason": "未到课"})
    set_clock(monkeypatch, at(start, 9, 30))
    call("POST", f"/batches/{batch_id}/start", actors.staff)
    sessions = call("GET", f"/batches/{batch_id}", actors.staff).json["sessions"]
    path = f"/batches/{batch_id}/sessions/%s/attendance"
    future = call("PUT", path % sessions[1]["id"], actors.staff,
                  {"marks": [{"enrolment_id": trainee, "status": "present"}]})
    assert "has not taken place yet" in _error(future, 400)
    not_enrolled = call("PUT", path % sessions[0]["id"], actors.staff,
                        {"marks": [{"enrolment_id": trainee, "status": "present"},
                                   {"enrolment_id": stranger, "status": "present"}]})
    assert "only for trainees admitted" in _error(not_enrolled, 400)
    twice = call("PUT", path % sessions[0]["id"], actors.staff,
                 {"marks": [{"enrolment_id": trainee, "status": "present"},
                            {"enrolment_id": trainee, "status": "absent"}]})
    assert "only once per session" in _error(twice, 400)
    assert count(app, Attendance) == 0


def test_an_officer_of_another_region_cannot_approve(app, client, actors):
    call = Recorder(client)
    batch_id = _planned(call, actors, local_today() + timedelta(days=10), days=1)
    call("POST", f"/batches/{batch_id}/submit", actors.staff)
    refused = call("POST", f"/batches/{batch_id}/approve", actors.other_county, {})
    assert refused.status_code in (403, 404)
    _error(refused, refused.status_code)
    assert call("GET", f"/batches/{batch_id}", actors.county).json["status"] == "submitted"
    # Approving twice is a conflict, not a second approval.
    assert call("POST", f"/batches/{batch_id}/approve", actors.county, {}).status_code == 200
    _error(call("POST", f"/batches/{batch_id}/approve", actors.city, {}), 409)


def test_errors_answer_in_chinese_by_default(app, client, actors):
    refused = Recorder(client)("POST", "/batches", actors.staff, batch_body(
        actors.short_base_id, local_today() + timedelta(days=10)))
    assert "证书" in _error(refused, 400)
    assert json.loads(refused.get_data(as_text=True))["error"] == "DomainError"
