"""Issue 12, item 3: a session refused by a field's own check and by the session's rules
says both in one answer, each beside its field; the mode offers only what the batch's
delivery allows."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.conftest import post_form, sign_in
from tests.form_problems import assert_each_beside_its_field
from tests.training import builders
from tests.training.test_views import site  # noqa: F401  (the fixture)
from trainhub.core.timeutil import local_today
from trainhub.extensions import db


def _draft(app, site) -> int:  # noqa: F811
    with app.app_context():
        staff = db.session.query(builders.User).filter_by(username=site["staff"]).one()
        base = db.session.get(builders.Base, site["base"])
        batch_id = builders.batch(base, staff, local_today(), status="draft").id
        db.session.commit()
    return batch_id


def test_every_problem_of_a_session_comes_back_in_one_answer(app, client, site):  # noqa: F811
    batch_id = _draft(app, site)
    sign_in(client, site["staff"])
    day = (local_today() + timedelta(days=100)).isoformat()  # outside the batch's dates
    response = post_form(client, f"/training/batches/{batch_id}/sessions", {
        "day": day, "starts": "09:00", "ends": "12:00", "hours": "20",
        "mode": "in_person", "topic": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    # The hours above the form's range, and the day outside the batch: one answer.
    assert_each_beside_its_field(html, {"hours", "day"})


def test_the_mode_offers_only_what_the_delivery_allows(app, client, site):  # noqa: F811
    batch_id = _draft(app, site)
    sign_in(client, site["staff"])
    html = client.get(f"/training/batches/{batch_id}").get_data(as_text=True)
    select_ = re.search(r'<select[^>]*name="mode".*?</select>', html, re.S)
    assert select_
    assert set(re.findall(r'value="([\w-]+)"', select_.group(0))) == {"in_person"}
