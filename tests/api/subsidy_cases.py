"""The subsidy operations in the conformance test: which token calls each, the objects its
path names (one per state-changing call, so that no call depends on the order of the
others), and a body each accepts. The decisions sit in 南昌市东湖区 (360102), which the city
officer of the conformance test (南昌市, 3601) covers; the parameter value is a 南昌市
override, which that officer may add."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask

from tests.subsidies.api_builders import CLAIM, build, voucher, voucher_numbers
from trainhub.core.timeutil import local_today

# Declared permission → the `ids` entry naming the account whose token calls it; any other
# subsidy operation is called with the city officer's token.
TOKENS = {"subsidies.claim": "subsidy_staff"}

D = "/subsidies/decisions/{decision_id}"
PATH_IDS: dict[tuple[str, str], dict[str, str]] = {
    ("post", "/subsidies/batches/{batch_id}/compute"): {"batch_id": "s_batch"},
    ("post", D + "/reject"): {"decision_id": "s_to_reject"},
    ("post", D + "/pay"): {"decision_id": "s_approved"},
    ("post", "/subsidies/vouchers/{voucher_id}/cancel"): {"voucher_id": "s_to_cancel"},
}
DEFAULT_IDS = {"decision_id": "s_computed", "key": "s_key", "voucher_id": "s_voucher"}
# The operations of the tag may answer a schema-valid request with the documented 400: a
# claim the engine finds inconsistent, a value the parameter refuses, a region that does not
# exist, a blank reason, a payment dated in the future, or a person who cannot receive a
# voucher.
POSITIVE_DATA = {"include-tag": "subsidies", "checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "400", "401", "403", "404", "409"]}}}


def bodies(ids: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    today = local_today()
    return {
        ("post", "/subsidies/explain"): {"body": CLAIM},
        ("post", "/parameters/{key}/values"): {"body": {
            "effective_from": str(today + timedelta(days=365)), "region_code": "3601",
            "amount_fen": 160000, "note": "南昌市标准"}},
        ("post", "/subsidies/decisions/submit"): {"body": {"decision_ids": [ids["s_to_submit"]]}},
        ("post", "/subsidies/decisions/approve"): {
            "body": {"decision_ids": [ids["s_submitted"]]}},
        ("post", D + "/reject"): {"body": {"reason": "材料不全"}},
        ("post", D + "/pay"): {"body": {"paid_on": str(today), "reference": "GK-0009"}},
        ("put", "/subsidies/budgets"): {"body": {
            "region_code": "360102", "year": today.year, "kind": "fee",
            "amount_fen": 200_000_000}},
        ("post", "/subsidies/vouchers"): {"body": {
            "id_numbers": [ids["s_voucher_number"]], "face_value_fen": 100000,
            "valid_from": str(today), "valid_until": str(today + timedelta(days=90)),
            "categories": ["massage"]}},
        ("post", "/subsidies/vouchers/{voucher_id}/cancel"): {"body": {"reason": "发放有误"}},
    }


def objects(app: Flask) -> dict[str, Any]:
    """The institution's staff (username), one decision per state-changing call, a voucher
    and the ID number of a person who may receive one."""
    claimed = build(app, "computed", "submitted", "approved")
    other = build(app, "computed")
    return {"subsidy_staff": claimed["subsidy_staff"], "s_batch": claimed["batch"],
            "s_to_submit": claimed["computed"], "s_submitted": claimed["submitted"],
            "s_approved": claimed["approved"], "s_to_reject": other["computed"],
            "s_computed": other["computed"], "s_key": "subsidies.fee_intermediate",
            "s_voucher": voucher(app)["voucher"], "s_voucher_number": voucher_numbers(app)[0],
            "s_to_cancel": voucher(app)["voucher"]}
