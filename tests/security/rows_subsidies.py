"""Permission-matrix rows of the subsidy pages of institutions and officers. The batch and
its decisions sit in 南昌市东湖区 (360102) and belong to an institution none of the actors
works for, so no matrix actor may compute or claim them; officers covering 东湖区 decide
them. A refused row is 403 or 404 before any service runs; an allowed one may still meet a
rule (a redirect with the message), which is what it is for."""

from __future__ import annotations

from tests.security.matrix import ALL_OFFICERS, OFFICERS_IN_SCOPE, Row
from tests.subsidies.builders import decided

IN_SCOPE_AND_ADMIN = OFFICERS_IN_SCOPE | {"admin"}
NOBODY: set[str] = set()


def _row(method: str, path: str, allowed: set[str], stage: str | None = None,
         **kw: object) -> Row:
    def prepare(app, make):  # two parameters: the matrix passes ids to three
        return decided(app, make, stage) if stage else {}

    return Row(method, lambda ids, p=path: p.format(**ids), allowed, prepare=prepare, **kw)


def _chosen() -> Row:
    """The bulk approval posts the ticked decision's id, known only once it is built. It is
    in 东湖区: an officer elsewhere is refused the whole request."""
    row = Row("POST", lambda ids: "/subsidies/approvals", OFFICERS_IN_SCOPE)

    def prepare(app, make):
        ids = decided(app, make, "submitted")
        row.data = {"decision": str(ids["decision"])}
        return ids

    row.prepare = prepare
    return row


B = "/subsidies/batches/{completed}"
D = "/subsidies/decisions/{decision}"
ROWS: dict[str, Row] = {
    "subsidies.batches": _row("GET", "/subsidies/batches",
                              ALL_OFFICERS | {"institution_staff", "admin"}),
    "subsidies.batch": _row("GET", B, IN_SCOPE_AND_ADMIN, "computed"),
    "subsidies.compute": _row("POST", B + "/compute", NOBODY, "computed"),
    "subsidies.submit": _row("POST", B + "/submit", NOBODY, "computed"),
    "subsidies.decision": _row("GET", D, IN_SCOPE_AND_ADMIN, "submitted"),
    "subsidies.approve": _row("POST", D + "/approve", OFFICERS_IN_SCOPE, "submitted"),
    "subsidies.reject": _row("POST", D + "/reject", OFFICERS_IN_SCOPE, "submitted",
                             data={"reason": "材料不全"}),
    "subsidies.pay": _row("POST", D + "/pay", OFFICERS_IN_SCOPE, "approved",
                          data={"paid_on": "2026-01-05", "reference": "GK-MATRIX"}),
    "subsidies.approvals": _row("GET", "/subsidies/approvals", ALL_OFFICERS),
    "subsidies.approve_chosen": _chosen(),
    "subsidies.budget_list": _row("GET", "/subsidies/budgets", ALL_OFFICERS),
    "subsidies.set_budget": _row("POST", "/subsidies/budgets", OFFICERS_IN_SCOPE,
                                 data={"region_code": "360102", "year": "2026",
                                       "kind": "fee", "amount": "1000.00"}),
    "subsidies.reports": _row("GET", "/subsidies/reports", ALL_OFFICERS | {"admin"}),
    "subsidies.report_xlsx": _row("GET", "/subsidies/reports.xlsx", ALL_OFFICERS | {"admin"}),
}
