"""The subsidy pages of institutions and officers through the test client: forms post to the
services, refusals come back in Chinese and change nothing, officers of another region are
refused, the trace shows each parameter value with its date, and the lists do not issue more
statements as they grow."""

from __future__ import annotations

from sqlalchemy import insert, select

from tests.conftest import post_form, sign_in
from tests.subsidies.builders import decided, set_budgets
from tests.training import builders
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies.models import Budget, Decision, Payment
from trainhub.training.models import Batch, Enrolment


def _decision(app, decision_id: int) -> Decision:
    with app.app_context():
        found = db.session.get(Decision, decision_id)
        assert found is not None
        db.session.expunge(found)
        return found


def _staff_of(app, make, batch_id: int) -> str:
    with app.app_context():
        institution_id = db.session.get(Batch, batch_id).institution_id
    return make.user("institution_staff", institution_id=institution_id)


def _statuses(app, batch_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Decision.status).where(
            Decision.batch_id == batch_id).order_by(Decision.kind)))


def test_staff_compute_then_claim_with_the_buttons(app, client, make):
    ids = builders.build(app, make, "completed")
    batch = f"/subsidies/batches/{ids['completed']}"
    sign_in(client, _staff_of(app, make, ids["completed"]))
    page = client.get(batch).get_data(as_text=True)
    assert "尚未计算" in page and f"{batch}/compute" in page
    answer = post_form(client, f"{batch}/compute", {})
    assert answer.headers["Location"].endswith(batch)
    page = client.get(batch).get_data(as_text=True)
    assert "¥1,000.00" in page and "¥400.00" in page and "培训费补贴" in page
    assert _statuses(app, ids["completed"]) == ["computed", "computed"]
    post_form(client, f"{batch}/submit", {})
    assert _statuses(app, ids["completed"]) == ["submitted", "submitted"]
    assert "已申报" in client.get(batch).get_data(as_text=True)


def test_the_batch_page_links_from_the_training_batch(app, client, make):
    ids = decided(app, make, "computed")
    sign_in(client, _staff_of(app, make, ids["completed"]))
    page = client.get(f"/training/batches/{ids['completed']}").get_data(as_text=True)
    assert f"/subsidies/batches/{ids['completed']}" in page


def test_an_officer_approves_and_records_the_payment(app, client, make):
    ids = decided(app, make, "submitted")
    officer = make.user("federation_officer", region_code="3601")
    with app.app_context():
        set_budgets(make.get_user(officer))
        db.session.commit()
    sign_in(client, officer)
    page = f"/subsidies/decisions/{ids['decision']}"
    post_form(client, f"{page}/approve", {})
    assert _decision(app, ids["decision"]).status == "approved"
    html = client.get(page).get_data(as_text=True)
    assert "记录拨付" in html and "培训学校" in html  # the payee: the institution
    today = local_today().isoformat()
    missing = post_form(client, f"{page}/pay", {"paid_on": "", "reference": "GK2026-0099"})
    assert missing.status_code == 400  # the reference typed stays (issue 12)
    assert 'value="GK2026-0099"' in missing.get_data(as_text=True)
    post_form(client, f"{page}/pay", {"paid_on": today, "reference": "GK2026-0099"})
    assert _decision(app, ids["decision"]).status == "paid"
    with app.app_context():
        payment = db.session.scalars(select(Payment)).one()
        assert (payment.reference, payment.amount_fen) == ("GK2026-0099", 100000)
    history = client.get(page).get_data(as_text=True)
    assert "GK2026-0099" in history and "已批准" in history


def test_a_rejection_needs_a_reason_and_keeps_it(app, client, make):
    ids = decided(app, make, "submitted")
    officer = make.user("federation_officer", region_code="360102")
    sign_in(client, officer)
    page = f"/subsidies/decisions/{ids['living']}"
    empty = post_form(client, f"{page}/reject", {"reason": " "})
    # The page again with the error on the reason, linked from the summary (issue 12).
    assert empty.status_code == 400
    html = empty.get_data(as_text=True)
    assert "驳回理由" in html and 'id="reason-error"' in html and 'href="#reason"' in html
    assert _decision(app, ids["living"]).status == "submitted"
    post_form(client, f"{page}/reject", {"reason": "签到记录与考勤表不符"})
    found = _decision(app, ids["living"])
    assert (found.status, found.rejection_reason) == ("rejected", "签到记录与考勤表不符")
    batch = client.get(f"/subsidies/batches/{ids['completed']}").get_data(as_text=True)
    assert "签到记录与考勤表不符" in batch


