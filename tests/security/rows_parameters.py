"""Permission-matrix rows of the parameter pages (trainhub/core/parameters/views.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.security.matrix import ALL_OFFICERS, Row
from trainhub.core.parameters import service
from trainhub.core.parameters.defaults import load_defaults, spec_for
from trainhub.extensions import db

KEY = "bases.notice_days"
# Province values: admin and province officers; a 南昌市 (3601) override: also its officers.
EDITORS_OF_NANCHANG = {"admin", "officer_province", "officer_city"}


def _prepare(app: Any, make: Any) -> dict[str, Any]:
    with app.app_context():
        load_defaults([spec_for(KEY)])
        row = service.add_value(KEY, "5", date(2030, 1, 1), "3601", "matrix", None)
        db.session.commit()
        return {"parameter_value": row.id}


ROWS: dict[str, Row] = {
    "parameters.index": Row("GET", lambda ids: "/parameters/", ALL_OFFICERS | {"admin"}),
    "parameters.show": Row("GET", lambda ids: f"/parameters/{KEY}", ALL_OFFICERS | {"admin"},
                           prepare=_prepare),
    "parameters.add_value": Row(
        "POST", lambda ids: f"/parameters/{KEY}/values", EDITORS_OF_NANCHANG,
        data={"region_code": "3601", "value": "9", "effective_from": "2031-01-01",
              "note": "matrix"}, prepare=_prepare),
    "parameters.edit_value": Row(
        "GET", lambda ids: f"/parameters/values/{ids['parameter_value']}/edit",
        EDITORS_OF_NANCHANG, prepare=_prepare),
}
