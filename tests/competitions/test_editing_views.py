"""The organisers' correction pages through the test client: the create forms filled in
with what is stored, linked from the competition and event pages for the organiser only; a
correction saved and said; a refused one shown beside the form (400) with nothing changed.
Messages new with these pages are read in English (their msgids), until the catalog has
them in Chinese."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.competitions import organise_world as world
from tests.conftest import post_form, sign_in
from trainhub.competitions import drawing
from trainhub.competitions.models import Aspect, Competition, Event
from trainhub.core.accounts.models import User
from trainhub.core.audit.models import AuditEntry
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

TODAY = local_today()


@pytest.fixture
def people(make):
    return world.accounts(make)


def _html(response: Any, status: int = 200) -> str:
    assert response.status_code == status, (response.status_code,
                                            response.get_data(as_text=True)[-3000:])
    return response.get_data(as_text=True)


def _competition_form(**changes: str) -> dict[str, str]:
    """What the competition of organise_world holds, as its form posts it."""
    starts = TODAY + timedelta(days=20)
    data = {"name": "江西省第七届残疾人职业技能竞赛", "venue": "南昌市",
            "registration_opens": str(TODAY - timedelta(days=5)),
            "registration_closes": str(TODAY + timedelta(days=10)),
            "starts_on": str(starts), "ends_on": str(starts + timedelta(days=2))}
    data.update(changes)
    return data


MASSAGE_ROWS = (("A", "操作规范（测量）", "measurement", "", "20", "0.5"),
                ("B", "手法（评价 0–3）", "judgement", "wsos", "30", ""),
                ("C", "沟通与服务（评分）", "judgement", "points", "50", "0.5"))


def _event_form(**changes: object) -> dict[str, object]:
    """The massage event of organise_world as its form posts it, with `changes`."""
    return world.event_form(*MASSAGE_ROWS, **{
        "age_reference_date": str(TODAY + timedelta(days=20)), **changes})


def _competition(app, competition_id: int) -> tuple[Any, ...]:
    with app.app_context():
        made = db.session.get(Competition, competition_id)
        return (made.name, made.venue, made.registration_closes, made.starts_on)


def _event(app, event_id: int) -> tuple[Any, ...]:
    with app.app_context():
        found = db.session.get(Event, event_id)
        return (found.name, found.quota, found.categories,
                [(a.code, a.max_mark) for a in found.aspects])


def _audits(app, action: str) -> int:
    with app.app_context():
        return len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action))
                   .all())


def test_the_organiser_corrects_the_competition_on_its_filled_in_form(app, client, people):
    ids = world.competition(app, people["organiser"])
    sign_in(client, people["organiser"])
    client.set_cookie("trainhub_lang", "en")
    page = f"/competitions/{ids['competition']}"
    assert f'href="{page}/edit"' in _html(client.get(page))
    form = _html(client.get(f"{page}/edit"))
    assert 'value="南昌市"' in form and f'value="{TODAY + timedelta(days=10)}"' in form
    assert 'aria-describedby="correction-rules"' in form
    response = post_form(client, f"{page}/edit", _competition_form(
        name="江西省第七届残疾人职业技能大赛", venue="九江市"))
    assert response.headers["Location"] == page
    assert "The competition has been corrected." in _html(client.get(page))
    assert _competition(app, ids["competition"])[:2] == ("江西省第七届残疾人职业技能大赛", "九江市")
    assert _audits(app, "competition.update") == 1


def test_a_refused_competition_correction_is_shown_beside_the_form(app, client, people):
    ids = world.competition(app, people["organiser"])
    world.entries(app, ids["event"], ("3601",))
    before = _competition(app, ids["competition"])
    sign_in(client, people["organiser"])
    client.set_cookie("trainhub_lang", "en")
    path = f"/competitions/{ids['competition']}/edit"
    html = _html(post_form(client, path, _competition_form(
        registration_closes=str(TODAY - timedelta(days=1)))), 400)
    assert "1 entries have been made: registration cannot close before today" in html
    assert 'class="alert alert-danger"' in html
    # The rules of creation, in the Chinese they already have.
    client.set_cookie("trainhub_lang", "zh_Hans_CN")
    html = _html(post_form(client, path, _competition_form(starts_on=str(TODAY))), 400)
    assert "报名须在竞赛开始前开始并截止" in html
    assert _competition(app, ids["competition"]) == before
    assert _audits(app, "competition.update") == 0


def test_the_organiser_corrects_an_event_and_its_scheme(app, client, people):
    ids = world.competition(app, people["organiser"])
    sign_in(client, people["organiser"])
    client.set_cookie("trainhub_lang", "en")
    page = f"/competitions/events/{ids['event']}"
    assert f'href="{page}/edit"' in _html(client.get(page))
    form = _html(client.get(f"{page}/edit"))
    assert 'id="aspects-2-code"' in form and 'value="C"' in form and 'value="50.00"' in form
    assert re.search(r'<input checked [^>]*id="categories-0"', form)  # category 1
    assert not re.search(r'<input checked [^>]*id="categories-1"', form)
    response = post_form(client, f"{page}/edit", _event_form(
        name="保健按摩", quota="4", **{"aspects-2-code": "", "aspects-2-title": "",
                                     "aspects-2-max_mark": "", "aspects-1-max_mark": "80"}))
    assert response.headers["Location"] == page
    assert "The event has been corrected." in _html(client.get(page))
    assert _event(app, ids["event"]) == ("保健按摩", 4, [1], [("A", 20), ("B", 80)])


def test_saving_the_form_unchanged_says_so_and_audits_nothing(app, client, people):
    ids = world.competition(app, people["organiser"])
    sign_in(client, people["organiser"])
    client.set_cookie("trainhub_lang", "en")
    page = f"/competitions/events/{ids['event']}"
    post_form(client, f"{page}/edit", _event_form())
    assert "Nothing was changed." in _html(client.get(page))
    assert _audits(app, "competition.event_update") == 0


def test_an_event_correction_that_would_exclude_entries_is_refused(app, client, people):
    ids = world.competition(app, people["organiser"])
    world.entries(app, ids["event"], ("3601", "3607"))
    before = _event(app, ids["event"])
    sign_in(client, people["organiser"])
    client.set_cookie("trainhub_lang", "en")
    path = f"/competitions/events/{ids['event']}/edit"
    html = _html(post_form(client, path, _event_form(categories=["2"], quota="5")), 400)
    assert "2 registered or confirmed entries would no longer be eligible" in html
    assert 'value="5"' in html  # what was typed is kept
    assert _event(app, ids["event"]) == before


def test_add_another_aspect_on_the_correction_page_saves_nothing(app, client, people):
    ids = world.competition(app, people["organiser"])
    before = _event(app, ids["event"])
    sign_in(client, people["organiser"])
    path = f"/competitions/events/{ids['event']}/edit"
    html = _html(post_form(client, path, _event_form(name="新名称", add_aspect="1")))
    assert 'id="aspects-3-code"' in html and 'value="新名称"' in html
    assert _event(app, ids["event"]) == before


def test_a_drawn_event_has_no_correction_link_and_refuses_one(app, client, people):
    ids = world.competition(app, people["organiser"], closed=True)
    world.entries(app, ids["event"], ("3601", "3607", "3602"),
                  when=TODAY - timedelta(days=3))
    with app.app_context():
        event = db.session.get(Event, ids["event"])
        organiser = db.session.get(User, event.competition.created_by_id)
        drawing.draw(event, organiser, TODAY)
        db.session.commit()
    before = _event(app, ids["event"])
    sign_in(client, people["organiser"])
    client.set_cookie("trainhub_lang", "en")
    page = f"/competitions/events/{ids['event']}"
    assert f"{page}/edit" not in _html(client.get(page))
    html = _html(post_form(client, f"{page}/edit", _event_form(name="保健按摩")), 400)
    assert "This event has been drawn or cancelled" in html
    assert _event(app, ids["event"]) == before
    with app.app_context():
        assert db.session.scalar(select(Aspect.id).where(Aspect.event_id == ids["event"]))


def test_others_neither_see_nor_reach_the_correction_pages(app, client, people):
    ids = world.competition(app, people["organiser"])
    sign_in(client, people["nanchang"])
    competition = f"/competitions/{ids['competition']}"
    event = f"/competitions/events/{ids['event']}"
    assert "/edit" not in _html(client.get(competition))
    assert "/edit" not in _html(client.get(event))
    assert client.get(f"{competition}/edit").status_code == 403
    assert client.get(f"{event}/edit").status_code == 403
    response = post_form(client, f"{event}/edit", _event_form(name="改名"))
    assert response.status_code == 403
    assert _event(app, ids["event"])[0] == "盲人保健按摩"
