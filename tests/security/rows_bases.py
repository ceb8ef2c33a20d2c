"""Permission-matrix rows of the base-certification pages. The objects live in 南昌市东湖区
(360102) and belong to an institution none of the matrix actors works for."""

from __future__ import annotations

from tests.bases.builders import build
from tests.security.matrix import ACTORS, OFFICERS_IN_SCOPE, Row

STAFF_AND_OFFICERS = {"institution_staff", "officer_province", "officer_city",
                      "officer_county", "officer_other_city", "officer_other_county", "admin"}
IN_SCOPE_AND_ADMIN = OFFICERS_IN_SCOPE | {"admin"}
COUNTY_ONLY = {"officer_county"}
NOBODY: set[str] = set()


def _row(method: str, path: str, allowed: set[str], *parts: str, **kw: object) -> Row:
    return Row(method, lambda ids, p=path: p.format(**ids), allowed,
               prepare=lambda app, make: build(app, make, *parts), **kw)


DRAFT, REVIEW, NOTICE, BASE, INCUBATOR = "draft", "in_review", "notice", "base", "incubator"

ROWS: dict[str, Row] = {
    "bases.applications": _row("GET", "/bases/applications", STAFF_AND_OFFICERS),
    "bases.new_application": _row("GET", "/bases/applications/new", {"institution_staff"}),
    "bases.edit_application": _row("GET", "/bases/applications/{draft}/edit", NOBODY, DRAFT),
    "bases.application": _row("GET", "/bases/applications/{in_review}", IN_SCOPE_AND_ADMIN,
                              REVIEW),
    "bases.upload_evidence": _row("POST", "/bases/applications/{draft}/evidence", NOBODY,
                                  DRAFT),
    "bases.delete_evidence": _row(
        "POST", "/bases/applications/{draft}/evidence/{evidence}/delete", NOBODY, DRAFT),
    # Officers see an application once it is submitted (a draft is the institution's).
    "bases.download_evidence": _row("GET", "/bases/evidence/{in_review_evidence}",
                                    IN_SCOPE_AND_ADMIN, REVIEW),
    "bases.submit": _row("POST", "/bases/applications/{draft}/submit", NOBODY, DRAFT),
    "bases.withdraw": _row("POST", "/bases/applications/{draft}/withdraw", NOBODY, DRAFT),
    "bases.review": _row("POST", "/bases/applications/{in_review}/review", COUNTY_ONLY, REVIEW,
                         data={"decision": "recommend", "comments": "同意"}),
    "bases.record_objection": _row("POST", "/bases/applications/{notice}/objections",
                                   COUNTY_ONLY, NOTICE,
                                   data={"received_on": "2026-01-01", "content": "异议"}),
    "bases.add_review_photo": _row("POST",
                                   "/bases/applications/{notice}/reviews/{review}/photos",
                                   COUNTY_ONLY, NOTICE),
    "bases.resolve_objection": _row("POST", "/bases/objections/{objection}/resolve",
                                    COUNTY_ONLY, NOTICE, data={"resolution": "已核实"}),
    "bases.certify": _row("POST", "/bases/applications/{notice}/certify", COUNTY_ONLY, NOTICE),
    "bases.notices": _row("GET", "/bases/notices", set(ACTORS), public=True),
    "bases.index": _row("GET", "/bases/", STAFF_AND_OFFICERS),
    "bases.base": _row("GET", "/bases/{base}", IN_SCOPE_AND_ADMIN, BASE),
    "bases.certificate": _row("GET", "/bases/{base}/certificate.pdf", IN_SCOPE_AND_ADMIN, BASE),
    "bases.annual_review": _row("GET", "/bases/{base}/annual-review", OFFICERS_IN_SCOPE, BASE),
    "bases.suspend": _row("POST", "/bases/{base}/suspend", OFFICERS_IN_SCOPE, BASE,
                          data={"reason": "整改", "confirmed": "1"}),
    "bases.reinstate": _row("POST", "/bases/{base}/reinstate", OFFICERS_IN_SCOPE, BASE),
    "bases.revoke": _row("POST", "/bases/{base}/revoke", OFFICERS_IN_SCOPE, BASE,
                         data={"reason": "撤销", "confirmed": "1"}),
    "bases.renew": _row("POST", "/bases/{base}/renew", NOBODY, BASE),
    "bases.resident": _row("GET", "/bases/{incubator}/residents/new", OFFICERS_IN_SCOPE,
                           INCUBATOR),
}
