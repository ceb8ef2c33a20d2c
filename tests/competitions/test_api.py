"""Competitions through the JSON API (/api/v1): the lifecycle (a competition and its event
created, cities entering contestants by ID number, the organiser confirming them, the close
and the draw, the marks read by code, decoding after the lock, publication, the public
results and medal table, the certificate verified), every bad input of issue 6 the API
exposes answered in JSON with nothing changed, and anonymity: no ID number in any answer,
and no name, city or institution in the marking side's answers before the lock. Judges'
sheets are in test_api_sheets.py."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.competitions import api_world, judging_world
from tests.subsidies.api_builders import bearer_for
from trainhub.competitions import judging, marking
from trainhub.competitions.models import Competition, Correction, Entry, Event, Mark
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db

API = "/api/v1/competitions"
TODAY = local_today()
SCHEME = api_world.SCHEME


@pytest.fixture
def token(app, make):
    return lambda who, **scope: bearer_for(app, make, who, **scope)


@pytest.fixture
def organiser(make) -> str:
    return make.user("federation_officer", region_code="36")


def _competition_body(**changes: Any) -> dict[str, Any]:
    return {"name": "江西省第八届残疾人职业技能竞赛",
            "registration_opens": str(TODAY - timedelta(days=1)),
            "registration_closes": str(TODAY + timedelta(days=10)),
            "starts_on": str(TODAY + timedelta(days=20)),
            "ends_on": str(TODAY + timedelta(days=22)), "venue": "南昌市", **changes}


def _event_body(**changes: Any) -> dict[str, Any]:
    return {"name": "盲人保健按摩", "occupation": "保健按摩师", "quota": 2, "categories": [1],
            "age_reference_date": str(TODAY + timedelta(days=20)), "aspects": SCHEME,
            **changes}


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    return response.json


def _text(response: Any) -> str:
    return json.dumps(response.json, ensure_ascii=False)


def _count(app, model: Any) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def _close_window(app, competition_id: int) -> None:
    """Time passes: the registration window ended yesterday."""
    with app.app_context():
        made = db.session.get(Competition, competition_id)
        made.registration_closes = TODAY - timedelta(days=1)
        db.session.commit()


def _mark_and_lock(app, make, event_id: int) -> None:
    """What the API cannot do: judges mark on their pages, the chief judge locks; the event
    ended three hours ago (the appeal window is closed)."""
    names = {"judge_a": make.user("judge"), "judge_b": make.user("judge"),
             "chief": make.user("chief_judge")}
    with app.app_context():
        event = db.session.get(Event, event_id)
        users = {part: db.session.scalars(select(User).where(User.username == name)).one()
                 for part, name in names.items()}
        for part, city, chief in (("judge_a", "3604", False), ("judge_b", "3605", False),
                                  ("chief", "3606", True)):
            judging.assign(event, judging.register_judge(users[part], part, city, None, []),
                           chief)
        judging_world.mark_all(event, users)
        db.session.commit()
        event = db.session.get(Event, event_id)
        marking.lock(event, users["chief"], utcnow())
        event.ends_at = utcnow() - timedelta(hours=3)
        db.session.commit()


def test_the_lifecycle_through_the_api(app, client, make, token, organiser):
    boss = token(organiser)
    made = _ok(client.post(API, json=_competition_body(), headers=boss), 201)
    assert made["region_code"] == "36" and made["organiser"] is True
    event = _ok(client.post(f"{API}/{made['id']}/events", json=_event_body(), headers=boss), 201)
    assert [a["code"] for a in event["aspects"]] == ["A", "B", "C"]
    assert event["eligibility"]["age_min"] == 16 and event["registration_open"] is True
    people = {city: api_world.person(app, city) for city in ("3601", "3607", "3602")}
    answers = []
    for city, (_pid, number) in people.items():
        officer = token("federation_officer", region_code=city)
        entry = _ok(client.post(f"{API}/events/{event['id']}/delegations/{city}/entries",
                                json={"id_numbers": [number]}, headers=officer), 201)
        assert entry["status"] == "registered" and "*" in entry["members"][0]["id_number_masked"]
        answers.append(entry)
        mine = _ok(client.get(f"{API}/{made['id']}/delegations/{city}", headers=officer))
        assert mine["events"][0]["places_left"] == 1
    listed = _ok(client.get(f"{API}/events/{event['id']}/entries", headers=boss))
    assert len(listed["items"]) == 3
    for entry in listed["items"]:
        confirmed = _ok(client.post(f"{API}/entries/{entry['id']}/confirm", headers=boss))
        assert confirmed["status"] == "confirmed"
    table = _ok(client.get(f"{API}/{made['id']}/delegations", headers=boss))
    assert table["totals"][0] == {"event_id": event["id"], "active": 3, "confirmed": 3,
                                  "delegations": 3}
    _close_window(app, made["id"])
    drawn = _ok(client.post(f"{API}/events/{event['id']}/draw", headers=boss))
    assert drawn["status"] == "drawn" and drawn["draw_seed"]
    _mark_and_lock(app, make, event["id"])
    decoded = _ok(client.get(f"{API}/events/{event['id']}/decoded", headers=boss))
    assert all(e["contestants"] and e["code"] for e in decoded["entries"])
    published = _ok(client.post(f"{API}/events/{event['id']}/publish", headers=boss))
    assert [r["rank"] for r in published["results"]] == [1, 1, 1]  # equal marks share rank
    public = _ok(client.get(f"{API}/events/{event['id']}/results"))  # no token needed
    awarded = [r for r in public["results"] if r["award"]]
    assert awarded and all(r["verification_url"] for r in awarded)
    path = awarded[0]["verification_url"].split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    numbers = [number for _pid, number in people.values()]
    for answer in (published, public, decoded, listed, table, *answers):
        assert not any(n in json.dumps(answer, ensure_ascii=False) for n in numbers)
    medals = _ok(client.get(f"{API}/{made['id']}/results", headers=boss))
    assert {row["delegation"] for row in medals["medal_table"]} == {
        "南昌市代表队", "赣州市代表队", "景德镇市代表队"}
    assert sum(row["total"] for row in medals["medal_table"]) == len(awarded)


# --- registration: bad input answered in JSON, nothing changed -----------------------------

def _register(client, event_id: int, number: str, headers: dict[str, str],
              city: str = "3601") -> Any:
    return client.post(f"{API}/events/{event_id}/delegations/{city}/entries",
                       json={"id_numbers": [number]}, headers=headers)


def _refused(app, response: Any, status: int, *words: str) -> None:
    """Answered in JSON with the rule that was not met, and no entry was made."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json and response.json["status"] == status
    assert all(word in response.json["message"] for word in words), response.json


