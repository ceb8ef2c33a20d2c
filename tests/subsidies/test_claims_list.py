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
