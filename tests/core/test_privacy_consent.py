"""PIPL consent (issue 15 item 5): asked beside the versioned Chinese notice, recorded with
what, which version, how, by whom and when; withdrawn from one's own page; each audited."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import post_form, sign_in
from tests.core.privacy_world import consented
from tests.training import builders
from trainhub.core.accounts.models import User
from trainhub.core.audit.models import AuditEntry
from trainhub.core.privacy.models import Consent
from trainhub.core.privacy.notice import CURRENT
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.training.models import Batch, Enrolment


def _site(app, make) -> tuple[dict, int, int]:
    site = builders.certified_site(app, make, trainee=True)
    batch_id = builders.site_batch(app, site, status="enrolling")
    with app.app_context():
        person_id = db.session.query(User).filter_by(username=site["trainee"]).one().person_id
    return site, batch_id, person_id


def _consents(app, person_id: int) -> list[tuple[str, str, int | None, bool]]:
    with app.app_context():
        return [(c.method, c.notice_version, c.recorded_by_id, c.withdrawn_at is not None)
                for c in db.session.scalars(select(Consent).where(
                    Consent.person_id == person_id).order_by(Consent.id))]


def _actions(app, prefix: str = "privacy.") -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.startswith(prefix)).order_by(AuditEntry.id)))


def test_the_course_page_shows_the_chinese_notice_and_an_unticked_box(app, client, make):
    site, batch_id, _ = _site(app, make)
    sign_in(client, site["trainee"])
    page = client.get(f"/training/courses/{batch_id}").get_data(as_text=True)
    assert CURRENT.title in page and 'lang="zh-Hans"' in page
    assert 'name="consent"' in page and 'type="checkbox"' in page and "checked" not in \
        page.split('name="consent"')[1].split(">")[0]
    assert f"（{CURRENT.version}）" in page


def test_applying_without_ticking_is_refused_on_the_field_and_enrols_no_one(app, client, make):
    site, batch_id, person_id = _site(app, make)
    sign_in(client, site["trainee"])
    response = post_form(client, f"/training/courses/{batch_id}/apply", {})
    assert response.status_code == 400
    assert 'id="consent-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Enrolment.id)) is None
    assert _consents(app, person_id) == []


def test_ticking_records_consent_with_version_method_and_who_then_applies(app, client, make):
    site, batch_id, person_id = _site(app, make)
    sign_in(client, site["trainee"])
    response = post_form(client, f"/training/courses/{batch_id}/apply", {"consent": "y"})
    assert response.status_code == 302
    with app.app_context():
        user_id = db.session.query(User).filter_by(username=site["trainee"]).one().id
        assert db.session.scalar(select(Enrolment.person_id)) == person_id
    assert _consents(app, person_id) == [("online", CURRENT.version, user_id, False)]
    assert _actions(app) == ["privacy.consent_give"]
    # Consent in force: the next course page asks no more.
    other = builders.site_batch(app, site, status="enrolling",
                                start=local_today() + timedelta(days=60))
    assert 'name="consent"' not in client.get(f"/training/courses/{other}").get_data(
        as_text=True)


def test_withdrawing_is_audited_and_the_next_application_asks_again(app, client, make):
    site, batch_id, person_id = _site(app, make)
    with app.app_context():
        consent_id = consented(person_id).id
        db.session.commit()
    sign_in(client, site["trainee"])
    page = client.get("/account/privacy").get_data(as_text=True)
    assert "撤回" in page and CURRENT.title in page
    post_form(client, f"/account/privacy/consents/{consent_id}/withdraw", {})
    assert _consents(app, person_id)[0][3] is True
    assert _actions(app) == ["privacy.consent_withdraw"]
    refused = post_form(client, f"/training/courses/{batch_id}/apply", {})
    assert refused.status_code == 400
    post_form(client, "/account/privacy/consent", {"consent": "y"})
    assert [c[3] for c in _consents(app, person_id)] == [True, False]


def test_another_persons_consent_cannot_be_withdrawn(app, client, make):
    site, _, person_id = _site(app, make)
    with app.app_context():
        consent_id = consented(person_id).id
        db.session.commit()
    sign_in(client, make.user("trainee"))
    response = post_form(client, f"/account/privacy/consents/{consent_id}/withdraw", {})
    assert response.status_code == 404
    assert _consents(app, person_id)[0][3] is False


def test_confirming_an_invitation_needs_consent(app, client, make):
    from trainhub.core.people.models import Person
    from trainhub.core.timeutil import utcnow
    from trainhub.training import invitations

    site, batch_id, person_id = _site(app, make)
    with app.app_context():
        staff = db.session.query(User).filter_by(username=site["staff"]).one()
        number = db.session.get(Person, person_id).id_number
        invitations.enrol_by_number(db.session.get(Batch, batch_id), number, staff, utcnow())
        db.session.commit()
    sign_in(client, site["trainee"])
    mine = client.get("/training/mine").get_data(as_text=True)
    assert "/accept" not in mine and f"/training/courses/{batch_id}#apply" in mine


def test_registration_asks_for_consent_and_records_it(app, client, make):
    from tests.core.test_registration import form, numbers, post

    page = client.get("/register").get_data(as_text=True)
    assert CURRENT.title in page and 'name="consent"' in page
    id_number, cert = numbers(make)
    unticked = form(id_number, cert)
    del unticked["consent"]
    refused = post(client, unticked)
    assert refused.status_code == 400 and 'id="consent-error"' in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.username == "zhang.san")) is None
    assert post(client, form(id_number, cert)).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "zhang.san"))
        assert user is not None
        person_id, user_id = user.person_id, user.id
    assert _consents(app, person_id) == [("online", CURRENT.version, user_id, False)]


def test_staff_enrolling_by_code_record_the_paper_consent_or_are_refused(app):
    # The API path: tests/training/test_invitations.py; here the service.
    from trainhub.core.errors import DomainError
    from trainhub.core.privacy import consent
    from trainhub.core.privacy.models import Method

    with app.app_context():
        person = builders.person()
        staff = builders.user("federation_officer", region_code="360102")
        try:
            consent.ensure(person, staff, ticked=False, method=Method.PAPER)
        except DomainError as refused:
            assert refused.field == "consent"
        else:
            raise AssertionError("enrolled without consent")
        consent.ensure(person, staff, ticked=True, method=Method.PAPER)
        made = consent.active(person.id)
        assert made is not None and (made.method, made.recorded_by_id) == ("paper", staff.id)


def test_the_copy_holds_the_full_numbers_and_every_record_and_is_audited(app, client, make):
    import json

    site, batch_id, person_id = _site(app, make)
    sign_in(client, site["trainee"])
    post_form(client, f"/training/courses/{batch_id}/apply", {"consent": "y"})
    response = client.get("/account/privacy/copy.json")
    assert response.status_code == 200 and "attachment" in response.headers[
        "Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    with app.app_context():
        from trainhub.core.people.models import Person

        number = db.session.get(Person, person_id).id_number
    assert data["person"]["id_number"] == number  # in full: it is their own
    assert [e["status"] for e in data["enrolments"]] == ["admitted"]
    assert [c["method"] for c in data["consents"]] == ["online"]
    assert set(data) >= {"subsidy_decisions", "vouchers", "competition_entries"}
    summary = client.get("/account/privacy/copy").get_data(as_text=True)
    assert number in summary and "已录取" in summary
    with app.app_context():
        formats = [e.details["format"] for e in db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "privacy.copy_download").order_by(AuditEntry.id))]
    assert formats == ["json", "summary"]