def test_bulk_approval_over_the_budget_approves_nothing_and_says_why(app, client, make):
    first, second = decided(app, make, "submitted"), decided(app, make, "submitted")
    officer = make.user("federation_officer", region_code="360102")
    with app.app_context():
        set_budgets(make.get_user(officer), fee=150000)  # room for one ¥1,000 subsidy
        db.session.commit()
    sign_in(client, officer)
    queue = client.get("/subsidies/approvals").get_data(as_text=True)
    assert f'id="approve-{first["decision"]}"' in queue
    assert f'id="approve-{second["decision"]}"' in queue
    answer = post_form(client, "/subsidies/approvals",
                       {"decision": [first["decision"], second["decision"]]})
    assert answer.status_code == 400  # the queue again, both still ticked (issue 12)
    html = answer.get_data(as_text=True)
    assert "超出" in html and "¥2,000.00" in html and "¥1,500.00" in html
    assert {_decision(app, i).status for i in (first["decision"], second["decision"])} == {
        "submitted"}
    post_form(client, "/subsidies/approvals", {"decision": [first["decision"]]})
    assert _decision(app, first["decision"]).status == "approved"
    assert _decision(app, second["decision"]).status == "submitted"


def test_the_queue_filters_by_kind_and_batch(app, client, make):
    first, second = decided(app, make, "submitted"), decided(app, make, "submitted")
    sign_in(client, make.user("federation_officer", region_code="36"))
    living = client.get("/subsidies/approvals?kind=living").get_data(as_text=True)
    assert f'id="approve-{first["living"]}"' in living
    assert f'id="approve-{first["decision"]}"' not in living
    one = client.get(f"/subsidies/approvals?batch={second['completed']}").get_data(
        as_text=True)
    assert f'id="approve-{second["decision"]}"' in one
    assert f'id="approve-{first["decision"]}"' not in one


def _batch_choices(html: str) -> str:
    return html.split('id="filter-batch"', 1)[1].split("</select>", 1)[0]


def test_the_queue_offers_batches_within_the_chosen_institution(app, client, make):
    """A province has thousands of batches with claims waiting: the batch filter lists
    those of the institution chosen, or the batch already chosen (issue 13)."""
    first, second = decided(app, make, "submitted"), decided(app, make, "submitted")
    with app.app_context():
        institution = db.session.get(Batch, first["completed"]).institution_id
    sign_in(client, make.user("federation_officer", region_code="36"))
    page = client.get("/subsidies/approvals").get_data(as_text=True)
    assert _batch_choices(page).count("<option") == 1  # "any" alone
    assert 'aria-describedby="filter-batch-hint"' in page and "请先选择培训机构" in page
    chosen = client.get(f"/subsidies/approvals?institution={institution}").get_data(
        as_text=True)
    assert f'<option value="{first["completed"]}"' in _batch_choices(chosen)
    assert f'<option value="{second["completed"]}"' not in _batch_choices(chosen)
    assert "filter-batch-hint" not in chosen
    kept = client.get(f"/subsidies/approvals?batch={second['completed']}").get_data(
        as_text=True)
    assert f'<option value="{second["completed"]}" selected>' in _batch_choices(kept)


def test_an_officer_of_another_region_is_refused(app, client, make):
    ids = decided(app, make, "submitted")
    sign_in(client, make.user("federation_officer", region_code="360103"))
    page = f"/subsidies/decisions/{ids['decision']}"
    assert client.get(page).status_code in (403, 404)
    assert client.get(f"/subsidies/batches/{ids['completed']}").status_code in (403, 404)
    assert post_form(client, f"{page}/approve", {}).status_code in (403, 404)
    assert post_form(client, "/subsidies/approvals",
                     {"decision": [ids["decision"]]}).status_code in (403, 404)
    queue = client.get("/subsidies/approvals").get_data(as_text=True)
    assert f'id="approve-{ids["decision"]}"' not in queue
    assert _decision(app, ids["decision"]).status == "submitted"


def test_the_trace_shows_each_parameter_value_with_its_date(app, client, make):
    ids = decided(app, make, "computed")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    html = client.get(f"/subsidies/decisions/{ids['decision']}").get_data(as_text=True)
    assert "您的培训费补贴为 1,000.00 元" in html
    standard = "培训费补贴：专项职业能力证书或培训合格证书"
    assert f"{standard}：¥1,000.00（自 2022年1月1日 起施行，全省）" in html
    assert "全额培训费补贴所需出勤率：80%" in html  # a percentage, with its date too
    assert "劳动年龄" in html and "计划学时：40" in html  # rules and inputs, in Chinese


