"""Issue 12, item 3: the subsidy forms answer every rule they break in one round, each
problem beside its field and in the error summary linked to it."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import post_form, sign_in
from tests.form_problems import assert_each_beside_its_field
from tests.subsidies.builders import decided, set_budgets
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies.models import Payment, Voucher


def test_every_problem_of_a_voucher_issue_comes_back_in_one_answer(app, client, make):
    elsewhere = make.person("360103", name="外县学员")
    with app.app_context():
        from trainhub.core.people.models import Person

        number = db.session.get(Person, elsewhere).id_number
    sign_in(client, make.user("federation_officer", region_code="360102"))
    today = local_today()
    response = post_form(client, "/subsidies/vouchers/new", {
        "numbers": number + "\n", "face_value": "1200",
        "valid_from": (today - timedelta(days=30)).isoformat(),
        "valid_until": (today - timedelta(days=1)).isoformat(), "categories": "massage"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_each_beside_its_field(html, {"valid_until"})
    assert "有效期最后一日已经过去" in html
    assert "本辖区没有登记此号码的人员" in html  # the line refused, in the same answer
    with app.app_context():
        assert db.session.query(Voucher).count() == 0


def test_every_problem_of_a_payment_comes_back_in_one_answer(app, client, make):
    ids = decided(app, make, "submitted")
    officer = make.user("federation_officer", region_code="3601")
    with app.app_context():
        set_budgets(make.get_user(officer))
        db.session.commit()
    sign_in(client, officer)
    page = f"/subsidies/decisions/{ids['decision']}"
    post_form(client, f"{page}/approve", {})
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = post_form(client, f"{page}/pay", {"paid_on": tomorrow, "reference": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_each_beside_its_field(html, {"paid_on", "reference"})
    with app.app_context():
        assert db.session.query(Payment).count() == 0