@pytest.fixture
def nanchang(token) -> dict[str, str]:
    return token("federation_officer", region_code="3601")


def test_a_contestant_of_the_wrong_category_or_age_is_refused_with_the_reason(
        app, client, organiser, nanchang):
    made = api_world.competition(app, organiser)
    before = _count(app, Entry)
    _pid, sighted = api_world.person(app, category=4)
    _refused(app, _register(client, made["event"], sighted, nanchang), 400, "残疾类别")
    _pid, old = api_world.person(app, born=date(1950, 3, 1))
    _refused(app, _register(client, made["event"], old, nanchang), 400, "参赛年龄为 16 至 59 岁")
    assert _count(app, Entry) == before


def test_a_delegation_over_its_quota_or_after_the_window_is_refused(
        app, client, organiser, nanchang):
    made = api_world.competition(app, organiser, quota=1)
    _ok(_register(client, made["event"], api_world.person(app)[1], nanchang), 201)
    before = _count(app, Entry)
    _refused(app, _register(client, made["event"], api_world.person(app)[1], nanchang), 400,
             "名额为 1 个")
    closed = api_world.competition(app, organiser, closed=True)
    _refused(app, _register(client, closed["event"], api_world.person(app)[1], nanchang), 400,
             "报名时间为")
    assert _count(app, Entry) == before


def test_an_unknown_number_is_answered_masked_and_another_city_is_refused(
        app, client, organiser, nanchang, token, make):
    made = api_world.competition(app, organiser)
    unknown = make.id_number("360102")
    response = _register(client, made["event"], unknown, nanchang)
    _refused(app, response, 400, "没有证件号码为")
    assert unknown not in response.get_data(as_text=True)
    # A person of another city is answered as an unknown number: existence is not told.
    _pid, elsewhere = api_world.person(app, city="3607")
    other = _register(client, made["event"], elsewhere, nanchang)
    _refused(app, other, 400, "没有证件号码为")
    assert other.json["message"] == response.json["message"].replace(
        f"{unknown[:4]}**********{unknown[-4:]}", f"{elsewhere[:4]}**********{elsewhere[-4:]}")
    ganzhou = token("federation_officer", region_code="3607")
    assert _register(client, made["event"], api_world.person(app)[1], ganzhou).status_code == 403
    assert _register(client, made["event"], "36010219900101123", nanchang).status_code == 422
    assert _count(app, Entry) == 0


