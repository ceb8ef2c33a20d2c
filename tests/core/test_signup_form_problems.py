"""Issue 12, item 3: registration, activation and a password change refused for several
problems (a number, a weak password, a wrong current password) say them all in one
answer, each beside its field and in the error summary."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import csrf_token, post_form, sign_in
from tests.core.test_registration import form, numbers, post
from tests.form_problems import assert_each_beside_its_field
from trainhub.core.accounts.models import User
from trainhub.core.audit.models import AuditEntry
from trainhub.extensions import db


def _users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)) or 0


def test_every_typed_problem_of_a_registration_comes_back_in_one_answer(app, client, make):
    id_number, _ = numbers(make)
    broken = id_number[:17] + ("0" if id_number[17] != "0" else "1")
    before = _users(app)
    response = post(client, form(broken, f"{broken}43", password="12345678",
                                 confirm_password="12345678"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_each_beside_its_field(html, {"id_number", "password"})
    assert _users(app) == before


def test_every_typed_problem_of_an_activation_comes_back_in_one_answer(app, client, make):
    id_number, _ = numbers(make)
    broken = id_number[:17] + ("0" if id_number[17] != "0" else "1")
    response = client.post("/activate", data={
        "code": "0000-1111-IIII", "id_number": broken, "username": "zhang.san",
        "password": "12345678", "confirm_password": "12345678",
        "csrf_token": csrf_token(client, "/activate")})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_each_beside_its_field(html, {"code", "id_number", "password", "consent"})


def test_a_wrong_current_password_and_a_weak_new_one_come_back_in_one_answer(app, client,
                                                                             make):
    sign_in(client, make.user("trainee"))
    response = post_form(client, "/account/password", {
        "current_password": "Not-The-Password-1", "new_password": "12345678",
        "confirm_password": "12345678"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_each_beside_its_field(html, {"current_password", "new_password"})
    with app.app_context():  # the failed attempt is kept in the audit log
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "account.password_change")) == 1
