"""Decisions stored before dates were written the pages' way (issue 12, item 8) keep ISO
dates in the Chinese explanation stored with them (2026-11-17). Their trace keeps the dates
as values: the pages and the API write the explanation from it, and the notice writes the
stored text's dates as the pages do, without revoking a notice registered before."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext

from tests.conftest import sign_in
from tests.subsidies.api_builders import bearer_for
from tests.subsidies.builders import decided, staff_of
from trainhub.core.documents import service as documents
from trainhub.core.documents.models import VerificationStatus
from trainhub.core.i18n import local_date
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import decisions, display, explain, notices
from trainhub.subsidies.models import Decision
from trainhub.training.models import Batch

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
CLAIMED = local_today() + timedelta(days=400)  # past the 12-month claim deadline


@pytest.fixture
def old(app, make) -> dict[str, int | str]:
    """A fee decision refused by the claim deadline, its explanation stored as before the
    fix (ISO dates); the claim date as the pages write it."""
    ids = decided(app, make, "computed")
    with app.app_context():
        batch = db.session.get(Batch, ids["completed"])
        assert batch is not None
        decisions.compute_batch(batch, staff_of(batch), CLAIMED)
        found = db.session.get(Decision, ids["decision"])
        assert found is not None and found.reasons == ["claim_deadline_passed"]
        with force_locale("zh_Hans_CN"):
            found.explanation = explain.explain(display.result_of(found), gettext).text
            claimed = local_date(CLAIMED)
        assert CLAIMED.isoformat() in found.explanation  # stored the old way
        db.session.commit()
    return {"decision": ids["decision"], "claimed": claimed}


def _text(html: str, start: str, end: str) -> str:
    part = html[html.index(start):]
    return re.sub(r"<[^>]+>", " ", part[:part.index(end)])


def test_the_decision_page_writes_the_dates_of_an_old_explanation_the_pages_way(
        app, client, make, old):
    sign_in(client, make.user("federation_officer", region_code="360102"))
    html = client.get(f"/subsidies/decisions/{old['decision']}").get_data(as_text=True)
    explained = _text(html, 'id="why"', "</section>")
    assert old["claimed"] in explained and not ISO.search(explained)
    trace = _text(html, 'id="trace"', "</ol>")
    assert old["claimed"] in trace and not ISO.search(trace)


def test_the_api_writes_them_the_pages_way_too(app, client, make, old):
    headers = bearer_for(app, make, "federation_officer", region_code="360102")
    body = client.get(f"/api/v1/subsidies/decisions/{old['decision']}", headers=headers).json
    texts = [body["notice_text"], body["explanation"]["text"],
             *(step["message"] for step in body["trace"])]
    assert old["claimed"] in body["notice_text"] and old["claimed"] in body["explanation"]["text"]
    assert not [text for text in texts if ISO.search(text)]


def test_the_notice_writes_them_and_one_registered_before_still_holds(app, old):
    with app.test_request_context():
        found = db.session.get(Decision, old["decision"])
        assert found is not None
        facts = notices.facts(found)
        explained = "".join(value for key, value in facts if key == "Explanation")
        assert old["claimed"] in explained and not ISO.search(explained)
        # A notice registered before the fix froze the ISO dates: the same decision, the same
        # notice, which stays valid (nothing about the decision changed).
        assert facts[-1][0] == "Explanation"  # no rejection reason after it
        before = [row for row in facts if row[0] != "Explanation"] + [
            ["Explanation", found.explanation]]
        issued = documents.issue(notices.DOCUMENT_KIND, before, region_code=found.region_code,
                                 valid_from=local_today())
        found.verification_code = issued.code
        db.session.flush()
        notices.revise([found])
        assert found.verification_code == issued.code
        assert notices.current(found).code == issued.code
        assert issued.status == VerificationStatus.VALID.value
