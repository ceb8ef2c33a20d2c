"""A new version of the notice asks signed-in trainees for consent again (issue 15): once
per sign-in, before the page they asked for; agreeing records the new version."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import post_form, sign_in
from tests.core.privacy_world import consented
from tests.training import builders
from trainhub.core.accounts.models import User
from trainhub.core.privacy import notice
from trainhub.core.privacy.models import Consent
from trainhub.extensions import db

OLD = notice.CURRENT.version
NEW = dataclasses.replace(
    notice.CURRENT,
    version="2027-1",
    published=date(2027, 1, 1),
    title="敏感个人信息处理告知书（新版）",
)


@pytest.fixture
def trainee(app, make):
    """A trainee whose consent in force names the notice of today; then the notice changes."""
    site = builders.certified_site(app, make, trainee=True)
    with app.app_context():
        person_id = db.session.scalars(
            select(User.person_id).where(User.username == site["trainee"])
        ).one()
        consented(person_id)
        db.session.commit()
    return site["trainee"], person_id


@pytest.fixture
def new_notice(monkeypatch):
    monkeypatch.setattr(notice, "CURRENT", NEW)
    monkeypatch.setitem(notice.NOTICES, NEW.version, NEW)


def _versions(app, person_id: int) -> list[tuple[str, str, bool]]:
    with app.app_context():
        return [
            (c.notice_version, c.method, c.withdrawn_at is None)
            for c in db.session.scalars(
                select(Consent).where(Consent.person_id == person_id).order_by(Consent.id)
            )
        ]


def test_without_a_new_notice_nobody_is_asked(app, client, trainee):
    sign_in(client, trainee[0])
    assert client.get("/people/me").status_code == 200


def test_a_new_notice_is_asked_before_the_page_and_agreeing_records_it(
    app, client, trainee, new_notice
):
    username, person_id = trainee
    sign_in(client, username)
    response = client.get("/people/me?x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/privacy/renew?next=/people/me?x%3D1"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert NEW.title in page and OLD in page and "2027-1" in page
    assert 'name="consent"' in page and 'value="later"' in page
    refused = post_form(client, "/account/privacy/renew", {"answer": "agree", "next": "/people/me"})
    assert refused.status_code == 400 and 'id="consent-error"' in refused.get_data(as_text=True)
    done = post_form(
        client, "/account/privacy/renew", {"answer": "agree", "consent": "y", "next": "/people/me"}
    )
    assert done.status_code == 302 and done.headers["Location"] == "/people/me"
    assert _versions(app, person_id) == [(OLD, "paper", True), ("2027-1", "online", True)]
    assert client.get("/people/me").status_code == 200


def test_not_now_keeps_the_old_consent_and_asks_once_per_sign_in(app, client, trainee, new_notice):
    username, person_id = trainee
    sign_in(client, username)
    assert client.get("/").status_code == 302
    later = post_form(
        client, "/account/privacy/renew", {"answer": "later", "next": "//evil.example"}
    )
    assert later.status_code == 302 and later.headers["Location"] == "/"  # same-site only
    assert client.get("/").status_code == 200 and client.get("/people/me").status_code == 200
    assert _versions(app, person_id) == [(OLD, "paper", True)]
    again = app.test_client()
    sign_in(again, username)
    assert again.get("/").status_code == 302  # the next sign-in asks again


def test_staff_and_own_data_pages_are_not_held_back(app, client, make, trainee, new_notice):
    sign_in(client, trainee[0])
    assert client.get("/account/privacy").status_code == 200  # to withdraw instead
    officer = app.test_client()
    sign_in(officer, make.user("federation_officer", region_code="3601"))
    assert officer.get("/").status_code == 200


def test_an_application_after_a_new_notice_asks_for_the_new_consent(
    app, client, make, trainee, new_notice
):
    """A consent to the older notice does not cover a new application (it did): the course
    page asks, an application without the box ticked is refused, and ticking it records
    consent to the notice in force before the application goes through."""
    username, person_id = trainee
    site = builders.certified_site(app, make)
    batch_id = builders.site_batch(app, site, status="enrolling")
    sign_in(client, username)
    post_form(client, "/account/privacy/renew", {"answer": "later", "next": "/"})
    page = client.get(f"/training/courses/{batch_id}").get_data(as_text=True)
    assert 'name="consent"' in page.split('id="apply"')[1]
    refused = post_form(client, f"/training/courses/{batch_id}/apply", {})
    assert refused.status_code == 400 and 'id="consent-error"' in refused.get_data(as_text=True)
    assert _versions(app, person_id) == [(OLD, "paper", True)]
    applied = post_form(client, f"/training/courses/{batch_id}/apply", {"consent": "y"})
    assert applied.status_code == 302 and applied.headers["Location"] == "/training/mine"
    assert _versions(app, person_id) == [(OLD, "paper", True), ("2027-1", "online", True)]


def test_staff_enrolling_by_hand_confirm_the_new_paper_notice(app, make, trainee, new_notice):
    """By hand, a person whose consent names the older notice needs the staff's word that
    they signed the new one."""
    from trainhub.core.errors import DomainError
    from trainhub.core.people.services import PersonInput
    from trainhub.core.privacy import consent
    from trainhub.core.timeutil import local_today
    from trainhub.training import by_hand
    from trainhub.training.models import Batch

    _username, person_id = trainee
    site = builders.certified_site(app, make)
    batch_id = builders.site_batch(app, site, status="enrolling")
    with app.app_context():
        from trainhub.core.people.models import EmploymentStatus, Person

        person = db.session.get(Person, person_id)
        staff = db.session.scalars(select(User).where(User.username == site["staff"])).one()
        data = PersonInput(name=person.name, id_number=person.id_number,
                           cert_number=person.cert_number, phone=person.phone,
                           household_region_code=person.household_region_code,
                           employment_status=EmploymentStatus(person.employment_status))
        with pytest.raises(DomainError) as refused:
            by_hand.enrol_one(db.session.get(Batch, batch_id), data, staff, local_today(),
                              consented=False)
        assert "consent" in {p.field for p in refused.value.each}
        assert consent.current(person_id) is None and consent.active(person_id) is not None