def test_withdraw_substitute_and_refuse_within_the_window(app, client, organiser, nanchang,
                                                          token):
    made = api_world.competition(app, organiser)
    first = api_world.registered(app, made["event"])
    joining_id, joining = api_world.person(app)
    swapped = _ok(client.post(f"{API}/entries/{first['entry']}/substitute", json={
        "leaving_person_id": first["person"], "id_number": joining}, headers=nanchang))
    assert [m["person_id"] for m in swapped["members"]] == [joining_id]
    stranger = client.post(f"{API}/entries/{first['entry']}/withdraw",
                           headers=token("federation_officer", region_code="3607"))
    assert stranger.status_code == 403
    withdrawn = _ok(client.post(f"{API}/entries/{first['entry']}/withdraw", headers=nanchang))
    assert withdrawn["status"] == "withdrawn"
    second = api_world.registered(app, made["event"])
    boss = token(organiser)
    blank = client.post(f"{API}/entries/{second['entry']}/refuse", json={"reason": "  "},
                        headers=boss)
    _refused(app, blank, 400)
    assert api_world.entry_status(app, second["entry"]) == "registered"
    refused = _ok(client.post(f"{API}/entries/{second['entry']}/refuse",
                              json={"reason": "证件过期"}, headers=boss))
    assert (refused["status"], refused["refusal_reasons"]) == ("refused", "证件过期")
    again = client.post(f"{API}/entries/{second['entry']}/confirm", headers=boss)
    _refused(app, again, 409)


def test_no_id_number_in_any_registration_answer(app, client, organiser, nanchang, token):
    made = api_world.competition(app, organiser)
    _pid, number = api_world.person(app)
    boss = token(organiser)
    answers = [_register(client, made["event"], number, nanchang),
               client.get(f"{API}/{made['competition']}/delegations/3601", headers=nanchang),
               client.get(f"{API}/events/{made['event']}/entries", headers=boss),
               client.get(f"{API}/{made['competition']}/delegations", headers=boss),
               client.get(f"{API}/events/{made['event']}", headers=nanchang)]
    assert all(a.status_code in (200, 201) for a in answers)
    assert not any(number in _text(a) for a in answers)
    assert number[:4] + "*" in _text(answers[0])


def test_the_delegation_table_names_contestants_for_the_organiser_and_the_delegation_only(
        app, client, organiser, nanchang, token):
    made = api_world.competition(app, organiser)
    entry = api_world.registered(app, made["event"])
    path = f"{API}/{made['competition']}/delegations"
    for headers, named in ((token(organiser), True), (nanchang, True),
                           (token("federation_officer", region_code="3607"), False)):
        cell = _ok(client.get(path, headers=headers))["rows"][0]["cells"][0]
        shown = cell["entries"][0]["contestants"]
        assert (shown == [entry["name"]]) if named else shown is None


# --- the marking side: codes until the lock --------------------------------------------------

def _coded_answers(client, event_id: int, headers: dict[str, str]) -> list[Any]:
    return [client.get(f"{API}/events/{event_id}/{part}", headers=headers)
            for part in ("marks", "completeness", "standings")]


def _names_in(text: str, world: dict[str, Any]) -> list[str]:
    words = [*world["names"], *world["delegations"], "南昌", "赣州", "景德镇", "萍乡"]
    return [w for w in words if w in text]


def test_marks_completeness_and_standings_are_by_code_until_the_lock(app, client, make,
                                                                     token, organiser):
    world = api_world.staged(app, make, "marked", organiser=organiser)
    boss = token(organiser)
    before = _coded_answers(client, world["event"], boss)
    assert [a.status_code for a in before] == [200, 200, 200]
    marks, review, board = (a.json for a in before)
    assert {e["code"] for e in marks["entries"]} == set(world["codes"])
    # Not even the entry's id, which the registration answers name.
    assert all(e["contestants"] is None and e["delegation"] is None and e["entry_id"] is None
               for e in [*marks["entries"], *board["lines"]])
    assert review["ready"] is True and board["lines"][0]["total"]
    for answer in before:
        assert _names_in(_text(answer), world) == [], answer.json
        assert not any(n in _text(answer) for n in world["numbers"])
    with app.app_context():
        event = db.session.get(Event, world["event"])
        chief = db.session.scalars(select(User).where(User.username == world["chief"])).one()
        marking.lock(event, chief, utcnow())
        db.session.commit()
    after = _coded_answers(client, world["event"], boss)
    assert all(e["contestants"] and e["entry_id"] for e in after[0].json["entries"])
    assert set(world["names"]) <= {n for line in after[2].json["lines"]
                                   for n in line["contestants"]}
    assert not any(n in _text(a) for a in after for n in world["numbers"])


