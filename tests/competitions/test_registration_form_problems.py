"""Issue 12, item 3: a team entered with several numbers that are of nobody of the city
says so for each number in one answer, beside its field and in the summary."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.competitions import organise_world as world
from tests.conftest import post_form, sign_in
from tests.form_problems import assert_each_beside_its_field
from trainhub.competitions.models import Entry
from trainhub.extensions import db


def test_every_unknown_number_of_a_team_comes_back_in_one_answer(app, client, make):
    people = world.accounts(make)
    ids = world.competition(app, people["organiser"], team_size=2)
    _elsewhere, other_city = world.person(app, "3602")
    nobody = "110101199003074673"  # a well-formed number of no one on record
    sign_in(client, people["nanchang"])
    event = ids["event"]
    response = post_form(client, f"/competitions/events/{event}/delegations/3601/entries",
                         {f"e{event}-numbers-0": other_city, f"e{event}-numbers-1": nobody})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_each_beside_its_field(html, {f"e{event}-numbers-0", f"e{event}-numbers-1"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Entry)) == 0


def test_every_rule_a_team_breaks_comes_back_in_one_answer(app, client, make):
    people = world.accounts(make)
    ids = world.competition(app, people["organiser"], team_size=2)
    _person, number = world.person(app, "3601", category=4)  # not of the event's category
    sign_in(client, people["nanchang"])
    event = ids["event"]
    response = post_form(client, f"/competitions/events/{event}/delegations/3601/entries",
                         {f"e{event}-numbers-0": number, f"e{event}-numbers-1": number})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = html[html.index('id="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert "须有 2 名不同的选手" in summary  # the team's size
    assert "不符合参赛条件" in summary and "残疾类别不在本项目允许范围内" in summary
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Entry)) == 0
