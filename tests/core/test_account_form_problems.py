"""Issue 12, item 3: a new account or an institution refused for several rules says them
all in one answer, each beside its field and in the error summary."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import post_form, sign_in
from tests.core.test_institutions import WRONG_CHECK, _form
from tests.form_problems import assert_each_beside_its_field
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import local_today
from trainhub.extensions import db


def test_every_problem_of_a_new_account_comes_back_in_one_answer(app, client, make):
    admin = make.user("admin")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(User))
    sign_in(client, admin)
    response = post_form(client, "/admin/users/new", {
        "username": admin, "display_name": "吉安市残联", "role": "federation_officer",
        "region_code": "", "institution_id": "", "enterprise_id": "", "person_number": "",
        "expires_on": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_each_beside_its_field(html, {"username", "region_code"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_every_problem_of_an_institution_comes_back_in_one_answer(app, client, make):
    sign_in(client, make.user("federation_officer", region_code="3601"))
    response = post_form(client, "/institutions/new", _form(
        credit_code=WRONG_CHECK,
        registered_on=(local_today() + timedelta(days=3)).isoformat()))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_each_beside_its_field(html, {"credit_code", "registered_on"})
