"""The declaration pages through the test client: a page per view, as the enterprise
contact and the officers see them."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import select

from tests.conftest import form_token, post_form, sign_in
from tests.rewards.builders import build
from tests.rewards.conftest import PDF, id_number
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.rewards.models import DeclaredEmployee, RewardDeclaration, RewardObjection


def _declaration(app, declaration_id: int) -> RewardDeclaration:
    with app.app_context():
        found = db.session.get(RewardDeclaration, declaration_id)
        assert found is not None
        db.session.expunge(found)
        return found


def test_a_contact_declares_a_year_from_the_menu(app, client, make):
    contact = make.user("enterprise_contact")
    sign_in(client, contact)
    home = client.get("/").get_data(as_text=True)
    assert "/rewards/new" in home and "/rewards/" in home
    form = client.get("/rewards/new")
    assert form.status_code == 200
    year = local_today().year - 1
    response = post_form(client, "/rewards/new", {"year": year, "staff_count": "120"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert str(year) in page and "120" in page
    listing = client.get("/rewards/").get_data(as_text=True)
    assert str(year) in listing


def test_a_future_year_is_refused_on_the_form(app, client, make):
    sign_in(client, make.user("enterprise_contact"))
    response = post_form(client, "/rewards/new", {"year": local_today().year + 1,
                                                  "staff_count": "0"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(RewardDeclaration)).all() == []


def test_employees_and_evidence_are_added_and_removed_then_submitted(app, client, make):
    ids = build(app, make, "draft")
    sign_in(client, ids["draft_contact"])
    page = f"/rewards/{ids['draft']}"
    number = id_number(date(1988, 2, 3))
    response = post_form(client, f"{page}/employees", {
        "name": "李华", "id_number": number, "cert_number": f"{number}12",
        "certificate_valid_from": "2019-05-01", "certificate_valid_until": "",
        "contract_start": "2022-01-01", "contract_end": "", "insurance_months": "12",
        "monthly_wage": "2600.50"})
    assert response.status_code == 302
    with app.app_context():
        added = db.session.scalars(select(DeclaredEmployee).where(
            DeclaredEmployee.name == "李华")).one()
        assert (added.grade, added.monthly_wage_fen) == (2, 260050)
    shown = client.get(page).get_data(as_text=True)
    assert number not in shown and number[:4] in shown  # masked on screen
    refused = post_form(client, f"{page}/employees", {
        "name": "张三", "id_number": number[:-1] + ("0" if number[-1] != "0" else "1"),
        "cert_number": "x", "certificate_valid_from": "2019-05-01", "contract_start": "2022-01-01",
        "insurance_months": "13", "monthly_wage": "2000"})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "is-invalid" in text
    assert post_form(client, f"{page}/employees/{added.id}/delete", {}).status_code == 302
    upload = client.post(f"{page}/evidence", data={
        "csrf_token": form_token(client),
        "file": (io.BytesIO(PDF), "劳动合同.pdf")}, content_type="multipart/form-data")
    assert upload.status_code == 302
    download = client.get(f"{page}/evidence/{ids['draft_evidence']}")
    assert download.status_code == 200 and download.data == PDF
    assert post_form(client, f"{page}/evidence/{ids['draft_evidence']}/delete",
                     {}).status_code == 302
    assert post_form(client, f"{page}/staff", {"staff_count": "80"}).status_code == 302
    assert post_form(client, f"{page}/submit", {}).status_code == 302
    found = _declaration(app, ids["draft"])
    assert found.status == "submitted" and found.staff_count == 80
    assert found.amount_fen is not None
    assert 'id="result"' in client.get(page).get_data(as_text=True)


def test_the_county_then_the_city_review_on_the_page(app, client, make):
    ids = build(app, make, "submitted")
    page = f"/rewards/{ids['submitted']}"
    sign_in(client, make.user("federation_officer", region_code="3601"))
    assert post_form(client, f"{page}/review", {"decision": "pass"}).status_code == 403
    sign_in(client, make.user("federation_officer", region_code="360102"))
    listing = client.get("/rewards/").get_data(as_text=True)
    assert page in listing
    refused = post_form(client, f"{page}/review", {"decision": "return", "reason": ""})
    assert refused.status_code == 400
    assert _declaration(app, ids["submitted"]).status == "submitted"
    assert post_form(client, f"{page}/review", {"decision": "pass"}).status_code == 302
    sign_in(client, make.user("federation_officer", region_code="3601"))
    assert post_form(client, f"{page}/review",
                     {"decision": "return", "reason": "缺少工资发放记录"}).status_code == 302
    found = _declaration(app, ids["submitted"])
    assert (found.status, found.return_reason) == ("returned", "缺少工资发放记录")
    sign_in(client, ids["submitted_contact"])
    assert "缺少工资发放记录" in client.get(page).get_data(as_text=True)


def test_an_officer_outside_the_region_and_another_contact_see_nothing(app, client, make):
    ids = build(app, make, "draft", "submitted")
    sign_in(client, make.user("federation_officer", region_code="360103"))
    assert client.get(f"/rewards/{ids['submitted']}").status_code == 403
    assert f'/rewards/{ids["submitted"]}"' not in client.get("/rewards/").get_data(as_text=True)
    sign_in(client, make.user("federation_officer", region_code="360102"))
    assert client.get(f"/rewards/{ids['draft']}").status_code == 403  # a draft is theirs
    sign_in(client, make.user("enterprise_contact"))
    assert client.get(f"/rewards/{ids['draft']}").status_code == 403


def test_the_city_opens_the_notice_records_and_resolves_an_objection(app, client, make):
    ids = build(app, make, "city_reviewed")
    page = f"/rewards/{ids['city_reviewed']}"
    sign_in(client, make.user("federation_officer", region_code="3601"))
    assert post_form(client, f"{page}/notice", {}).status_code == 302
    found = _declaration(app, ids["city_reviewed"])
    assert found.status == "in_notice"
    notices = client.get("/rewards/notices").get_data(as_text=True)
    with app.app_context():
        employee = db.session.scalars(select(DeclaredEmployee).where(
            DeclaredEmployee.declaration_id == found.id)).one()
        name, number = employee.name, employee.id_number
    assert page not in notices and name not in notices and number[-4:] not in notices
    refused = post_form(client, f"{page}/objections", {"received_on": "", "content": ""})
    assert refused.status_code == 400
    today = local_today().isoformat()
    assert post_form(client, f"{page}/objections",
                     {"received_on": today, "content": "职工已离职"}).status_code == 302
    with app.app_context():
        objection = db.session.scalars(select(RewardObjection)).one().id
    assert post_form(client, f"{page}/approve", {}).status_code == 302  # refused: flashed
    assert _declaration(app, found.id).status == "in_notice"
    assert post_form(client, f"{page}/objections/{objection}/resolve",
                     {f"objection{objection}-resolution": "核实无误"}).status_code == 302
    assert "核实无误" in client.get(page).get_data(as_text=True)


def test_the_city_records_the_payment_once(app, client, make):
    ids = build(app, make, "approved")
    page = f"/rewards/{ids['approved']}"
    sign_in(client, make.user("federation_officer", region_code="3601"))
    assert post_form(client, f"{page}/pay", {"reference": ""}).status_code == 400
    assert post_form(client, f"{page}/pay", {"reference": "GJ2026001"}).status_code == 302
    found = _declaration(app, ids["approved"])
    assert (found.status, found.payment_reference) == ("paid", "GJ2026001")
    pdf = client.get(f"{page}/notice.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get(f"/verify/{found.verification_code}").status_code == 200
    sign_in(client, make.user("federation_officer", region_code="3601"))
    assert post_form(client, f"{page}/pay", {"reference": "GJ2026002"}).status_code == 403
    assert _declaration(app, found.id).payment_reference == "GJ2026001"


def test_the_public_notice_lists_enterprises_and_amounts(app, client, make):
    ids = build(app, make, "in_notice")
    text = client.get("/rewards/notices").get_data(as_text=True)
    with app.app_context():
        found = db.session.get(RewardDeclaration, ids["in_notice"])
        assert found.enterprise.name in text


def test_an_officer_sets_a_reward_budget_of_their_region(app, client, make):
    sign_in(client, make.user("federation_officer", region_code="3601"))
    assert "/rewards/budgets" in client.get("/rewards/").get_data(as_text=True)
    year = local_today().year
    assert client.get(f"/rewards/budgets?year={year}").status_code == 200
    saved = post_form(client, "/rewards/budgets", {"region_code": "360102", "year": year,
                                                   "amount": "50000"})
    assert saved.status_code == 302
    assert "¥50,000.00" in client.get(f"/rewards/budgets?year={year}").get_data(as_text=True)
    outside = post_form(client, "/rewards/budgets", {"region_code": "360402", "year": year,
                                                     "amount": "1"})
    assert outside.status_code == 400  # not a region of theirs: not among the choices
