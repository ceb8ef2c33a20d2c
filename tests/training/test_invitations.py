"""Enrolling by ID number needs the person's consent (issue 12, item 7): with the number
alone the person is asked on their own page and the staff learn nothing (an unknown number
and a registered one get the same answer); with the activation code the person holds they
are enrolled at once; every lookup is audited and throttled per account."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import post_form, sign_in
from tests.core.privacy_world import consented
from tests.limited_app import limited_app
from tests.training import builders
from tests.training.api_world import API, CODES, bearer, people
from trainhub.core.accounts.models import User
from trainhub.core.audit.models import AuditEntry
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.training.models import Batch, Enrolment, Invitation

UNKNOWN = "11010519491231002X"


@pytest.fixture
def site(app, make):
    with app.app_context():
        owner = builders.institution("360102")
        staff = builders.user("institution_staff", institution_id=owner.id)
        base = builders.base(owner)
        made = builders.batch(base, staff, local_today(), status="enrolling")
        ids = {"batch": made.id, "staff_id": staff.id}
        ids["headers"] = bearer(staff)
        db.session.commit()
    return ids


def _post(app, site, body):
    return app.test_client().post(f"{API}/batches/{site['batch']}/enrolments", json=body,
                                  headers=site["headers"])


def _count(app, model, *where) -> int:
    with app.app_context():
        return len(db.session.scalars(select(model).where(*where)).all())


def test_an_unknown_and_a_registered_number_get_the_same_answer(app, site):
    [number] = people(app, 1)
    unknown, known = _post(app, site, {"id_number": UNKNOWN}), _post(
        app, site, {"id_number": number})
    assert (unknown.status_code, known.status_code) == (202, 202)
    assert unknown.get_data() == known.get_data()
    assert _count(app, Enrolment, Enrolment.batch_id == site["batch"]) == 0
    with app.app_context():
        asked = db.session.scalars(select(Invitation)).all()
        assert [(i.batch_id, i.status) for i in asked] == [(site["batch"], "pending")]
        lookups = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "training_enrolment.lookup")).all()
        assert [e.details["outcome"] for e in lookups] == ["unknown", "asked"]
        assert all(e.actor_id == site["staff_id"] for e in lookups)
        assert all(UNKNOWN not in str(e.details) and number not in str(e.details)
                   for e in lookups)
    again = _post(app, site, {"id_number": number})  # asking twice is the same answer
    assert again.get_data() == known.get_data()


def test_with_the_persons_activation_code_they_are_enrolled_at_once(app, site):
    mine, other = people(app, 2)
    wrong = _post(app, site, {"id_number": mine, "activation_code": CODES[other]})
    unknown = _post(app, site, {"id_number": UNKNOWN, "activation_code": CODES[other]})
    assert (wrong.status_code, unknown.status_code) == (400, 400)
    assert wrong.get_json()["message"] == unknown.get_json()["message"]
    assert _count(app, Enrolment, Enrolment.batch_id == site["batch"]) == 0
    # Without the person's signed paper consent (PIPL Art. 29) nobody is enrolled.
    unconsented = _post(app, site, {"id_number": mine, "activation_code": CODES[mine]})
    assert unconsented.status_code in (400, 422), unconsented.get_data(as_text=True)
    assert _count(app, Enrolment, Enrolment.batch_id == site["batch"]) == 0
    done = _post(app, site, {"id_number": mine, "activation_code": CODES[mine],
                         "paper_consent": True})
    assert (done.status_code, done.get_json()["status"]) == (201, "admitted")


def test_the_person_confirms_or_declines_on_their_page(app, make, site):
    with app.app_context():
        person = builders.person()
        other = builders.batch(db.session.get(Batch, site["batch"]).base,
                               db.session.get(User, site["staff_id"]), local_today(),
                               start=local_today() + timedelta(days=40),
                               status="enrolling")
        consented(person.id)  # confirming is an application: it needs consent
        ids = (person.id, person.id_number, other.id)
        db.session.commit()
    person_id, number, other_id = ids
    _post(app, site, {"id_number": number})
    app.test_client().post(f"{API}/batches/{other_id}/enrolments", json={"id_number": number},
                           headers=site["headers"])
    client = app.test_client()
    sign_in(client, make.user("trainee", person_id=person_id))
    page = client.get("/training/mine").get_data(as_text=True)
    assert "确认报名" in page and page.count('id="invitation-') == 2
    with app.app_context():
        first, second = (i.id for i in db.session.scalars(
            select(Invitation).order_by(Invitation.id)))
    post_form(client, f"/training/mine/invitations/{first}/accept", {})
    post_form(client, f"/training/mine/invitations/{second}/decline", {})
    with app.app_context():
        made = db.session.scalars(select(Enrolment).where(
            Enrolment.person_id == person_id)).all()
        assert [(e.batch_id, e.status) for e in made] == [(site["batch"], "admitted")]
        assert [i.status for i in db.session.scalars(
            select(Invitation).order_by(Invitation.id))] == ["accepted", "declined"]
    assert 'id="invitation-' not in client.get("/training/mine").get_data(as_text=True)


def test_another_trainee_cannot_answer_an_invitation(app, make, site):
    with app.app_context():
        person = builders.person()
        db.session.commit()
        number = person.id_number
    _post(app, site, {"id_number": number})
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    client = app.test_client()
    sign_in(client, make.user("trainee"))
    assert post_form(client, f"/training/mine/invitations/{invitation_id}/accept",
                     {}).status_code == 404
    assert _count(app, Enrolment, Enrolment.batch_id == site["batch"]) == 0


# --- throttling per account ----------------------------------------------------------------

@pytest.fixture
def throttled(tmp_path: Path) -> Iterator[Flask]:
    with limited_app(tmp_path, ID_LOOKUP_RATE_LIMIT="3 per minute") as app:
        yield app


def test_lookups_are_throttled_per_account(throttled):
    with throttled.app_context():
        one, two = (builders.user("institution_staff", institution_id=builders.institution().id)
                    for _ in range(2))
        first, second = bearer(one), bearer(two)
        db.session.commit()
    client = throttled.test_client()

    def post(headers):
        return client.post(f"{API}/batches/999999/enrolments", json={"id_number": UNKNOWN},
                           headers=headers).status_code

    assert [post(first) for _ in range(4)] == [404, 404, 404, 429]
    assert post(second) == 404  # another account, from the same address
    # A city officer registering contestants by number is throttled the same way.
    with throttled.app_context():
        officer = builders.user("federation_officer", region_code="3601")
        officer_headers = bearer(officer)
        db.session.commit()
    registered = [client.post("/api/v1/competitions/events/999999/delegations/3601/entries",
                              json={"id_numbers": [UNKNOWN]},
                              headers=officer_headers).status_code for _ in range(4)]
    assert registered == [404, 404, 404, 429]


def test_staff_enrolling_a_minor_by_code_name_the_guardian_who_signed(app, site):
    from datetime import date

    from trainhub.core.accounts import activation
    from trainhub.core.accounts.claims import claim_settings_from
    from trainhub.core.privacy.models import Consent
    from trainhub.core.timeutil import utcnow

    with app.app_context():
        today = local_today()
        minor = builders.person("360102", born=date(today.year - 17, 1, 1))
        _row, code = activation.issue(minor, db.session.get(User, site["staff_id"]),
                                      claim_settings_from(app.config), utcnow())
        number, person_id = minor.id_number, minor.id
        db.session.commit()
    body = {"id_number": number, "activation_code": code, "paper_consent": True}
    refused = _post(app, site, body)
    assert refused.status_code in (400, 422), refused.get_data(as_text=True)
    assert "18" in refused.get_data(as_text=True)
    assert _count(app, Enrolment, Enrolment.batch_id == site["batch"]) == 0
    done = _post(app, site, {**body, "guardian_name": "王芳", "guardian_relation": "parent"})
    assert done.status_code == 201, done.get_data(as_text=True)
    with app.app_context():
        rows = db.session.execute(select(Consent.guardian_name, Consent.guardian_relation,
                                         Consent.method).where(
            Consent.person_id == person_id)).all()
    assert [tuple(r) for r in rows] == [("王芳", "parent", "paper")]
