"""Registering institutions: credit code validated, county inside the officer's region."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import post_form, sign_in
from trainhub.cli.demo import uscc
from trainhub.core.audit.models import AuditEntry
from trainhub.core.organisations import Institution
from trainhub.extensions import db

VALID = uscc("52", "360102", "MA35X8R09")
WRONG_CHECK = VALID[:-1] + ("0" if VALID[-1] != "0" else "1")


def _form(**overrides):
    form = {"name": "东湖区残疾人职业培训学校", "credit_code": VALID, "org_type": "school",
            "region_code": "360102", "registered_on": "2019-05-01", "address": "阳明路 1 号",
            "contact_name": "周敏", "contact_phone": "0791-86000000"}
    form.update(overrides)
    return form


def test_officer_registers_an_institution(app, client, make):
    sign_in(client, make.user("federation_officer", region_code="3601"))
    response = post_form(client, "/institutions/new", _form())
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.scalar(select(Institution).where(Institution.credit_code == VALID))
        assert saved.region_code == "360102" and saved.contact_name == "周敏"
        assert db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "institution.create")).region_code == "360102"


def test_a_wrong_credit_code_is_refused_on_its_field(app, client, make):
    sign_in(client, make.user("federation_officer", region_code="3601"))
    for code in (WRONG_CHECK, "12345", "91360102MA35X8R0IO"):
        response = post_form(client, "/institutions/new", _form(credit_code=code))
        assert response.status_code == 400
        assert 'id="credit_code-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Institution.id).where(
            Institution.name == "东湖区残疾人职业培训学校")) is None


def test_an_officer_cannot_register_outside_their_region(client, make):
    sign_in(client, make.user("federation_officer", region_code="360102"))
    response = post_form(client, "/institutions/new", _form(region_code="360702"))
    assert response.status_code == 400  # not among the officer's counties


def test_officer_opens_a_staff_account_with_a_temporary_password(app, client, make):
    institution_id = make.institution("360102")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    response = post_form(client, f"/institutions/{institution_id}/staff",
                         {"username": "zhou.min", "display_name": "周敏"})
    assert response.status_code == 200
    assert re.search(r'<code class="token-secret">[^<]{16}</code>', response.get_data(as_text=True))


def test_a_refused_staff_account_keeps_what_was_typed(app, client, make):
    """Issue 12, item 2: the form comes back on the institution's page with the values and
    the error on the field, not empty after a redirect."""
    institution_id = make.institution("360102")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    response = post_form(client, f"/institutions/{institution_id}/staff",
                         {"username": "周 敏", "display_name": "周敏"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="周敏"' in html and 'value="周 敏"' in html
    assert 'id="username-error"' in html and 'href="#username"' in html


def test_another_citys_officer_cannot_see_the_institution(client, make):
    institution_id = make.institution("360102")
    sign_in(client, make.user("federation_officer", region_code="3607"))
    assert client.get(f"/institutions/{institution_id}").status_code == 403


def test_kind_of_institution_is_offered_in_chinese(app, client, make):
    """The kinds were turned into text at import, in English (issue 12, item 8)."""
    sign_in(client, make.user("federation_officer", region_code="3601"))
    html = client.get("/institutions/new").get_data(as_text=True)
    assert "职业培训学校" in html and "Training school" not in html
