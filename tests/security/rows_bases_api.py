"""Matrix rows of the bases API (/api/v1). Calls carry a token of the actor; trainees and
judges cannot hold one, so their calls go without and are refused like anonymous ones. The
objects live in 南昌市东湖区 (360102) and belong to an institution none of the actors works
for; write rows send a well-formed body, so a refusal comes from the scope, not from the
validation (an allowed actor may still get 400/409 from the certification rules)."""

from __future__ import annotations

from tests.bases.builders import PDF, PNG, build
from tests.security.matrix import ALL_OFFICERS, OFFICERS_IN_SCOPE, Row
from tests.security.rows_bases import (
    BASE,
    COUNTY_ONLY,
    DRAFT,
    IN_SCOPE_AND_ADMIN,
    INCUBATOR,
    NOBODY,
    NOTICE,
    REVIEW,
    STAFF_AND_OFFICERS,
)


def _row(method: str, path: str, allowed: set[str], *parts: str, **kw: object) -> Row:
    return Row(method, lambda ids, p=path: "/api/v1" + p.format(**ids), allowed, api=True,
               prepare=lambda app, make: build(app, make, *parts), **kw)


NEW_APPLICATION = {"kind": "training", "level_sought": "county", "specialties": ["massage"],
                   "answers": {}}
RESIDENT = {"name": "赣创电商工作室", "founder_name": "王芳", "entry_date": "2026-01-05",
            "jobs_created": 2}

ROWS: dict[str, Row] = {
    "bases_api.list_applications": _row("GET", "/base-applications?status=in_review",
                                        STAFF_AND_OFFICERS),
    "bases_api.criteria": _row("GET", "/base-applications/criteria?kind=incubator",
                               STAFF_AND_OFFICERS),
    "bases_api.get_application": _row("GET", "/base-applications/{in_review}",
                                      IN_SCOPE_AND_ADMIN, REVIEW),
    "bases_api.create_application": _row("POST", "/base-applications", {"institution_staff"},
                                         data=NEW_APPLICATION),
    "bases_api.upload_evidence": _row("POST", "/base-applications/{draft}/evidence", NOBODY,
                                      DRAFT, data={"file": PDF}),
    "bases_api.submit_application": _row("POST", "/base-applications/{draft}/submit", NOBODY,
                                         DRAFT),
    "bases_api.review_application": _row("POST", "/base-applications/{in_review}/review",
                                         COUNTY_ONLY, REVIEW,
                                         data={"decision": "recommend", "comments": "同意"}),
    "bases_api.certify_application": _row("POST", "/base-applications/{notice}/certify",
                                          COUNTY_ONLY, NOTICE),
    "bases_api.list_bases": _row("GET", "/bases?kind=training&status=valid",
                                 STAFF_AND_OFFICERS),
    "bases_api.get_base": _row("GET", "/bases/{base}", IN_SCOPE_AND_ADMIN, BASE),
    "bases_api.get_coverage": _row("GET", "/bases/coverage?kind=training",
                                   ALL_OFFICERS | {"admin"}),
    # Applications: the institution's corrections, files, and the notice's objections.
    "bases_api.update_application": _row("PUT", "/base-applications/{draft}", NOBODY, DRAFT,
                                         data=NEW_APPLICATION),
    "bases_api.withdraw_application": _row("POST", "/base-applications/{draft}/withdraw",
                                           NOBODY, DRAFT),
    # Officers see an application once it is submitted (a draft is the institution's).
    "bases_api.download_evidence": _row(
        "GET", "/base-applications/{in_review}/evidence/{in_review_evidence}",
        IN_SCOPE_AND_ADMIN, REVIEW),
    "bases_api.delete_evidence": _row("DELETE",
                                      "/base-applications/{draft}/evidence/{evidence}", NOBODY,
                                      DRAFT),
    # The county's review of the notice's application: its level, its region.
    "bases_api.upload_review_photo": _row(
        "POST", "/base-applications/{notice}/reviews/{review}/photos", COUNTY_ONLY, NOTICE,
        data={"file": PNG}),
    "bases_api.record_objection": _row("POST", "/base-applications/{notice}/objections",
                                       COUNTY_ONLY, NOTICE,
                                       data={"received_on": "2026-01-01", "content": "异议"}),
    "bases_api.resolve_objection": _row(
        "POST", "/base-applications/{notice}/objections/{objection}/resolve", COUNTY_ONLY,
        NOTICE, data={"upheld": False, "resolution": "已核实"}),
    # A county-level base: officers at or above its level who cover 东湖区 manage it.
    "bases_api.certificate": _row("GET", "/bases/{base}/certificate.pdf", IN_SCOPE_AND_ADMIN,
                                  BASE),
    "bases_api.review_sheet": _row("GET", "/bases/{base}/annual-review", OFFICERS_IN_SCOPE,
                                   BASE),
    "bases_api.record_annual_review": _row(
        "POST", "/bases/{base}/annual-review", OFFICERS_IN_SCOPE, BASE,
        data={"year": 2026, "scores": {}, "outcome": "pass"}),
    "bases_api.suspend_base": _row("POST", "/bases/{base}/suspend", OFFICERS_IN_SCOPE, BASE,
                                   data={"reason": "整改"}),
    "bases_api.reinstate_base": _row("POST", "/bases/{base}/reinstate", OFFICERS_IN_SCOPE,
                                     BASE),
    "bases_api.revoke_base": _row("POST", "/bases/{base}/revoke", OFFICERS_IN_SCOPE, BASE,
                                  data={"reason": "撤销"}),
    "bases_api.renew_base": _row("POST", "/bases/{base}/renewal", NOBODY, BASE),
    "bases_api.list_residents": _row("GET", "/bases/{incubator}/residents", OFFICERS_IN_SCOPE,
                                     INCUBATOR),
    "bases_api.create_resident": _row("POST", "/bases/{incubator}/residents",
                                      OFFICERS_IN_SCOPE, INCUBATOR, data=RESIDENT),
    "bases_api.update_resident": _row("PUT", "/bases/{incubator}/residents/{resident}",
                                      OFFICERS_IN_SCOPE, INCUBATOR, data=RESIDENT),
    "bases_api.coverage_xlsx": _row("GET", "/bases/coverage.xlsx?kind=training",
                                    ALL_OFFICERS | {"admin"}),
}
