"""Permission-matrix rows of the over-quota reward pages. A draft belongs to the matrix's
enterprise contact (its enterprise); a declaration under review lies in 南昌市东湖区 (360102)
and belongs to an enterprise none of the matrix actors works for."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.rewards.builders import build
from tests.security.matrix import ACTORS, ALL_OFFICERS, OFFICERS_IN_SCOPE, Row
from trainhub.core.accounts.models import User
from trainhub.extensions import db

CONTACT = {"enterprise_contact"}


def _contacts_draft(app: Flask, make: Any, ids: dict[str, Any]) -> dict[str, Any]:
    with app.app_context():
        contact = db.session.query(User).filter(User.username.in_(ids["actors"]),
                                                User.role == "enterprise_contact").one()
        username, enterprise_id = contact.username, contact.enterprise_id
    return build(app, make, "draft", enterprise_id=enterprise_id, contact=username)


def _draft(method: str, path: str, **kw: Any) -> Row:
    return Row(method, lambda ids, p=path: p.format(**ids), CONTACT, prepare=_contacts_draft,
               **kw)


def _submitted(method: str, path: str, allowed: set[str], **kw: Any) -> Row:
    return _at("submitted", method, path, allowed, **kw)


def _at(state: str, method: str, path: str, allowed: set[str], **kw: Any) -> Row:
    return Row(method, lambda ids, p=path: p.format(**ids), allowed,
               prepare=lambda app, make: build(app, make, state), **kw)


CITY = {"officer_city"}


ROWS: dict[str, Row] = {
    "rewards.index": Row("GET", lambda ids: "/rewards/", ALL_OFFICERS | CONTACT),
    "rewards.new": Row("GET", lambda ids: "/rewards/new", CONTACT),
    # Officers see a declaration once submitted, inside their region.
    "rewards.declaration": _submitted("GET", "/rewards/{submitted}", OFFICERS_IN_SCOPE),
    "rewards.download_evidence": _submitted(
        "GET", "/rewards/{submitted}/evidence/{submitted_evidence}", OFFICERS_IN_SCOPE),
    # Only the county officer acts on a declaration waiting for the county.
    "rewards.review": _submitted("POST", "/rewards/{submitted}/review", {"officer_county"},
                                 data={"decision": "pass"}),
    "rewards.edit_staff": _draft("POST", "/rewards/{draft}/staff", data={"staff_count": "90"}),
    "rewards.add_employee": _draft("POST", "/rewards/{draft}/employees"),
    "rewards.import_employees": _draft("POST", "/rewards/{draft}/employees/import"),
    "rewards.employees_template": Row("GET", lambda ids: "/rewards/employees-template.xlsx",
                                      CONTACT),
    "rewards.remove_employee": _draft("POST",
                                      "/rewards/{draft}/employees/{draft_employee}/delete"),
    "rewards.upload_evidence": _draft("POST", "/rewards/{draft}/evidence"),
    "rewards.remove_evidence": _draft("POST", "/rewards/{draft}/evidence/{draft_evidence}/delete"),
    "rewards.submit": _draft("POST", "/rewards/{draft}/submit"),
    # Every officer keeps the reward budgets of their region (the subsidies' permission).
    "rewards.budgets": Row("GET", lambda ids: "/rewards/budgets", ALL_OFFICERS),
    # 公示 is public: enterprises and amounts, never the persons.
    "rewards.notices": Row("GET", lambda ids: "/rewards/notices", set(ACTORS), public=True),
    # The notice, objections, approval and payment: the city officer of the region.
    "rewards.open_notice": _at("city_reviewed", "POST", "/rewards/{city_reviewed}/notice", CITY),
    "rewards.record_objection": _at("in_notice", "POST", "/rewards/{in_notice}/objections", CITY,
                                    data={"received_on": "2026-01-01", "content": "异议"}),
    "rewards.resolve_objection": _at(
        "in_notice", "POST", "/rewards/{in_notice}/objections/{in_notice_objection}/resolve",
        CITY, data={"objection1-resolution": "已核实"}),
    "rewards.approve": _at("in_notice", "POST", "/rewards/{in_notice}/approve", CITY),
    "rewards.notice": _at("approved", "GET", "/rewards/{approved}/notice.pdf",
                          OFFICERS_IN_SCOPE),
    "rewards.pay": _at("approved", "POST", "/rewards/{approved}/pay", CITY,
                       data={"reference": "GJ001"}),
}
