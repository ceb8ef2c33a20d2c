"""Consent for a person under 18 is their guardian's (issue 15; PIPL Art. 31): the form asks
for the guardian's name and relation, refuses without them, and the consent records them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import post_form, sign_in
from tests.core.test_registration import account_of, numbers, post
from tests.core.test_registration import form as registration_form
from trainhub.core.errors import Problems
from trainhub.core.privacy import consent
from trainhub.core.privacy.models import Consent
from trainhub.core.timeutil import local_today
from trainhub.extensions import db


def _minor_birth() -> date:
    today = local_today()
    return date(today.year - 16, 1, 1)


def _guardians(app) -> list[tuple[str | None, str | None, str]]:
    with app.app_context():
        return [
            tuple(r)
            for r in db.session.execute(
                select(Consent.guardian_name, Consent.guardian_relation, Consent.method)
            )
        ]


def test_adulthood_starts_on_the_18th_birthday():
    today = date(2026, 3, 2)
    assert consent.is_minor(date(2008, 3, 3), today)
    assert not consent.is_minor(date(2008, 3, 2), today)
    assert not consent.is_minor(None, today)
    assert consent.check_guardian(date(1990, 1, 1), None, today) is None  # nothing asked
    with pytest.raises(Problems) as missing:
        consent.check_guardian(date(2010, 1, 1), consent.Guardian("王芳", ""), today)
    assert [p.field for p in missing.value.each] == ["guardian_relation"]
    kept = consent.check_guardian(date(2010, 1, 1), consent.Guardian("王芳", "parent"), today)
    assert kept == consent.Guardian("王芳", "parent")


def test_staff_registering_a_minor_name_the_guardian_or_are_refused(app, client, make):
    sign_in(client, make.user("federation_officer", region_code="3601"))
    form = {
        "name": "小明",
        "id_number": make.id_number("360102", _minor_birth()),
        "household_region_code": "360102",
        "employment_status": "student",
        "consent": "y",
    }
    refused = post_form(client, "/people/new", form)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'id="guardian_name-error"' in html and 'id="guardian_relation-error"' in html
    assert "未满18周岁" in html or "under 18" in html
    assert _guardians(app) == []
    done = post_form(
        client, "/people/new", dict(form, guardian_name="王芳", guardian_relation="parent")
    )
    assert done.status_code == 302
    assert _guardians(app) == [("王芳", "parent", "paper")]
    with app.app_context():  # the person's own copy says who agreed for them
        from trainhub.core.people.models import Person
        from trainhub.core.privacy import copy

        data = copy.build(db.session.scalars(select(Person)).one())
    assert [(c["guardian_name"], c["guardian_relation"]) for c in data["consents"]] == [
        ("王芳", "parent")
    ]


def test_an_adult_is_not_asked_for_a_guardian(app, client, make):
    sign_in(client, make.user("federation_officer", region_code="3601"))
    form = {
        "name": "成年人",
        "id_number": make.id_number("360102"),
        "consent": "y",
        "household_region_code": "360102",
        "employment_status": "unemployed",
    }
    assert post_form(client, "/people/new", form).status_code == 302
    assert _guardians(app) == [(None, None, "paper")]


def test_a_minor_registering_names_their_guardian(app, client, make):
    id_number, cert = numbers(make, born=_minor_birth())
    refused = post(client, registration_form(id_number, cert))
    assert refused.status_code == 400
    assert 'id="guardian_relation-error"' in refused.get_data(as_text=True)
    assert account_of(app, "zhang.san") is None
    done = post(
        client, registration_form(id_number, cert, guardian_name="张父", guardian_relation="parent")
    )
    assert done.status_code == 302
    assert _guardians(app) == [("张父", "parent", "online")]


def test_a_minor_applying_for_a_course_names_their_guardian(app, client, make):
    from tests.training import builders
    from trainhub.training.models import Enrolment

    site = builders.certified_site(app, make)
    batch_id = builders.site_batch(app, site, status="enrolling")
    with app.app_context():
        person = builders.person("360102", born=_minor_birth())
        username = builders.user("trainee", person_id=person.id).username
        db.session.commit()
    sign_in(client, username)
    page = client.get(f"/training/courses/{batch_id}").get_data(as_text=True)
    assert 'name="guardian_name"' in page and 'name="guardian_relation"' in page
    path = f"/training/courses/{batch_id}/apply"
    refused = post_form(client, path, {"consent": "y"})
    assert refused.status_code == 400
    assert 'id="guardian_name-error"' in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Enrolment.id)).all() == []
    done = post_form(
        client, path, {"consent": "y", "guardian_name": "李母", "guardian_relation": "parent"}
    )
    assert done.status_code == 302
    assert _guardians(app) == [("李母", "parent", "online")]
    with app.app_context():
        assert len(db.session.scalars(select(Enrolment.id)).all()) == 1


def test_an_adult_trainee_is_not_shown_the_guardian_fields(app, client, make):
    from tests.training import builders

    site = builders.certified_site(app, make, trainee=True)
    batch_id = builders.site_batch(app, site, status="enrolling")
    sign_in(client, site["trainee"])
    page = client.get(f"/training/courses/{batch_id}").get_data(as_text=True)
    assert 'name="consent"' in page and 'name="guardian_name"' not in page
