"""Corrections through the JSON API: PUT /api/v1/competitions/<id> and
/api/v1/competitions/events/<id> take the whole object as on creation and answer it
corrected; each refusal is answered in JSON with its status and nothing changed; the body
is checked strictly (422) and only the organiser reaches them. Messages new with these
operations are read in English (their msgids), until the catalog has them in Chinese."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.competitions import api_world
from tests.subsidies.api_builders import bearer_for
from trainhub.competitions import drawing
from trainhub.competitions.models import Competition, Event
from trainhub.core.accounts.models import User
from trainhub.core.audit.models import AuditEntry
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

API = "/api/v1/competitions"
TODAY = local_today()
STARTS = TODAY + timedelta(days=20)
SCHEME = api_world.SCHEME


@pytest.fixture
def organiser(make) -> str:
    return make.user("federation_officer", region_code="36")


@pytest.fixture
def boss(app, make, client, organiser) -> dict[str, str]:
    client.set_cookie("trainhub_lang", "en")
    return bearer_for(app, make, organiser)


def _competition_body(**changes: Any) -> dict[str, Any]:
    """What api_world's competition holds, as the API takes it."""
    return {"name": "南昌市残疾人职业技能竞赛", "venue": "南昌市",
            "registration_opens": str(TODAY - timedelta(days=5)),
            "registration_closes": str(TODAY + timedelta(days=10)),
            "starts_on": str(STARTS), "ends_on": str(STARTS + timedelta(days=2)), **changes}


def _event_body(**changes: Any) -> dict[str, Any]:
    """api_world's massage event, as the API takes it."""
    return {"name": "盲人保健按摩", "occupation": "保健按摩师", "quota": 10, "categories": [1],
            "grades": [], "age_reference_date": str(STARTS), "aspects": SCHEME, **changes}


def _stored(app, made: dict[str, int]) -> tuple[Any, ...]:
    with app.app_context():
        competition = db.session.get(Competition, made["competition"])
        event = db.session.get(Event, made["event"])
        return (competition.name, competition.registration_closes, event.name, event.quota,
                event.categories, [a.code for a in event.aspects],
                len(db.session.scalars(select(AuditEntry.id).where(AuditEntry.action.in_(
                    ("competition.update", "competition.event_update")))).all()))


