"""The approval page reads the rows of both its lists in one statement (loaders.queues),
each list still its own page in the order served (issue 13)."""

from __future__ import annotations

from tests.conftest import sign_in
from tests.subsidies.test_approval_pages import _paid, _queue, _ticks


def test_both_lists_are_read_in_one_statement(app, client, make, count_queries):
    officer, submitted, approved = _queue(app, make)
    sign_in(client, officer)
    client.get("/subsidies/approvals")  # the kept sizes and choices
    with count_queries() as statements:
        html = client.get("/subsidies/approvals?awaiting_page=2").get_data(as_text=True)
    assert _ticks(html) == submitted[50:] and _paid(html) == approved[:50]
    assert sum("people.name" in s for s in statements) == 1
