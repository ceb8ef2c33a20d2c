"""Matrix rows of the bases API (/api/v1). Calls carry a token of the actor; trainees and
judges cannot hold one, so their calls go without and are refused like anonymous ones. The
objects live in 南昌市东湖区 (360102) and belong to an institution none of the actors works
for; write rows send a well-formed body, so a refusal comes from the scope, not from the
validation (an allowed actor may still get 400/409 from the certification rules)."""

from __future__ import annotations

from tests.bases.builders import PDF, build
from tests.security.matrix import ALL_OFFICERS, Row
from tests.security.rows_bases import (
    BASE,
    COUNTY_ONLY,
    DRAFT,
    IN_SCOPE_AND_ADMIN,
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
}
