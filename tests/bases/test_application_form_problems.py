"""Issue 12, item 3: the base application form answers every problem in one round — the
specialties and each criterion's answer — with the error summary leading to each field."""

from __future__ import annotations

import re

from tests.bases.builders import build
from tests.conftest import post_form, sign_in
from trainhub.bases.models import BaseApplication
from trainhub.extensions import db


def test_every_problem_of_an_application_comes_back_in_one_answer(app, client, make):
    ids = build(app, make)
    sign_in(client, make.user("institution_staff", institution_id=ids["institution"]))
    response = post_form(client, "/bases/applications/new?kind=training", {
        "kind": "training", "level_sought": "county", "answer_registered_years": "3",
        "answer_site_area": "", "answer_accessible_facilities": "no",
        "answer_trainer_count": "abc", "answer_trainees_last_year": "120",
        "answer_employment_rate_last_year": "72"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = re.search(r'id="error-summary".*?</ul>', html, re.S)
    assert summary
    links = set(re.findall(r'href="#([\w-]+)"', summary.group(0)))
    # No specialty; an answer missing, a condition not met, a number that is not one.
    assert links == {"specialties", "answer_site_area", "answer_accessible_facilities",
                     "answer_trainer_count"}
    assert 'value="3"' in html and 'value="abc"' in html  # what was typed stays
    with app.app_context():
        assert db.session.query(BaseApplication).count() == 0


def test_a_refused_objection_keeps_what_was_typed(app, client, make):
    """Issue 12, item 2: the objection form comes back with its values and the error on
    the field, instead of an empty form after a redirect."""
    ids = build(app, make, "notice")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    response = post_form(client, f"/bases/applications/{ids['notice']}/objections", {
        "received_on": "2026-01-05", "raised_by": "王先生", "content": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="王先生"' in html and 'value="2026-01-05"' in html
    assert 'id="content-error"' in html and 'href="#content"' in html
