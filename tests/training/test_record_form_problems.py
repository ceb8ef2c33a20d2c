"""Issue 12, item 3: the result and follow-up forms answer every rule they break in one
round, each beside its field and in the error summary linked to it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import post_form, sign_in
from tests.form_problems import assert_each_beside_its_field
from tests.training import builders
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.training.models import Enrolment


def _graduate_and_staff(app, make) -> tuple[int, str]:
    ids = builders.build(app, make, "completed")
    with app.app_context():
        graduate = db.session.get(Enrolment, ids["graduate"])
        staff = db.session.scalars(select(User).where(
            User.institution_id == graduate.batch.institution_id,
            User.role == "institution_staff")).first()
        return ids["graduate"], staff.username


def test_every_problem_of_a_result_comes_back_in_one_answer(app, client, make):
    graduate, staff = _graduate_and_staff(app, make)
    sign_in(client, staff)
    later = (local_today() + timedelta(days=5)).isoformat()
    response = post_form(client, f"/training/enrolments/{graduate}/result", {
        "passed": "yes", "assessed_on": later, "certificate_type": "skill_level",
        "certificate_level": "", "certificate_number": "x", "certificate_date": later})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_each_beside_its_field(html, {"assessed_on", "certificate_level",
                                         "certificate_number", "certificate_date"})


def test_every_problem_of_a_follow_up_comes_back_in_one_answer(app, client, make):
    graduate, staff = _graduate_and_staff(app, make)
    sign_in(client, staff)
    response = post_form(client, f"/training/enrolments/{graduate}/followup", {
        "employed": "yes", "checked_on": local_today().isoformat(), "employer_name": "",
        "employment_form": "", "monthly_wage": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_each_beside_its_field(html, {"checked_on", "employer_name", "employment_form",
                                         "monthly_wage"})