def test_the_trace_reads_in_english_too(app, client, make):
    ids = decided(app, make, "computed")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    client.set_cookie("trainhub_lang", "en")
    html = client.get(f"/subsidies/decisions/{ids['decision']}").get_data(as_text=True)
    assert "Your training-fee subsidy is 1,000.00 yuan" in html
    assert "in force from January 1, 2022" in html


def test_budgets_are_set_with_the_form_and_never_below_what_is_committed(app, client, make):
    ids = decided(app, make, "approved")
    sign_in(client, make.user("federation_officer", region_code="3601"))
    year = local_today().year
    answer = post_form(client, "/subsidies/budgets", {
        "region_code": "3601", "year": year, "kind": "fee", "amount": "250000.00"})
    assert answer.status_code == 302
    with app.app_context():
        budget = db.session.scalars(select(Budget).where(Budget.region_code == "3601",
                                                         Budget.kind == "fee")).one()
        assert budget.amount_fen == 25_000_000
    page = client.get("/subsidies/budgets").get_data(as_text=True)
    assert "¥250,000.00" in page and 'data-chart-table="budgets-fee"' in page
    lower = post_form(client, "/subsidies/budgets", {
        "region_code": "360102", "year": year, "kind": "fee", "amount": "5.00"})
    assert lower.status_code == 400
    assert "已承诺" in lower.get_data(as_text=True) or "已占用" in lower.get_data(as_text=True)
    assert _decision(app, ids["decision"]).status == "approved"


def test_a_budget_outside_the_region_is_refused(app, client, make):
    sign_in(client, make.user("federation_officer", region_code="360103"))
    answer = post_form(client, "/subsidies/budgets", {
        "region_code": "360102", "year": local_today().year, "kind": "fee",
        "amount": "100.00"})
    assert answer.status_code == 403
    with app.app_context():
        assert db.session.scalars(select(Budget)).all() == []


# --- statement counts ---------------------------------------------------------------

def _more_decisions(app, template_id: int, count: int) -> None:
    """`count` more trainees in the template's batch, each with a fee subsidy and a living
    allowance copied from the template's (inserted in bulk)."""
    with app.app_context():
        template = db.session.get(Decision, template_id)
        people = [builders.person() for _ in range(count)]
        enrolments = db.session.scalars(insert(Enrolment).returning(Enrolment.id), [
            {"batch_id": template.batch_id, "person_id": p.id, "status": "admitted"}
            for p in people]).all()
        columns = {c.key: getattr(template, c.key) for c in Decision.__table__.columns
                   if c.key not in ("id", "enrolment_id", "person_id", "kind",
                                    "verification_code")}
        db.session.execute(insert(Decision), [
            dict(columns, enrolment_id=e, person_id=p.id, kind=kind)
            for e, p in zip(enrolments, people, strict=True) for kind in ("fee", "living")])
        db.session.commit()


def _counted(client, count_queries, path: str) -> tuple[int, str]:
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_approval_queue_statements_do_not_grow(app, client, make, count_queries):
    ids = decided(app, make, "submitted")
    _more_decisions(app, ids["decision"], 4)
    sign_in(client, make.user("federation_officer", region_code="3601"))
    client.get("/subsidies/approvals")
    few, _ = _counted(client, count_queries, "/subsidies/approvals")
    _more_decisions(app, ids["decision"], 45)
    # the queues' sizes are counted again once after the decisions changed (versions.kept)
    client.get("/subsidies/approvals")
    many, html = _counted(client, count_queries, "/subsidies/approvals")
    assert "100 项待审批" in html
    print(f"approval queue: {few} statements at 10 claims, {many} at 100")
    assert few == many, (few, many)


def test_batch_page_statements_do_not_grow(app, client, make, count_queries):
    ids = decided(app, make, "submitted")
    _more_decisions(app, ids["decision"], 4)
    sign_in(client, make.user("federation_officer", region_code="3601"))
    path = f"/subsidies/batches/{ids['completed']}"
    client.get(path)
    few, _ = _counted(client, count_queries, path)
    _more_decisions(app, ids["decision"], 45)
    many, html = _counted(client, count_queries, path)
    assert "共 100 项" in html
    print(f"batch subsidies: {few} statements at 10 decisions, {many} at 100")
    assert few == many, (few, many)
