"""Issue 12, item 3: an objection refused for several rules says them all in one answer,
each beside its field and in the error summary."""

from __future__ import annotations

from tests.bases.builders import build
from tests.conftest import post_form, sign_in
from tests.form_problems import assert_each_beside_its_field
from trainhub.bases.models import Objection
from trainhub.extensions import db


def test_every_problem_of_an_objection_comes_back_in_one_answer(app, client, make):
    ids = build(app, make, "notice")
    with app.app_context():
        before = db.session.query(Objection).count()
    sign_in(client, make.user("federation_officer", region_code="360102"))
    response = post_form(client, f"/bases/applications/{ids['notice']}/objections", {
        "received_on": "2000-01-05", "raised_by": "王先生", "content": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_each_beside_its_field(html, {"received_on", "content"})
    with app.app_context():
        assert db.session.query(Objection).count() == before
