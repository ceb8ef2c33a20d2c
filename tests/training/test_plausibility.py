"""Implausible values (issue 12, item 9): a wage below the minimum wage in force is refused
with the figure; a plan of few hours for its days is a warning the staff and the approving
officer see."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale

from tests.conftest import post_form, sign_in
from tests.training import builders
from tests.training.conftest import TODAY
from trainhub.core.accounts.models import User
from trainhub.core.errors import DomainError
from trainhub.core.i18n import translate
from trainhub.core.parameters import service as parameters
from trainhub.core.parameters.values import InvalidValue, check_wage_tiers
from trainhub.core.timeutil import local_today
from trainhub.core.wages import minimum_wage
from trainhub.extensions import db
from trainhub.training import batches, demands, plausibility


def _demand(wage_fen: int, region: str = "360102") -> demands.DemandInput:
    return demands.DemandInput("招聘按摩师", "保健按摩师", "massage", 10, "", region, "",
                               wage_fen, 5, TODAY + timedelta(days=30))


def _post(wage_fen: int, region: str = "360102"):
    ent = builders.enterprise(region)
    contact = builders.user("enterprise_contact", enterprise_id=ent.id)
    return demands.post_demand(ent, _demand(wage_fen, region), contact, TODAY)


def test_a_wage_below_the_minimum_wage_is_refused_with_the_figures(world):
    with pytest.raises(DomainError) as refused:
        _post(50000)  # ¥500 a month
    assert refused.value.field == "monthly_wage"
    with force_locale("zh_Hans_CN"):
        message = translate(refused.value.message, **refused.value.params)
    assert "¥500.00" in message and "¥1,610.00" in message and "东湖区" in message
    assert "第 3 档" in message and "2026年3月2日" in message


def test_the_minimum_wage_is_that_of_the_county_tier_in_force(world):
    assert minimum_wage("360102", TODAY).monthly_fen == 161000  # not listed: tier 3
    parameters.add_value("core.min_wage_tiers",
                         '[{"tier": 1, "counties": ["360102"]}, {"tier": 2, "counties": []}]',
                         date(2026, 1, 1), None, "", world.county)
    assert minimum_wage("360102", TODAY) == minimum_wage("360102", date(2026, 1, 1))
    assert minimum_wage("360102", TODAY).monthly_fen == 185000
    assert minimum_wage("360102", date(2025, 12, 31)).monthly_fen == 161000
    with pytest.raises(DomainError, match="185,000|1,850"):
        _post(180000)
    assert _post(185000).monthly_wage_fen == 185000
    assert _post(161000, region="360103").monthly_wage_fen == 161000


def test_an_update_below_the_minimum_wage_is_refused(world):
    demand = _post(300000)
    with pytest.raises(DomainError, match="minimum wage"):
        demands.update_demand(demand, _demand(100000), TODAY)
    assert demand.monthly_wage_fen == 300000


@pytest.mark.parametrize("value", [
    [{"tier": 3, "counties": []}], [{"tier": 1, "counties": ["3601"]}],
    [{"tier": 1, "counties": ["360102"]}, {"tier": 2, "counties": ["360102"]}],
    [{"tier": 1, "counties": []}, {"tier": 1, "counties": []}]])
def test_wage_tiers_that_cannot_be_read_are_refused(value):
    with pytest.raises(InvalidValue):
        check_wage_tiers(value, {})


# --- planned hours ---------------------------------------------------------------------

def test_few_hours_for_the_days_is_a_warning():
    start = date(2026, 4, 1)
    found = plausibility.thin_hours(Decimal(10), start, start + timedelta(days=9), 2)
    assert found is not None
    assert found.params == {"hours": "10", "days": 10, "start": start,
                            "end": start + timedelta(days=9), "average": "1", "minimum": 2}
    assert plausibility.thin_hours(Decimal(20), start, start + timedelta(days=9), 2) is None
    assert plausibility.thin_hours(Decimal(0), start, start + timedelta(days=9), 2) is None
    assert plausibility.thin_hours(Decimal(10), start, start + timedelta(days=9), 0) is None
    assert plausibility.thin_hours(Decimal("7.5"), start, start, 8) is not None


def _ten_days_of_ten_hours(app, site, status: str) -> int:
    """A 10-day batch with 10 planned hours (two sessions of 5 hours), up to `status`."""
    with app.app_context():
        staff = db.session.query(User).filter_by(username=site["staff"]).one()
        base = db.session.get(builders.Base, site["base"])
        start = local_today() + timedelta(days=10)
        made = batches.create_batch(base, builders.batch_input(start, days=10), staff,
                                    local_today())
        for offset in (0, 9):
            batches.add_session(made, builders.session_input(start + timedelta(days=offset),
                                                             hours=5))
        if status == "submitted":
            batches.submit(made, local_today())
        db.session.commit()
        return made.id


@pytest.fixture
def site(app, make):
    return builders.certified_site(app, make, officer=True)


def test_the_staff_see_the_warning_while_they_plan(app, client, site):
    batch_id = _ten_days_of_ten_hours(app, site, "draft")
    sign_in(client, site["staff"])
    page = client.get(f"/training/batches/{batch_id}").get_data(as_text=True)
    assert "请核对计划：" in page and "平均每天 1 小时，少于 2 小时" in page


def test_the_officer_sees_the_warning_beside_the_approval(app, client, site):
    batch_id = _ten_days_of_ten_hours(app, site, "submitted")
    sign_in(client, site["officer"])
    page = client.get(f"/training/batches/{batch_id}").get_data(as_text=True)
    warning = page.index("审批前请注意：")
    assert "平均每天 1 小时" in page[warning:]
    assert warning < page.index(f'action="/training/batches/{batch_id}/approve"')


def test_a_plan_of_full_days_has_no_warning(app, client, site):
    with app.app_context():
        staff = db.session.query(User).filter_by(username=site["staff"]).one()
        base = db.session.get(builders.Base, site["base"])
        batch_id = builders.batch(base, staff, local_today(), days=10).id
        db.session.commit()
    sign_in(client, site["staff"])
    page = client.get(f"/training/batches/{batch_id}").get_data(as_text=True)
    assert "请核对计划" not in page


def test_the_demand_form_shows_the_minimum_wage_on_the_wage_field(app, client, make):
    sign_in(client, make.user("enterprise_contact"))
    response = post_form(client, "/training/demands/new", {
        "title": "招聘客服", "occupation": "客服", "category": "ecommerce_service",
        "head_count": "5", "hire_commitment": "2", "skills_required": "",
        "region_code": "360111", "location": "", "monthly_wage": "500",
        "deadline": (local_today() + timedelta(days=20)).isoformat()})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "提供的月工资 ¥500.00 低于" in html and "¥1,610.00" in html
    assert 'href="#monthly_wage"' in html  # the error summary links the wage field


def test_the_wage_tiers_and_thresholds_read_in_chinese_on_the_parameter_pages(app, client,
                                                                               make):
    sign_in(client, make.user("federation_officer", region_code="360102"))
    page = client.get("/parameters/core.min_wage_tiers").get_data(as_text=True)
    assert "各县（市、区）最低工资档次" in page
    assert "最低工资档次</th>" in page and "县（市、区）代码</th>" in page
    page = client.get("/parameters/bases.criteria.incubator").get_data(as_text=True)
    assert "达标标准：不低于</th>" in page and "达标标准：不高于</th>" in page
    page = client.get("/parameters/training.min_average_daily_hours").get_data(as_text=True)
    assert "日均计划课时低于此数时提示" in page and "2 小时" in page


def test_the_api_gives_the_warning_to_the_staff_and_the_approving_officer(app, client):
    from tests.training.api_world import API, batch_body, make_actors, session_body

    actors = make_actors(app)
    client.set_cookie("trainhub_lang", "en")
    start = local_today() + timedelta(days=10)
    created = client.post(f"{API}/batches", headers=actors.staff,
                          json=batch_body(actors.base_id, start, days=10))
    batch_id = created.json["id"]
    assert created.json["warnings"] == []  # no sessions yet: submitting will say so
    for offset in (0, 9):
        added = client.post(f"{API}/batches/{batch_id}/sessions", headers=actors.staff,
                            json=session_body(start + timedelta(days=offset)))
        assert added.status_code == 201, added.json
    draft = client.get(f"{API}/batches/{batch_id}", headers=actors.staff).json
    assert len(draft["warnings"]) == 1 and "1.5 hours a day" in draft["warnings"][0]
    client.post(f"{API}/batches/{batch_id}/submit", headers=actors.staff)
    seen = client.get(f"{API}/batches/{batch_id}", headers=actors.county).json
    assert seen["status"] == "submitted" and "fewer than 2" in seen["warnings"][0]
    approved = client.post(f"{API}/batches/{batch_id}/approve", headers=actors.county,
                           json={"comment": ""}).json
    assert approved["status"] == "approved" and approved["warnings"] == []
