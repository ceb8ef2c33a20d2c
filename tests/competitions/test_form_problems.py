"""Issue 12, item 3: the competition and event forms answer every problem in one round,
each linked from the error summary to its field."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.competitions import organise_world as world
from tests.conftest import post_form, sign_in
from trainhub.core.timeutil import local_today


@pytest.fixture
def people(make):
    return world.accounts(make)


def _summary_links(html: str) -> set[str]:
    summary = re.search(r'id="error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary"
    return set(re.findall(r'href="#([\w-]+)"', summary.group(0)))


def test_every_problem_of_a_competition_comes_back_in_one_answer(client, people):
    sign_in(client, people["organiser"])
    today = local_today()
    response = post_form(client, "/competitions/new", {
        "name": "", "venue": "", "registration_opens": today.isoformat(),
        "registration_closes": (today + timedelta(days=30)).isoformat(),
        "starts_on": (today + timedelta(days=20)).isoformat(),
        "ends_on": (today + timedelta(days=10)).isoformat()})
    assert response.status_code == 400
    assert _summary_links(response.get_data(as_text=True)) == {
        "name", "registration_closes", "ends_on"}


def test_every_problem_of_an_event_comes_back_in_one_answer(app, client, people):
    ids = world.competition(app, people["organiser"])
    sign_in(client, people["organiser"])
    path = f"/competitions/{ids['competition']}/events/new"
    data = world.event_form(("A", "操作", "measurement", "", "0", "1"), name="",
                            award_rule="ratio", first_share="", second_share="",
                            third_share="")
    data["occupation"] = ""
    response = post_form(client, path, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _summary_links(html) >= {"name", "occupation", "award_rule"}
    assert "评分方案无效" in html  # the scheme's problem, in the same answer


def test_a_refused_event_end_keeps_what_was_typed(app, client, make):
    """Issue 12, item 2: the scoreboard comes back with the time typed and the error on the
    missing day, not empty after a redirect."""
    from tests.competitions import judging_world

    built = judging_world.build(app, make, "marked")
    sign_in(client, built["organiser"])
    response = post_form(client, f"/competitions/events/{built['event']}/end",
                         {"day": "", "at": "17:30"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="17:30"' in html
    assert 'id="day-error"' in html and 'href="#day"' in html
