"""选拔: after publication the organiser selects contestants for a national or international
competition from the frozen ranking, with the reason; refused before publication, without a
reason or twice; withdrawn with a reason; shown on the contestant's own results page."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.competitions import judging_world
from tests.competitions.judging_world import CONTESTANT
from tests.conftest import post_form, sign_in
from trainhub.competitions import selection
from trainhub.competitions.models import Event, Selection
from trainhub.core.audit.models import AuditEntry
from trainhub.core.errors import DomainError
from trainhub.extensions import db


def _scoreboard(world: dict) -> str:
    return f"/competitions/events/{world['event']}/scoreboard"


def _selections(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Selection)) or 0


def _first_result(world: dict) -> int:
    return world["results"][world["entries"][0]]


def test_the_organiser_selects_a_published_contestant_who_then_sees_it(app, client, make):
    world = judging_world.build(app, make, "published")
    sign_in(client, world["organiser"])
    page = client.get(_scoreboard(world)).get_data(as_text=True)
    assert "选拔参加全国、国际竞赛的选手" in page and CONTESTANT in page
    answer = post_form(client, _scoreboard(world).replace("scoreboard", "selections"),
                       {"result_id": _first_result(world), "level": "national",
                        "reason": "第一名，技术全面"})
    assert answer.status_code == 302
    page = client.get(_scoreboard(world)).get_data(as_text=True)
    assert "第一名，技术全面" in page and "全国竞赛" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "competition.select")) == 1

    contestant = app.test_client()
    sign_in(contestant, world["trainee"])
    mine = contestant.get("/competitions/mine").get_data(as_text=True)
    assert "全国竞赛：第一名，技术全面" in mine


def test_refusals_leave_nothing_selected(app, make):
    world = judging_world.build(app, make, "locked")
    with app.app_context():
        event = db.session.get(Event, world["event"])
        organiser = judging_world._user(world["organiser"])
        for args, message in (
            (("national", "好"), "published"),  # not published yet
        ):
            try:
                selection.select_result(event, 1, *args, organiser)
            except DomainError as error:
                assert message in error.message
            else:
                raise AssertionError("selected before publication")
        db.session.rollback()
    assert _selections(app) == 0


def test_bad_choices_are_answered_on_the_form_and_a_second_selection_refused(app, client,
                                                                           make):
    world = judging_world.build(app, make, "published")
    sign_in(client, world["organiser"])
    path = _scoreboard(world).replace("scoreboard", "selections")
    first = _first_result(world)
    for data, field, expected in (
        ({"result_id": first, "level": "national", "reason": " "}, "reason", "必填"),
        ({"result_id": first, "level": "world", "reason": "好"}, "level", "不是有效的选择"),
        ({"result_id": 999999, "level": "national", "reason": "好"}, "result_id",
         "不是有效的选择"),
    ):
        answer = post_form(client, path, data)
        assert answer.status_code == 400, data
        errors = re.search(rf'id="{field}-error"[^>]*>(.*?)</div>',
                           answer.get_data(as_text=True), re.S)
        assert errors and expected in errors.group(1), (data, errors)
    assert _selections(app) == 0
    ok = {"result_id": first, "level": "international", "reason": "表现优异"}
    assert post_form(client, path, ok).status_code == 302
    again = post_form(client, path, ok)
    assert again.status_code == 400 and "已被选拔" in again.get_data(as_text=True)
    assert _selections(app) == 1


def test_a_selection_is_withdrawn_with_a_reason(app, client, make):
    world = judging_world.build(app, make, "published")
    sign_in(client, world["organiser"])
    post_form(client, _scoreboard(world).replace("scoreboard", "selections"),
              {"result_id": _first_result(world), "level": "national", "reason": "第一名"})
    with app.app_context():
        chosen = db.session.scalar(select(Selection.id))
    withdraw = f"/competitions/events/{world['event']}/selections/{chosen}/withdraw"
    post_form(client, withdraw, {f"withdraw-{chosen}-reason": ""})
    assert _selections(app) == 1  # no reason: kept
    post_form(client, withdraw, {f"withdraw-{chosen}-reason": "本人因伤放弃"})
    assert _selections(app) == 0
    with app.app_context():
        logged = db.session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "competition.select_withdraw")).all()
    assert [d["reason"] for d in logged] == ["本人因伤放弃"]


def test_the_chief_judge_sees_no_selection_form(app, client, make):
    world = judging_world.build(app, make, "published")
    sign_in(client, world["chief"])
    page = client.get(_scoreboard(world)).get_data(as_text=True)
    assert "/selections" not in page
    answer = post_form(client, _scoreboard(world).replace("scoreboard", "selections"),
                       {"result_id": _first_result(world), "level": "national",
                        "reason": "好"})
    assert answer.status_code == 403
    assert _selections(app) == 0


def test_the_selection_is_in_the_persons_timeline(app, client, make):
    world = judging_world.build(app, make, "published")
    with app.app_context():
        event = db.session.get(Event, world["event"])
        selection.select_result(event, _first_result(world), "international", "技能突出",
                                judging_world._user(world["organiser"]))
        db.session.commit()
    sign_in(client, world["trainee"])
    page = client.get("/people/me").get_data(as_text=True)
    assert "国际竞赛：技能突出" in page
