"""A subsidy that is not granted shows no amount as if it were (issue 12, item 10): the
officers' pages say 不予补贴 as 我的补贴 does, and the API answers `granted` with
`amount_fen` 0 for a decision the rules refused or the federation rejected, and for each
subsidy `explain` computes."""

from __future__ import annotations

import re

import pytest

from tests.conftest import post_form, sign_in
from tests.subsidies.api_builders import bearer_for, build
from tests.subsidies.builders import decided
from tests.subsidies.test_api import claim_json
from tests.unit.subsidies.casefile import CASES, load_case
from trainhub.extensions import db
from trainhub.subsidies.models import Decision


@pytest.fixture
def token(app, make):
    return lambda who, **scope: bearer_for(app, make, who, **scope)


def _row(html: str, decision_id: int) -> str:
    """The text of the table row linking to the decision (tags removed)."""
    link = html.index(f'href="/subsidies/decisions/{decision_id}"')
    row = html[html.rindex("<tr>", 0, link):html.index("</tr>", link)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))


def test_a_refused_or_rejected_decision_shows_no_amount_to_officers(app, client, make):
    """The officers' pages showed the amount the rules computed for a rejected claim, and
    ¥0.00 for a refusal, as if granted (issue 12, item 10): 不予补贴, like 我的补贴."""
    ids = decided(app, make, "submitted")
    with app.app_context():
        refused = db.session.get(Decision, ids["decision"])
        assert refused is not None  # recomputed after its claim: refused by the rules now
        refused.eligible, refused.amount_fen, refused.reasons = False, 0, ["no_certificate"]
        db.session.commit()
    sign_in(client, make.user("federation_officer", region_code="360102"))
    post_form(client, f"/subsidies/decisions/{ids['living']}/reject",
              {"reason": "签到记录与考勤表不符"})
    batch = client.get(f"/subsidies/batches/{ids['completed']}").get_data(as_text=True)
    for decision_id in (ids["decision"], ids["living"]):
        row = _row(batch, decision_id)
        assert "不予补贴" in row and "¥" not in row, row
    page = client.get(f"/subsidies/decisions/{ids['living']}").get_data(as_text=True)
    status = page[page.index('<div class="alert alert-info" role="status">'):]
    status = status[:status.index("</div>")]
    assert "金额： 不予补贴" in re.sub(r"<[^>]+>", "", status) and "¥" not in status
    queue = client.get("/subsidies/approvals").get_data(as_text=True)
    row = _row(queue, ids["decision"])
    assert "不予补贴" in row and "¥0.00" not in row


def test_a_refused_or_rejected_decision_answers_no_amount_and_granted_false(app, client,
                                                                           token):
    """The amount the rules computed was answered for a rejected claim as if it were
    granted (issue 12, item 10): `granted` says whether anything is granted, and
    `amount_fen` is what is granted, 0 for a refusal or a rejection, in lists and details."""
    ids = build(app, "rejected", "approved")
    with app.app_context():
        refused = db.session.get(Decision, ids["living"])
        assert refused is not None
        refused.eligible, refused.amount_fen = False, 0  # refused by the rules
        refused.reasons = ["no_in_person_days"]
        db.session.commit()
    county = token(ids["subsidy_county"])
    listed = {d["id"]: d for d in client.get(
        f"/api/v1/subsidies/decisions?batch_id={ids['batch']}&per_page=100",
        headers=county).json["items"]}
    for decision_id in (ids["rejected"], ids["living"]):
        detail = client.get(f"/api/v1/subsidies/decisions/{decision_id}", headers=county).json
        for answer in (listed[decision_id], detail):
            assert (answer["granted"], answer["amount_fen"]) == (False, 0), answer["status"]
    assert listed[ids["rejected"]]["eligible"] is True  # the rules granted, the federation not
    granted = listed[ids["approved"]]
    assert (granted["granted"], granted["amount_fen"]) == (True, 150000)


def test_explain_says_whether_each_subsidy_is_granted(client, token):
    claim = claim_json(load_case(CASES / "01_standard_intermediate.yaml").claim)
    granted = client.post("/api/v1/subsidies/explain", json=claim,
                          headers=token("institution_staff")).json
    assert (granted["fee"]["granted"], granted["fee"]["amount_fen"]) == (True, 150000)
    claim["person"]["has_valid_certificate"] = False
    refused = client.post("/api/v1/subsidies/explain", json=claim,
                          headers=token("institution_staff")).json
    for kind in ("fee", "living"):
        assert (refused[kind]["granted"], refused[kind]["amount_fen"]) == (False, 0)
