"""Issue 12, item 3: registration and activation refused for several typed problems (a
number, a weak password) say them all in one answer, each beside its field and in the
error summary."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.core.test_registration import form, numbers, post
from tests.form_problems import assert_each_beside_its_field
from trainhub.core.accounts.models import User
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
    assert_each_beside_its_field(html, {"code", "id_number", "password"})
