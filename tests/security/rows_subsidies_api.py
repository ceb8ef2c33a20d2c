"""Matrix rows of the subsidies API (/api/v1): parameters, explain, decisions, budgets.
Calls carry a token of the actor; trainees cannot hold one, so their calls go
without and are refused like anonymous ones. The decisions sit in 南昌市东湖区 (360102) and
belong to an institution none of the actors works for, so only officers covering 东湖区 and
the administrator see them, and nobody may claim them. Write rows send a well-formed body,
so a refusal comes from the scope, not from the validation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask

from tests.security.matrix import ALL_OFFICERS, OFFICERS_IN_SCOPE, Row
from tests.subsidies.api_builders import CLAIM, build, voucher, voucher_numbers
from trainhub.core.timeutil import local_today

TODAY = local_today()
NOBODY: set[str] = set()
PARAMETER_READERS = ALL_OFFICERS | {"admin"}
SUBSIDY_READERS = ALL_OFFICERS | {"admin", "institution_staff"}
IN_SCOPE_AND_ADMIN = OFFICERS_IN_SCOPE | {"admin"}
# A city override of 南昌市 (3601): the admin, the province's officers and 南昌市's own.
CITY_EDITORS = {"admin", "officer_province", "officer_city"}
KEY = "subsidies.fee_intermediate"
NEW_VALUE = {"effective_from": str(TODAY + timedelta(days=365)), "region_code": "3601",
             "amount_fen": 160000, "dry_run": True}
BUDGET = {"region_code": "360102", "year": TODAY.year, "kind": "fee",
          "amount_fen": 200_000_000}


def _row(method: str, path: str, allowed: set[str], *states: str, **kw: object) -> Row:
    prepare = (lambda app, make: build(app, *states)) if states else None
    return Row(method, lambda ids, p=path: "/api/v1" + p.format(**ids), allowed, api=True,
               prepare=prepare, **kw)


def _issue() -> Row:
    """The body names a person built for the call (filled in at preparation, as in _bulk).
    Officers outside 东湖区 get past the permission but the person reads as unknown to
    them: the documented 400, line by line, which the matrix counts as reaching the
    operation."""
    body: dict[str, object] = {"face_value_fen": 100000, "valid_from": str(TODAY),
                               "valid_until": str(TODAY + timedelta(days=90))}

    def prepare(app: Flask, make: Any) -> dict[str, Any]:
        body["id_numbers"] = voucher_numbers(app)
        return {}

    return Row("POST", lambda ids: "/api/v1/subsidies/vouchers", ALL_OFFICERS, data=body,
               api=True, prepare=prepare)


def _bulk(path: str, allowed: set[str], state: str) -> Row:
    """A bulk operation names its decisions in the body, which is static in a row: the
    body is filled with the decision just built (the client encodes it at call time)."""
    body: dict[str, list[int]] = {"decision_ids": []}

    def prepare(app: Flask, make: Any) -> dict[str, Any]:
        ids = build(app, state)
        body["decision_ids"] = [ids[state]]
        return ids

    return Row("POST", lambda ids: "/api/v1" + path, allowed, data=body, api=True,
               prepare=prepare)


D = "/subsidies/decisions"
ROWS: dict[str, Row] = {
    "subsidies_api.list_parameters": _row("GET", "/parameters?domain=subsidies",
                                          PARAMETER_READERS),
    "subsidies_api.get_parameter": _row("GET", f"/parameters/{KEY}", PARAMETER_READERS),
    "subsidies_api.add_parameter_value": _row("POST", f"/parameters/{KEY}/values",
                                              CITY_EDITORS, data=NEW_VALUE),
    "subsidies_api.explain_claim": _row("POST", "/subsidies/explain", SUBSIDY_READERS,
                                        data=CLAIM),
    "subsidies_api.list_decisions": _row("GET", D + "?status=computed&kind=fee",
                                         SUBSIDY_READERS),
    "subsidies_api.get_decision": _row("GET", D + "/{computed}", IN_SCOPE_AND_ADMIN,
                                       "computed"),
    # Only the batch's own institution computes and claims: no actor works for it.
    "subsidies_api.compute_batch": _row("POST", "/subsidies/batches/{batch}/compute", NOBODY,
                                        "computed"),
    "subsidies_api.submit_decisions": _bulk(D + "/submit", NOBODY, "computed"),
    "subsidies_api.approve_decisions": _bulk(D + "/approve", OFFICERS_IN_SCOPE, "submitted"),
    "subsidies_api.reject_decision": _row("POST", D + "/{computed}/reject", OFFICERS_IN_SCOPE,
                                          "computed", data={"reason": "材料不全"}),
    "subsidies_api.pay_decision": _row("POST", D + "/{approved}/pay", OFFICERS_IN_SCOPE,
                                       "approved", data={"paid_on": str(TODAY),
                                                         "reference": "GK-0002"}),
    "subsidies_api.list_budgets": _row("GET", "/subsidies/budgets?kind=fee", ALL_OFFICERS),
    "subsidies_api.set_budget": _row("PUT", "/subsidies/budgets", OFFICERS_IN_SCOPE,
                                     data=BUDGET),
    "subsidies_api.list_vouchers": _row("GET", "/subsidies/vouchers?status=issued",
                                        ALL_OFFICERS),
    "subsidies_api.get_voucher": Row("GET", lambda ids: f"/api/v1/subsidies/vouchers/"
                                                        f"{ids['voucher']}", OFFICERS_IN_SCOPE,
                                     api=True, prepare=lambda app, make: voucher(app)),
    "subsidies_api.issue_vouchers": _issue(),
    "subsidies_api.cancel_voucher": Row("POST", lambda ids: f"/api/v1/subsidies/vouchers/"
                                                            f"{ids['voucher']}/cancel",
                                        OFFICERS_IN_SCOPE, data={"reason": "发放有误"},
                                        api=True, prepare=lambda app, make: voucher(app)),
}
