"""Everyday staff work through the test client (issue 16 item 4): all present, then the
exceptions; enrolling one trainee by hand; QR check-in; the session calendars."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import post_form, sign_in
from tests.training import builders
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.training import batches
from trainhub.training.models import Attendance


@pytest.fixture
def site(app, make):
    return builders.certified_site(app, make, officer=True, trainee=True)


def running(app, site, trainees: int = 3, *, with_site_trainee: bool = False
            ) -> dict[str, object]:
    """A batch that began yesterday (one session a day), with admitted trainees (the site's
    own trainee last, when asked)."""
    from trainhub.training import enrolment
    today = local_today()
    with app.app_context():
        staff = db.session.query(User).filter_by(username=site["staff"]).one()
        start = today - timedelta(days=1)
        ran = builders.batch(db.session.get(builders.Base, site["base"]), staff,
                             start - timedelta(days=20), start=start, status="enrolling")
        admitted = builders.enrol(ran, trainees, staff)
        if with_site_trainee:
            own = db.session.query(User).filter_by(username=site["trainee"]).one()
            admitted.append(enrolment.apply(ran, own.person, staff))
        batches.start(ran, start)
        db.session.commit()
        return {"batch": ran.id, "sessions": [s.id for s in ran.sessions],
                "enrolments": [e.id for e in admitted], "people": [e.person_id for e in admitted]}


def test_all_present_then_the_exceptions(app, client, site):
    made = running(app, site)
    batch_id, first = made["batch"], made["sessions"][0]
    one, two, three = made["enrolments"]
    sign_in(client, site["staff"])
    sheet = f"/training/batches/{batch_id}/sessions/{first}/attendance"
    assert "/attendance/all-present" in client.get(sheet).get_data(as_text=True)
    response = post_form(client, sheet + "/all-present", {})
    assert response.status_code == 302 and response.headers["Location"].endswith(sheet)
    post_form(client, sheet, {f"mark-{one}": "present", f"mark-{two}": "absent",
                              f"mark-{three}": "present"})
    with app.app_context():
        marks = {a.enrolment_id: a.status for a in db.session.scalars(select(Attendance))}
    assert marks == {one: "present", two: "absent", three: "present"}


def test_all_present_on_a_session_not_begun_marks_nobody(app, client, site):
    made = running(app, site)
    batch_id, later = made["batch"], made["sessions"][-1]
    sign_in(client, site["staff"])
    response = post_form(client, f"/training/batches/{batch_id}/sessions/{later}"
                                 "/attendance/all-present", {})
    assert response.status_code == 302
    assert "该课次尚未进行" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Attendance)).all() == []


def test_staff_enrol_one_trainee_from_the_roster(app, client, site):
    from trainhub.cli.demo import make_resident_id
    from trainhub.training.models import Enrolment
    batch_id = builders.site_batch(app, site, status="enrolling")
    sign_in(client, site["staff"])
    roster = client.get(f"/training/batches/{batch_id}/roster").get_data(as_text=True)
    assert f"/training/batches/{batch_id}/enrol" in roster
    number = make_resident_id("360102", local_today().replace(year=1990), 41)
    data = {"name": "陈静", "id_number": number, "cert_number": f"{number}12",
            "household_region_code": "360102", "employment_status": "unemployed"}
    with app.app_context():
        people = len(db.session.scalars(select(builders.Person)).all())
    refused = post_form(client, f"/training/batches/{batch_id}/enrol", data)  # no consent
    assert refused.status_code == 400 and 'id="consent"' in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Enrolment)).all() == []
        assert len(db.session.scalars(select(builders.Person)).all()) == people
    done = post_form(client, f"/training/batches/{batch_id}/enrol", {**data, "consent": "y"})
    assert done.status_code == 302
    with app.app_context():
        (made,) = db.session.scalars(select(Enrolment)).all()
        assert (made.person.name, made.status, made.source) == ("陈静", "admitted", "staff")


def test_the_batch_and_trainee_calendars_download_as_ics(app, client, site):
    from icalendar import Calendar

    from trainhub.training import enrolment
    from trainhub.training.models import Batch
    batch_id = builders.site_batch(app, site, status="enrolling")
    with app.app_context():
        trainee = db.session.query(User).filter_by(username=site["trainee"]).one()
        staff = db.session.query(User).filter_by(username=site["staff"]).one()
        enrolment.apply(db.session.get(Batch, batch_id), trainee.person, staff)
        db.session.commit()
    sign_in(client, site["staff"])
    assert f"/training/batches/{batch_id}/sessions.ics" in client.get(
        f"/training/batches/{batch_id}").get_data(as_text=True)
    response = client.get(f"/training/batches/{batch_id}/sessions.ics")
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    assert len(Calendar.from_ical(response.data).walk("VEVENT")) == 5
    client.post("/logout", data={"csrf_token": ""})
    sign_in(client, site["trainee"])
    assert "/training/mine/sessions.ics" in client.get("/training/mine").get_data(as_text=True)
    mine = Calendar.from_ical(client.get("/training/mine/sessions.ics").data)
    assert len(mine.walk("VEVENT")) == 5


def test_qr_check_in_from_opening_to_confirmation(app, client, site, monkeypatch):
    import re

    from trainhub.training.models import Checkin
    from trainhub.training.views import everyday
    made = running(app, site, 1, with_site_trainee=True)
    batch_id, today_session = made["batch"], made["sessions"][1]
    mine = made["enrolments"][-1]
    moment = builders.local(local_today(), 9, 30)  # today's session has begun
    monkeypatch.setattr(everyday, "utcnow", lambda: moment)
    page = f"/training/batches/{batch_id}/sessions/{today_session}/checkin"
    sign_in(client, site["staff"])
    assert page in client.get(f"/training/batches/{batch_id}/attendance").get_data(as_text=True)
    assert "<svg" not in client.get(page).get_data(as_text=True)  # off until opened
    post_form(client, page + "/open", {})
    shown = client.get(page).get_data(as_text=True)
    assert "<svg" in shown and "checkin-code.js" in shown
    link = re.search(r'href="http://[^"]*(/training/checkin/[^"]+)"', shown).group(1)
    sign_in(client, site["trainee"])
    assert client.get(link).status_code == 200
    assert post_form(client, link, {}).status_code == 302
    again = post_form(client, link, {})
    assert again.status_code == 400
    sign_in(client, site["staff"])
    post_form(client, page + "/confirm", {})
    with app.app_context():
        (row,) = db.session.scalars(select(Checkin)).all()
        assert row.enrolment_id == mine and row.confirmed_at == moment
        assert {a.enrolment_id: a.status for a in db.session.scalars(select(Attendance))} == {
            mine: "present"}
    post_form(client, f"/training/batches/{batch_id}/checkin/close", {})
    sign_in(client, site["trainee"])
    refused = client.get(link)
    assert refused.status_code == 400 and "<form" not in refused.get_data(as_text=True).split(
        "<main")[-1].split("</main>")[0]
