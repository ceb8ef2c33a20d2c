"""Issue 12, item 3: the yearly review and the resident enterprise forms answer every rule
they break in one round, each beside its field and in the error summary."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.bases.builders import build
from tests.conftest import post_form, sign_in
from tests.form_problems import assert_each_beside_its_field
from trainhub.bases.models import AnnualReview, ResidentEnterprise
from trainhub.core.timeutil import local_today
from trainhub.extensions import db


def test_every_problem_of_a_yearly_review_comes_back_in_one_answer(app, client, make):
    ids = build(app, make, "base")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    path = f"/bases/{ids['base']}/annual-review"
    scores = set(re.findall(r'name="(score_\d+)"', client.get(path).get_data(as_text=True)))
    assert scores
    response = post_form(client, path, {
        "year": "2000", "outcome": "rectify", "rectify_by": "", "comments": "",
        **{name: "0" for name in scores}})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_each_beside_its_field(html, {"year", "rectify_by", "comments"})
    with app.app_context():
        assert db.session.query(AnnualReview).count() == 0


def test_every_problem_of_a_resident_enterprise_comes_back_in_one_answer(app, client, make):
    ids = build(app, make, "incubator")
    with app.app_context():
        before = db.session.query(ResidentEnterprise).count()
    sign_in(client, make.user("federation_officer", region_code="360102"))
    today = local_today()
    response = post_form(client, f"/bases/{ids['incubator']}/residents/new", {
        "name": "盲人按摩工作室", "founder_name": "李明",
        "entry_date": (today + timedelta(days=10)).isoformat(),
        "exit_date": (today + timedelta(days=5)).isoformat(), "jobs_created": "2",
        "services": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_each_beside_its_field(html, {"entry_date", "exit_date"})
    with app.app_context():
        assert db.session.query(ResidentEnterprise).count() == before
