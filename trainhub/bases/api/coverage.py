"""Coverage of the targets under /api/v1, as figures and as the dashboard's workbook."""

from __future__ import annotations

from typing import Any

from flask import Response

from trainhub.bases import coverage_views
from trainhub.bases.api import bp
from trainhub.bases.api.schemas import CoverageOut, CoverageQuery
from trainhub.bases.coverage import coverage
from trainhub.bases.coverage_views import XLSX_MIME, Filters, scope_code
from trainhub.bases.models import BaseKind
from trainhub.core import policy
from trainhub.core.api import SECURED, file_answer
from trainhub.core.timeutil import local_today
from trainhub.extensions import db


def _filters(query: dict[str, str]) -> Filters:
    kind = BaseKind(query["kind"]) if query.get("kind") else None
    return Filters(kind, query.get("specialty"))


@bp.get("/bases/coverage")
@bp.input(CoverageQuery, location="query", arg_name="query")
@bp.output(CoverageOut)
@bp.doc(operation_id="getBaseCoverage",
        summary="Coverage of the targets in the token owner's region, as on the dashboard",
        **SECURED)
@policy.permission("bases.coverage")
def get_coverage(query: dict[str, str]) -> dict[str, Any]:
    filters = _filters(query)
    report = coverage(scope_code(), local_today(), filters.kind, filters.specialty)
    return {"on": report.on, "scope_code": report.scope_code, "kind": query.get("kind"),
            "specialty": query.get("specialty"), "totals": report.totals,
            "cities": report.cities}


@bp.get("/bases/coverage.xlsx")
@bp.input(CoverageQuery, location="query", arg_name="query")
@bp.doc(operation_id="exportBaseCoverage",
        summary="The dashboard's Excel workbook: cities, counties and the counting rule",
        **file_answer("The .xlsx workbook", XLSX_MIME))
@policy.permission("bases.coverage")
def coverage_xlsx(query: dict[str, str]) -> Response:
    filters = _filters(query)
    report = coverage(scope_code(), local_today(), filters.kind, filters.specialty)
    data = coverage_views.workbook(report, filters)
    coverage_views.record_export(report, filters)
    db.session.commit()
    return coverage_views.xlsx_response(data, report.on)