def _refused(response: Any, status: int, words: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.json["status"] == status and words in response.json["message"], \
        response.json


def test_a_competition_is_corrected_and_answered(app, client, organiser, boss):
    made = api_world.competition(app, organiser)
    api_world.registered(app, made["event"], "3601")
    response = client.put(f"{API}/{made['competition']}", headers=boss, json=_competition_body(
        name="南昌市第二届残疾人职业技能竞赛", registration_closes=str(TODAY + timedelta(days=12))))
    assert response.status_code == 200, response.json
    assert (response.json["name"], response.json["registration_closes"]) == (
        "南昌市第二届残疾人职业技能竞赛", str(TODAY + timedelta(days=12)))
    assert [d["region_code"] for d in response.json["delegations"]] == ["3601"]
    assert client.get(f"{API}/{made['competition']}", headers=boss).json["name"] == \
        "南昌市第二届残疾人职业技能竞赛"
    assert _stored(app, made)[-1] == 1


def test_a_refused_competition_correction_changes_nothing(app, client, organiser, boss):
    made = api_world.competition(app, organiser)
    api_world.registered(app, made["event"], "3601")
    before = _stored(app, made)
    path = f"{API}/{made['competition']}"
    _refused(client.put(path, headers=boss, json=_competition_body(
        registration_closes=str(TODAY - timedelta(days=1)))), 400,
        "1 entries have been made: registration cannot close before today")
    assert client.put(path, headers=boss, json=_competition_body(
        organiser="someone")).status_code == 422  # a field it does not take
    assert client.put(path, headers=boss, json={"name": "只有名称"}).status_code == 422
    assert _stored(app, made) == before


def test_an_event_is_corrected_and_answered(app, client, organiser, boss):
    made = api_world.competition(app, organiser)
    scheme = [dict(SCHEME[0], max_mark="40"), {"code": "D", "kind": "judgement",
                                               "scale": "wsos", "max_mark": "60"}]
    response = client.put(f"{API}/events/{made['event']}", headers=boss, json=_event_body(
        quota=4, categories=[1, 2], aspects=scheme, award_rule="ratio",
        award_ratios=[{"award": "一等奖", "percent": "10"}]))
    assert response.status_code == 200, response.json
    answer = response.json
    assert (answer["quota"], answer["eligibility"]["categories"]) == (4, [1, 2])
    assert [(a["code"], a["max_mark"]) for a in answer["aspects"]] == [("A", "40"), ("D", "60")]
    assert answer["award_ratios"] == [{"award": "一等奖", "percent": "10"}]
    assert _stored(app, made)[3:6] == (4, [1, 2], ["A", "D"])


def test_refused_event_corrections_change_nothing(app, client, organiser, boss):
    made = api_world.competition(app, organiser)
    for _ in range(2):
        api_world.registered(app, made["event"], "3601")
    before = _stored(app, made)
    path = f"{API}/events/{made['event']}"
    _refused(client.put(path, headers=boss, json=_event_body(quota=1)), 400,
             "南昌市代表队 already has 2 entries in this event: the quota cannot be lower "
             "than 2 (1 asked)")
    _refused(client.put(path, headers=boss, json=_event_body(team_size=2)), 409,
             "2 entries have been made with 1 contestants each")
    _refused(client.put(path, headers=boss, json=_event_body(categories=[3])), 400,
             "2 registered or confirmed entries would no longer be eligible")
    off_step = [{"code": "A", "kind": "measurement", "max_mark": "20", "step": "3"}]
    _refused(client.put(path, headers=boss, json=_event_body(aspects=off_step)), 400,
             "not a multiple of the step")
    assert client.put(path, headers=boss, json=_event_body(aspects=[])).status_code == 422
    assert _stored(app, made) == before


def test_only_the_organiser_corrects(app, client, make, organiser):
    made = api_world.competition(app, organiser)
    before = _stored(app, made)
    city = bearer_for(app, make, "federation_officer", region_code="3601")
    assert client.put(f"{API}/{made['competition']}", headers=city,
                      json=_competition_body(name="改名")).status_code == 403
    assert client.put(f"{API}/events/{made['event']}", headers=city,
                      json=_event_body(name="改名")).status_code == 403
    assert client.put(f"{API}/events/{made['event']}",
                      json=_event_body(name="改名")).status_code == 401
    assert _stored(app, made) == before


def test_after_a_draw_the_event_and_the_window_are_a_409(app, client, organiser, boss):
    made = api_world.competition(app, organiser, closed=True)
    for city in ("3601", "3607", "3602"):
        api_world.registered(app, made["event"], city, confirm=True,
                             day=TODAY - timedelta(days=5))
    with app.app_context():
        event = db.session.get(Event, made["event"])
        drawing.draw(event, db.session.get(User, event.competition.created_by_id), TODAY)
        db.session.commit()
    before = _stored(app, made)
    _refused(client.put(f"{API}/events/{made['event']}", headers=boss,
                        json=_event_body(name="改名")), 409, "drawn or cancelled")
    window = _competition_body(registration_opens=str(TODAY - timedelta(days=20)),
                               registration_closes=str(TODAY + timedelta(days=1)))
    _refused(client.put(f"{API}/{made['competition']}", headers=boss, json=window), 409,
             "Registration has been closed for 盲人保健按摩")
    assert _stored(app, made) == before
    # Its name is not the window: it is still corrected.
    renamed = client.put(f"{API}/{made['competition']}", headers=boss, json=dict(
        window, name="更正后的名称", registration_closes=str(TODAY - timedelta(days=1))))
    assert renamed.status_code == 200 and renamed.json["name"] == "更正后的名称"
