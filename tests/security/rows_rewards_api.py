"""Matrix rows of the over-quota reward API (/api/v1). Calls carry a token of the actor;
trainees and judges cannot hold one, so their calls go without and are refused like
anonymous ones. A draft belongs to the matrix's enterprise contact; a declaration under
review lies in 南昌市东湖区 (360102) and belongs to an enterprise none of the actors works for.
Write rows send a well-formed body, so a refusal comes from the scope, not the validation."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from tests.rewards.builders import build
from tests.rewards.conftest import PDF
from tests.security.matrix import ALL_OFFICERS, OFFICERS_IN_SCOPE, Row
from tests.security.rows_rewards import CITY, CONTACT, _contacts_draft


def _xlsx() -> bytes:
    book = Workbook()
    book.active.append(["姓名"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _draft(method: str, path: str, **kw: Any) -> Row:
    return Row(method, lambda ids, p=path: "/api/v1" + p.format(**ids), CONTACT, api=True,
               prepare=_contacts_draft, **kw)


def _at(state: str, method: str, path: str, allowed: set[str], **kw: Any) -> Row:
    return Row(method, lambda ids, p=path: "/api/v1" + p.format(**ids), allowed, api=True,
               prepare=lambda app, make: build(app, make, state), **kw)


EMPLOYEE = {"name": "王小明", "id_number": "360102198506010011",
            "cert_number": "36010219850601001143", "certificate_valid_from": "2020-01-01",
            "contract_start": "2024-01-01", "insurance_months": 12, "monthly_wage_fen": 250000}
D = "/reward-declarations"

ROWS: dict[str, Row] = {
    "rewards_api.list_declarations": Row("GET", lambda ids: f"/api/v1{D}?status=submitted",
                                         ALL_OFFICERS | CONTACT, api=True),
    "rewards_api.get_declaration": _at("submitted", "GET", D + "/{submitted}",
                                       OFFICERS_IN_SCOPE),
    "rewards_api.download_evidence": _at(
        "submitted", "GET", D + "/{submitted}/evidence/{submitted_evidence}", OFFICERS_IN_SCOPE),
    "rewards_api.download_notice": _at("approved", "GET", D + "/{approved}/notice.pdf",
                                       OFFICERS_IN_SCOPE),
    "rewards_api.create_declaration": Row("POST", lambda ids: f"/api/v1{D}", CONTACT, api=True,
                                          data={"year": 2025, "staff_count": "50"}),
    "rewards_api.update_declaration": _draft("PUT", D + "/{draft}",
                                             data={"staff_count": "80"}),
    "rewards_api.add_employee": _draft("POST", D + "/{draft}/employees", data=EMPLOYEE),
    "rewards_api.delete_employee": _draft("DELETE", D + "/{draft}/employees/{draft_employee}"),
    "rewards_api.import_employees": _draft("POST", D + "/{draft}/employees/import",
                                           data={"file": _xlsx()}),
    "rewards_api.upload_evidence": _draft("POST", D + "/{draft}/evidence", data={"file": PDF}),
    "rewards_api.delete_evidence": _draft("DELETE", D + "/{draft}/evidence/{draft_evidence}"),
    "rewards_api.submit_declaration": _draft("POST", D + "/{draft}/submit"),
    "rewards_api.review_declaration": _at("submitted", "POST", D + "/{submitted}/review",
                                          {"officer_county"}, data={"decision": "pass"}),
    "rewards_api.open_notice": _at("city_reviewed", "POST", D + "/{city_reviewed}/notice", CITY),
    "rewards_api.record_objection": _at("in_notice", "POST", D + "/{in_notice}/objections",
                                        CITY, data={"received_on": "2026-01-01",
                                                    "content": "异议"}),
    "rewards_api.resolve_objection": _at(
        "in_notice", "POST", D + "/{in_notice}/objections/{in_notice_objection}/resolve", CITY,
        data={"upheld": False, "resolution": "已核实"}),
    "rewards_api.approve_declaration": _at("in_notice", "POST", D + "/{in_notice}/approve",
                                           CITY),
    "rewards_api.pay_declaration": _at("approved", "POST", D + "/{approved}/pay", CITY,
                                       data={"reference": "GJ001"}),
    # The budgets of one's region and below (the subsidies' permission, as on the page).
    "rewards_api.list_budgets": Row("GET", lambda ids: "/api/v1/reward-budgets?year=2026",
                                    ALL_OFFICERS, api=True),
    "rewards_api.set_budget": Row("PUT", lambda ids: "/api/v1/reward-budgets",
                                  OFFICERS_IN_SCOPE, api=True,
                                  data={"region_code": "360102", "year": 2026,
                                        "amount_fen": 1_000_000}),
}
