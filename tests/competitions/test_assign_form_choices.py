"""Issue 12, item 3: the judge assignment form offers the chief judge box only while the
event has no chief judge (a second one can never be assigned)."""

from __future__ import annotations

from tests.competitions import organise_world as world
from tests.conftest import sign_in
from trainhub.competitions import judging
from trainhub.competitions.models import Event, Judge
from trainhub.extensions import db


def test_the_chief_box_is_offered_only_while_the_event_has_no_chief(app, client, make):
    people = world.accounts(make)
    ids = world.competition(app, people["organiser"])
    sign_in(client, people["organiser"])
    page = f"/competitions/events/{ids['event']}/judges"
    with app.app_context():
        chief = make.get_user(make.user("chief_judge"))
        judge = make.get_user(people["judge"])
        first = judging.register_judge(chief, "裁判长", "3605", None, [])
        judging.register_judge(judge, "裁判", "3601", None, [])
        db.session.commit()
        first_id = first.id
    assert 'name="chief"' in client.get(page).get_data(as_text=True)
    with app.app_context():
        judging.assign(db.session.get(Event, ids["event"]),
                       db.session.get(Judge, first_id), True)
        db.session.commit()
    html = client.get(page).get_data(as_text=True)
    assert 'name="judge_id"' in html and 'name="chief"' not in html
