"""The subsidy claims list read as columns with its count beside the page (issue 13): each
completed batch with its institution, region, dates and decisions by status."""

from __future__ import annotations

from tests.conftest import sign_in
from tests.subsidies.builders import decided
from trainhub.core.i18n import local_date
from trainhub.core.regions import region_names
from trainhub.extensions import db
from trainhub.training.models import Batch


def test_the_claims_list_shows_each_batch_with_its_institution_and_decisions(app, client,
                                                                              make):
    ids = decided(app, make, "submitted")
    officer = make.user("federation_officer", region_code="360102")
    sign_in(client, officer)
    html = client.get("/subsidies/batches").get_data(as_text=True)
    with app.test_request_context("/"):
        batch = db.session.get(Batch, ids["completed"])
        names = region_names()
        row = html.split(f'href="/subsidies/batches/{batch.id}"', 1)[1].split("</tr>", 1)[0]
        for text in (batch.title, batch.institution.name, names[batch.region_code],
                     f"{local_date(batch.start_date)} – {local_date(batch.end_date)}",
                     "已申报，待审批: 2"):
            assert text in row, text
    assert "共 1 个已结业培训班" in _caption(html)
    # a page beyond the last lists no batch and still counts them
    beyond = client.get("/subsidies/batches?page=5").get_data(as_text=True)
    assert f"/subsidies/batches/{batch.id}" not in beyond
    assert _caption(beyond) == _caption(html)


def _caption(html: str) -> str:
    return html.split("<caption", 1)[1].split("</caption>", 1)[0]


def test_a_batch_claims_row_read_as_columns_shows_what_its_decision_holds(app, client, make):
    """A batch's claims page reads its decisions as columns (issue 13): each row still shows
    the trainee, kind, status, amount and payee its decision holds."""
    from trainhub.subsidies import decisions
    from trainhub.subsidies.display import KIND_LABELS, amount_text, status_label
    from trainhub.subsidies.models import Decision

    ids = decided(app, make, "submitted")
    officer = make.user("federation_officer", region_code="360102")
    sign_in(client, officer)
    html = client.get(f"/subsidies/batches/{ids['completed']}").get_data(as_text=True)
    with app.test_request_context("/"):
        for key in ("decision", "living"):
            decision = db.session.get(Decision, ids[key])
            row = html.split(f'href="/subsidies/decisions/{decision.id}"', 1)[0]
            row = row.rsplit("<tr>", 1)[1]
            for text in (decision.person.name, str(KIND_LABELS[decision.kind]),
                         str(status_label(decision)), amount_text(decision),
                         decisions.payee_name(decision)):
                assert text in row, (key, text)
