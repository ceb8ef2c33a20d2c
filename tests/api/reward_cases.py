"""The over-quota reward operations in the conformance test: one declaration per
state-changing call (so that no call depends on the order of the others), all in 南昌市东湖区
(360102) of the conformance test's city officer, who opens the notices, approves and pays.
The enterprise's operations are called with its contact's token, whose draft is of the year
before last (so that creating last year's declaration is not a second one); the county
review with a county officer's (TOKENS)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask import Flask
from openpyxl import Workbook

from tests.rewards.builders import build
from tests.rewards.conftest import PDF, id_number
from trainhub.core.timeutil import local_today
from trainhub.rewards.employee_import import COLUMNS

D = "/reward-declarations/{declaration_id}"
PATH_IDS: dict[tuple[str, str], dict[str, str]] = {
    ("get", D + "/evidence/{file_id}"): {"declaration_id": "r_submitted",
                                         "file_id": "r_submitted_evidence"},
    ("get", D + "/notice.pdf"): {"declaration_id": "r_approved"},
    ("put", D): {"declaration_id": "r_draft"},
    ("post", D + "/employees"): {"declaration_id": "r_draft"},
    ("delete", D + "/employees/{employee_id}"): {"declaration_id": "r_draft",
                                                 "employee_id": "r_draft_employee"},
    ("post", D + "/employees/import"): {"declaration_id": "r_draft"},
    ("post", D + "/evidence"): {"declaration_id": "r_draft"},
    ("delete", D + "/evidence/{file_id}"): {"declaration_id": "r_draft",
                                            "file_id": "r_draft_evidence"},
    ("post", D + "/submit"): {"declaration_id": "r_draft"},
    ("post", D + "/review"): {"declaration_id": "r_submitted"},
    ("post", D + "/notice"): {"declaration_id": "r_city_reviewed"},
    ("post", D + "/objections"): {"declaration_id": "r_in_notice"},
    ("post", D + "/objections/{objection_id}/resolve"): {"declaration_id": "r_in_notice",
                                                         "objection_id": "r_objection"},
    ("post", D + "/approve"): {"declaration_id": "r_notice_over"},
    ("post", D + "/pay"): {"declaration_id": "r_approved"},
}
TOKENS = {"rewards.declare": "r_contact", "rewards.review": "r_county"}
DEFAULT_IDS = {"declaration_id": "r_submitted"}
POSITIVE_DATA = {"include-tag": "rewards", "checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "400", "401", "403", "404", "409"]}}}


def objects(app: Flask, make: Any) -> dict[str, Any]:
    today = local_today()
    draft = build(app, make, "draft", year=today.year - 2)
    built = build(app, make, "approved", "submitted", "city_reviewed", "in_notice",
                  "notice_over")
    return {"r_contact": draft["draft_contact"], "r_draft": draft["draft"],
            "r_draft_employee": draft["draft_employee"],
            "r_draft_evidence": draft["draft_evidence"],
            "r_county": make.user("federation_officer", region_code="360102"),
            "r_submitted": built["submitted"], "r_submitted_evidence": built["submitted_evidence"],
            "r_city_reviewed": built["city_reviewed"], "r_in_notice": built["in_notice"],
            "r_objection": built["in_notice_objection"], "r_notice_over": built["notice_over"],
            "r_approved": built["approved"]}


def _employee(number: str) -> dict[str, Any]:
    return {"name": "王小明", "id_number": number, "cert_number": f"{number}43",
            "certificate_valid_from": "2020-01-01", "certificate_valid_until": None,
            "contract_start": "2020-01-01", "contract_end": None, "insurance_months": 12,
            "monthly_wage_fen": 300000}


def _workbook() -> bytes:
    number = id_number(date(1987, 3, 4))
    row = {"name": "李四", "id_number": number, "cert_number": f"{number}42",
           "certificate_valid_from": "2019-01-01", "certificate_valid_until": "长期",
           "contract_start": "2020-01-01", "contract_end": "无固定期限",
           "insurance_months": 12, "monthly_wage": "2600"}
    book = Workbook()
    book.active.append([c.header for c in COLUMNS])
    book.active.append([row[c.key] for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bodies(ids: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    today = local_today()
    multipart = {"media_type": "multipart/form-data"}
    return {
        ("post", "/reward-declarations"): {"body": {"year": today.year - 1,
                                                    "staff_count": "50"}},
        ("put", D): {"body": {"staff_count": "80"}},
        ("post", D + "/employees"): {"body": _employee(id_number(date(1986, 7, 8)))},
        ("post", D + "/employees/import"): {"body": {"file": _workbook()}, **multipart},
        ("post", D + "/evidence"): {"body": {"file": PDF}, **multipart},
        ("post", D + "/review"): {"body": {"decision": "pass"}},
        ("post", D + "/objections"): {"body": {"received_on": str(today), "content": "异议"}},
        ("post", D + "/objections/{objection_id}/resolve"): {
            "body": {"upheld": False, "resolution": "经核实无误"}},
        ("post", D + "/pay"): {"body": {"reference": "GJ2026001"}},
        ("put", "/reward-budgets"): {"body": {"region_code": "3601", "year": today.year,
                                              "amount_fen": 10**9}},
    }
