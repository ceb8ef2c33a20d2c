"""Permission-matrix rows of the institution pages (the institution is in 南昌市东湖区)."""

from __future__ import annotations

from typing import Any

from tests.security.matrix import ALL_OFFICERS, OFFICERS_IN_SCOPE, Row


def _institution(app: Any, make: Any) -> dict[str, Any]:
    return {"institution": make.institution("360102")}


IN_SCOPE = OFFICERS_IN_SCOPE | {"admin"}

ROWS: dict[str, Row] = {
    "institutions.index": Row("GET", lambda ids: "/institutions/", ALL_OFFICERS | {"admin"}),
    "institutions.edit": Row("GET", lambda ids: f"/institutions/{ids['institution']}/edit",
                             IN_SCOPE, prepare=_institution),
    "institutions.show": Row("GET", lambda ids: f"/institutions/{ids['institution']}",
                             IN_SCOPE, prepare=_institution),
    "institutions.add_staff": Row("POST", lambda ids: f"/institutions/{ids['institution']}/staff",
                                  IN_SCOPE, data={"username": "new.staff",
                                                  "display_name": "新员工"},
                                  prepare=_institution),
}