def test_decoding_before_the_lock_is_refused_and_changes_nothing(app, client, make, token,
                                                                 organiser):
    world = api_world.staged(app, make, "marked", organiser=organiser)
    response = client.get(f"{API}/events/{world['event']}/decoded", headers=token(organiser))
    _refused(app, response, 409, "锁定评分后才能解密")
    assert _names_in(response.get_data(as_text=True), world) == []
    with app.app_context():
        assert db.session.get(Event, world["event"]).status == "drawn"


def test_completeness_before_the_draw_is_a_clear_409(app, client, organiser, token):
    made = api_world.competition(app, organiser)
    response = client.get(f"{API}/events/{made['event']}/completeness", headers=token(organiser))
    _refused(app, response, 409)


# --- corrections after the lock ---------------------------------------------------------

def _mark_value(app, mark_id: int) -> str:
    with app.app_context():
        return format(db.session.get(Mark, mark_id).value.normalize(), "f")


def test_a_correction_needs_a_valid_mark_a_reason_and_a_second_approver(app, client, make,
                                                                        token, organiser):
    world = api_world.staged(app, make, "locked", organiser=organiser)
    mark_id = api_world.mark_of(app, world["entries"][0], world["aspects"]["A"])
    first, second = token(world["arbitrator_1"]), token(world["arbitrator_2"])
    path = f"{API}/events/{world['event']}/corrections"
    for value, words in (("25", "满分"), ("17.3", "0.5")):
        asked = client.post(path, json={"mark_id": mark_id, "new_value": value,
                                        "reason": "录入错误"}, headers=first)
        _refused(app, asked, 400, *words)
    assert _count(app, Correction) == 0
    made = _ok(client.post(path, json={"mark_id": mark_id, "new_value": "17",
                                       "reason": "录入错误"}, headers=first), 201)
    assert (made["status"], made["old_value"], made["new_value"]) == ("pending", "18", "17")
    decide = f"{API}/corrections/{made['id']}/decide"
    _refused(app, client.post(decide, json={"approve": True}, headers=first), 400, "第二人")
    assert _mark_value(app, mark_id) == "18"
    assert _ok(client.get(path, headers=first))["items"][0]["status"] == "pending"
    approved = _ok(client.post(decide, json={"approve": True}, headers=second))
    assert approved["status"] == "approved" and _mark_value(app, mark_id) == "17"
    _refused(app, client.post(decide, json={"approve": False}, headers=second), 409)
    assert _mark_value(app, mark_id) == "17"


def test_a_correction_before_the_lock_is_refused(app, client, make, token, organiser):
    world = api_world.staged(app, make, "marked", organiser=organiser)
    mark_id = api_world.mark_of(app, world["entries"][0], world["aspects"]["A"])
    asked = client.post(f"{API}/events/{world['event']}/corrections", json={
        "mark_id": mark_id, "new_value": "17", "reason": "录入错误"},
        headers=token(world["arbitrator_1"]))
    _refused(app, asked, 409)
    assert _count(app, Correction) == 0 and _mark_value(app, mark_id) == "18"


def test_results_are_not_public_before_publication(app, client, make, organiser):
    world = api_world.staged(app, make, "locked", organiser=organiser)
    response = client.get(f"{API}/events/{world['event']}/results")
    _refused(app, response, 404, "尚未公布")
    assert _names_in(response.get_data(as_text=True), world) == []
    assert client.get(f"{API}/{world['competition']}/results").status_code == 404


def test_an_organiser_s_bad_competition_or_scheme_is_refused_and_nothing_is_made(
        app, client, organiser, token):
    boss = token(organiser)
    late = _competition_body(registration_closes=str(TODAY + timedelta(days=30)))
    _refused(app, client.post(API, json=late, headers=boss), 400, "报名")
    assert _count(app, Competition) == 0
    made = api_world.competition(app, organiser)
    path = f"{API}/{made['competition']}/events"
    off_step = [{"code": "A", "kind": "measurement", "max_mark": "20", "step": "3"}]
    _refused(app, client.post(path, json=_event_body(aspects=off_step), headers=boss), 400,
             "评分项 A", "整数倍")
    twice = _event_body(award_rule="ratio", award_ratios=[
        {"award": "一等奖", "percent": "10"}, {"award": "一等奖", "percent": "20"}])
    _refused(app, client.post(path, json=twice, headers=boss), 400, "一个获奖比例")
    nul = client.post(path, json=_event_body(name="按摩\u0000"), headers=boss)
    assert nul.status_code == 422
    assert _count(app, Event) == 1
    other = token("federation_officer", region_code="3607")
    assert client.post(path, json=_event_body(), headers=other).status_code == 403
