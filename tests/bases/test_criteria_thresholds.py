"""Each certification criterion is shown with its threshold and 达标 / 未达标, to the
applicant and to the reviewers (issue 12, item 9)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from tests.bases.builders import PDF, answers
from tests.conftest import sign_in
from trainhub.bases import criteria, services
from trainhub.bases.models import BaseKind, Level
from trainhub.core.accounts.models import User
from trainhub.core.files import store_upload
from trainhub.core.organisations import Institution
from trainhub.core.parameters.defaults import INCUBATOR_CRITERIA, TRAINING_BASE_CRITERIA
from trainhub.core.parameters.values import InvalidValue, check_criteria
from trainhub.core.timeutil import local_today
from trainhub.extensions import db


def _by_code(results):
    return {r.code: r for r in results}


def test_each_answer_is_compared_with_its_threshold():
    found = _by_code(criteria.judge(INCUBATOR_CRITERIA, {
        "registered_years": "2", "incubation_area": "12", "accessible_facilities": "yes",
        "resident_enterprises": "5", "incubation_period_years": "3",
        "incubation_success_rate": "49.5"}))
    area = found["incubation_area"]
    assert (area.answer, area.unit, area.at_least, area.passed) == ("12", "平方米",
                                                                    Decimal(500), False)
    assert found["resident_enterprises"].passed is True          # exactly the threshold
    assert found["incubation_period_years"].at_most == 3
    assert found["incubation_period_years"].passed is True
    assert found["incubation_success_rate"].passed is False
    assert found["accessible_facilities"].must_be_yes and found["accessible_facilities"].passed


def test_at_most_a_threshold_and_no_verdict_without_one():
    period = {"code": "p", "question": "期限", "kind": "number", "unit": "年", "min": 0,
              "at_most": 3}
    assert criteria.judge_one(period, "4").passed is False
    assert criteria.judge_one(period, "").passed is False  # no number: not met
    old = {"code": "a", "question": "面积", "kind": "number", "unit": "平方米", "min": 0}
    result = criteria.judge_one(old, "12")
    assert (result.passed, result.has_threshold) == (None, False)
    text = {"code": "t", "question": "说明", "kind": "text", "unit": "", "min": None}
    assert criteria.judge_one(text, "有").passed is None


def test_the_shipped_criteria_have_thresholds_and_pass_their_check():
    check_criteria(TRAINING_BASE_CRITERIA, {})
    check_criteria(INCUBATOR_CRITERIA, {})
    assert all(c.get("at_least") is not None or c.get("at_most") is not None
               for c in [*TRAINING_BASE_CRITERIA, *INCUBATOR_CRITERIA] if c["kind"] == "number")


@pytest.mark.parametrize("extra", [{"at_least": -1}, {"at_least": "200"}, {"at_most": True}])
def test_a_threshold_that_is_not_a_whole_number_is_refused(extra):
    item = {"code": "a", "question": "面积", "kind": "number", "unit": "平方米", "min": 0}
    with pytest.raises(InvalidValue):
        check_criteria([item | extra], {})
    with pytest.raises(InvalidValue):  # a threshold only on a number
        check_criteria([{"code": "b", "question": "是否", "kind": "boolean", "unit": "",
                         "min": 1, "at_least": 1}], {})


@pytest.fixture
def incubator_application(app, make):
    """An incubator application of 东湖区 in review whose area is 12 square metres."""
    institution_id = make.institution("360102")
    staff = make.user("institution_staff", institution_id=institution_id)
    officer = make.user("federation_officer", region_code="360102")
    with app.app_context():
        given = answers(BaseKind.INCUBATOR) | {"incubation_area": "12",
                                               "resident_enterprises": "6"}
        created = services.create_application(
            db.session.get(Institution, institution_id),
            services.ApplicationInput(BaseKind.INCUBATOR, Level.COUNTY, ("massage",), given),
            db.session.query(User).filter_by(username=staff).one(), local_today())
        stored = store_upload(io.BytesIO(PDF), "证明.pdf", max_bytes=1 << 20)
        services.add_evidence(created, stored, db.session.query(User).filter_by(
            username=staff).one())
        services.submit(created)
        db.session.commit()
        return {"id": created.id, "staff": staff, "officer": officer}


def _row(page: str, question: str) -> str:
    start = page.index(f'<th scope="row">{question}</th>')
    return page[start:page.index("</tr>", start)]


@pytest.mark.parametrize("who", ["staff", "officer"])
def test_the_applicant_and_the_reviewer_see_threshold_and_result(app, client,
                                                                 incubator_application, who):
    sign_in(client, incubator_application[who])
    page = client.get(f"/bases/applications/{incubator_application['id']}").get_data(
        as_text=True)
    area = _row(page, "孵化场地面积")
    assert "12 平方米" in area and "不低于 500 平方米" in area and "未达标" in area
    enterprises = _row(page, "在孵残疾人创业企业（实体）数量")
    assert "不低于 5 家" in enterprises and "达标" in enterprises and "未达标" not in enterprises
    assert "不高于 3 年" in _row(page, "在孵企业孵化期限")
