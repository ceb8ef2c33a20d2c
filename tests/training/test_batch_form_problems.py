"""Issue 12, item 3: the batch form answers every problem in one round (fields, dates,
certificate, the base's certification) with the error summary leading to each field,
and offers only the categories the institution's base is certified for."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import post_form, sign_in
from tests.training import builders
from tests.training.test_views import site  # noqa: F401  (the fixture)
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.training.models import Batch


def _summary_links(html: str) -> set[str]:
    summary = re.search(r'id="error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary"
    return set(re.findall(r'href="#([\w-]+)"', summary.group(0)))


def test_every_problem_of_a_batch_comes_back_in_one_answer(app, client, site):  # noqa: F811
    sign_in(client, site["staff"])
    start = local_today() + timedelta(days=14)
    response = post_form(client, "/training/batches/new", {
        "base_id": site["base"], "title": "", "category": "heritage_bamboo",
        "occupation": "竹编工", "training_type": "employment_skills",
        "certificate_type": "skill_level", "certificate_level": "", "delivery": "in_person",
        "start_date": start.isoformat(), "end_date": (start - timedelta(days=3)).isoformat(),
        "capacity": "", "fee": "800", "admission": "auto"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    # Two field problems, one cross-field date, one certificate rule, one base rule.
    assert _summary_links(html) >= {"title", "capacity", "end_date", "certificate_level",
                                    "category"}
    for field in ("title", "capacity", "end_date", "certificate_level", "category"):
        assert f'id="{field}-error"' in html
    assert "培训班的结业日期不能早于开班日期" in html
    assert "请选择目标证书的等级" in html
    assert "该基地未获得此类培训的认证" in html
    with app.app_context():
        assert db.session.scalars(select(Batch)).all() == []


def test_the_category_offers_only_what_the_base_is_certified_for(app, client, site):  # noqa: F811
    sign_in(client, site["staff"])
    html = client.get("/training/batches/new").get_data(as_text=True)
    select_ = re.search(r'<select[^>]*name="category".*?</select>', html, re.S)
    assert select_
    offered = set(re.findall(r'value="([\w-]+)"', select_.group(0)))
    # builders.base holds the massage and e-commerce specialties.
    assert offered == {"massage", "ecommerce_service", "ecommerce_design",
                       "ecommerce_operations"}
    assert builders.base  # the builder the fixture used


def test_every_problem_of_a_demand_comes_back_in_one_answer(app, client, make):
    sign_in(client, make.user("enterprise_contact"))
    response = post_form(client, "/training/demands/new", {
        "title": "", "occupation": "客服", "category": "ecommerce_service",
        "head_count": "5", "hire_commitment": "9", "skills_required": "",
        "region_code": "360111", "location": "", "monthly_wage": "",
        "deadline": (local_today() - timedelta(days=1)).isoformat()})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _summary_links(html) >= {"title", "hire_commitment", "monthly_wage", "deadline"}


def test_a_refused_session_keeps_what_was_typed_and_says_every_problem(app, client, site):  # noqa: F811
    """Issue 12, items 2 and 3: the session form comes back on the batch page as sent, with
    each rule it breaks on its field."""
    with app.app_context():
        staff = db.session.query(builders.User).filter_by(username=site["staff"]).one()
        base = db.session.get(builders.Base, site["base"])
        batch_id = builders.batch(base, staff, local_today(), status="draft").id
        db.session.commit()
    sign_in(client, site["staff"])
    day = (local_today() + timedelta(days=100)).isoformat()
    response = post_form(client, f"/training/batches/{batch_id}/sessions", {
        "day": day, "starts": "09:00", "ends": "12:00", "hours": "3.555",
        "mode": "online", "topic": "推拿手法"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _summary_links(html) >= {"day", "hours", "mode"}
    # An in-person batch's sessions are in person: online is refused, and not offered.
    mode = re.search(r'<select[^>]*name="mode".*?</select>', html, re.S)
    assert mode and 'value="online"' not in mode.group(0)
    assert 'value="推拿手法"' in html and f'value="{day}"' in html


def test_a_refused_capacity_keeps_what_was_typed(app, client, site):  # noqa: F811
    """Issue 12, item 2: the capacity typed comes back with its error on the field, not
    the stored capacity after a redirect."""
    with app.app_context():
        staff = db.session.query(builders.User).filter_by(username=site["staff"]).one()
        base = db.session.get(builders.Base, site["base"])
        batch_id = builders.batch(base, staff, local_today(), status="draft").id
        db.session.commit()
    sign_in(client, site["staff"])
    response = post_form(client, f"/training/batches/{batch_id}/capacity",
                         {"capacity": "0"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'<input[^>]*id="capacity"[^>]*value="0"|<input[^>]*value="0"[^>]*'
                     r'id="capacity"', html)
    assert 'id="capacity-error"' in html
