"""The approval queue a page at a time (issue 13): each of its two lists shows 50 rows with
its own pager, named apart for screen readers, and the bulk approval works on the rows shown
and comes back to the page it was sent from."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from tests.conftest import post_form, sign_in
from tests.subsidies.builders import decided, set_budgets
from tests.subsidies.test_views import _more_decisions
from trainhub.extensions import db
from trainhub.subsidies.models import Decision


def _queue(app, make) -> tuple[str, list[int], list[int]]:
    """An officer of 东湖区 and 60 claims submitted, 60 approved (in the order served)."""
    ids = decided(app, make, "submitted")
    _more_decisions(app, ids["decision"], 59)
    with app.app_context():
        every = list(db.session.scalars(select(Decision.id).order_by(Decision.submitted_at,
                                                                     Decision.id)))
        assert len(every) == 120
        db.session.execute(update(Decision).where(Decision.id.in_(every[60:]))
                           .values(status="approved"))
        db.session.commit()
    officer = make.user("federation_officer", region_code="360102")
    with app.app_context():
        set_budgets(make.get_user(officer))
        db.session.commit()
    return officer, every[:60], every[60:]


def _ticks(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'name="decision" value="(\d+)"', html)]


def _paid(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'action="/subsidies/decisions/(\d+)/pay"', html)]


def _links(html: str) -> set[tuple[str, ...]]:
    found = re.findall(r'class="page-link" href="/subsidies/approvals\?([^"#]*)#([\w-]+)"', html)
    return {(*sorted(query.split("&amp;")), anchor) for query, anchor in found}


def test_each_list_pages_with_its_own_named_pager(app, client, make):
    officer, submitted, approved = _queue(app, make)
    sign_in(client, officer)
    first = client.get("/subsidies/approvals").get_data(as_text=True)
    assert _ticks(first) == submitted[:50] and _paid(first) == approved[:50]
    assert "共 60 项待审批" in first and "共 60 项已批准待拨付" in first
    labels = re.findall(r'<nav aria-label="([^"]+)">\s*<ul class="pagination">', first)
    assert len(labels) == 2 and len(set(labels)) == 2, labels
    # each Next keeps the other list's page and lands on its own list
    assert _links(first) == {("awaiting_page=2", "payment_page=1", "to-approve"),
                             ("awaiting_page=1", "payment_page=2", "to-pay")}
    # the links of a row (built once for the page) still lead to the row's own decision
    assert f'href="/subsidies/decisions/{submitted[0]}"' in first

    second = client.get("/subsidies/approvals?awaiting_page=2&payment_page=2").get_data(
        as_text=True)
    assert _ticks(second) == submitted[50:] and _paid(second) == approved[50:]
    assert 'name="awaiting_page" value="2"' in second  # the approval form sends it back
    # a page beyond the last shows the last; a malformed one the first
    assert _ticks(client.get("/subsidies/approvals?awaiting_page=9").get_data(
        as_text=True)) == submitted[50:]
    assert _ticks(client.get("/subsidies/approvals?awaiting_page=x").get_data(
        as_text=True)) == submitted[:50]


def test_bulk_approval_of_the_rows_of_a_later_page(app, client, make):
    officer, submitted, _approved = _queue(app, make)
    sign_in(client, officer)
    chosen = submitted[50:52]
    answer = post_form(client, "/subsidies/approvals",
                       {"decision": chosen, "awaiting_page": "2", "payment_page": "1"})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/subsidies/approvals?awaiting_page=2")
    with app.app_context():
        statuses = {decision: status for decision, status in db.session.execute(
            select(Decision.id, Decision.status).where(Decision.id.in_(submitted)))}
    assert [statuses[i] for i in chosen] == ["approved", "approved"]
    assert {statuses[i] for i in submitted if i not in chosen} == {"submitted"}
    left = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert _ticks(left) == submitted[52:]


def test_a_row_read_as_columns_shows_what_its_decision_holds(app, client, make):
    """The queue reads its rows as columns (issue 13): each row still names the decision's
    trainee, batch, institution and payee, with its kind and amount, as the decision does."""
    from trainhub.core.i18n import money_fen
    from trainhub.subsidies import decisions
    from trainhub.subsidies.display import KIND_LABELS

    officer, submitted, approved = _queue(app, make)
    sign_in(client, officer)
    html = client.get("/subsidies/approvals").get_data(as_text=True)
    with app.test_request_context("/"):
        for decision_id, rows in ((submitted[0], "to-approve"), (approved[0], "to-pay")):
            decision = db.session.get(Decision, decision_id)
            section = html.split(f'id="{rows}"', 1)[1].split("</section>", 1)[0]
            row = section.split(f"/subsidies/decisions/{decision_id}", 1)[1].split("</tr>")[0]
            expected = [decision.person.name, str(KIND_LABELS[decision.kind]),
                        money_fen(decision.amount_fen)]
            if rows == "to-approve":
                expected += [decision.batch.title, decision.institution.name]
            else:
                expected.append(decisions.payee_name(decision))
            for text in expected:
                assert text in row, (rows, text)
