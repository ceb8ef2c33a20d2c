"""Issue 12, item 3: a correction refused for a mark off the scale and a missing reason
says both in one answer, each beside its field and in the error summary."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.competitions.test_marking_views import _lock, world  # noqa: F401  (the fixture)
from tests.conftest import post_form, sign_in
from tests.form_problems import assert_each_beside_its_field
from trainhub.competitions.models import Correction, Mark
from trainhub.extensions import db


def test_every_problem_of_a_correction_comes_back_in_one_answer(app, client,
                                                                world):  # noqa: F811
    _lock(app, world)
    path = f"/competitions/events/{world['event']}/corrections"
    with app.app_context():
        mark_id = db.session.scalars(select(Mark.id).where(
            Mark.aspect_id == world["aspects"]["A"])).first()
    sign_in(client, world["chief"])
    response = post_form(client, path, {"mark_id": mark_id, "new_value": "25", "reason": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "不能超过满分20。" in html
    assert_each_beside_its_field(html, {"new_value", "reason"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Correction)) == 0
