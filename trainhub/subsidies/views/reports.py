"""The reconciliation report for officers (their region) and the admin (the province): per
institution, per region and per month, as tables and as an Excel workbook of figures only
(no names of trainees, no personal numbers)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import quote

from flask import Response, render_template, request
from flask_babel import gettext
from flask_login import current_user

from trainhub.core import policy
from trainhub.core.audit.service import record
from trainhub.core.errors import NotFound
from trainhub.core.excel import CellValue, Sheet, write_workbook
from trainhub.core.inputs import bounded_int
from trainhub.core.regions import region_path
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import display, loaders, reconciliation
from trainhub.subsidies.views import bp

REPORTS = "subsidies.reports"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR = 2020


def _parse(args: Any) -> tuple[int, str | None]:
    this = local_today().year
    year = args.get("year", type=bounded_int)
    kind = args.get("kind", "")
    return (year if year is not None and FIRST_YEAR <= year <= this else this,
            kind if kind in display.KIND_LABELS else None)


def _report() -> reconciliation.Report:
    scope = loaders.scope_of(current_user)
    if scope is None:
        raise NotFound(loaders.NOT_FOUND)
    year, kind = _parse(request.args)
    return reconciliation.report(scope, year, kind)


def counting_rule() -> str:
    return gettext(
        "A decision counts in the month it was last computed (China time); approved, paid "
        "and rejected decisions are no longer recomputed, so they stay in their month. "
        "Approved includes paid. Refused: not eligible, or rejected by the federation. "
        "Computed = approved + refused + awaiting a decision.")


@bp.get("/reports")
@policy.permission(REPORTS)
def reports() -> str:
    report = _report()
    this = local_today().year
    return render_template(
        "subsidies/reports.html", report=report, scope_name=region_path(report.scope_code),
        years=list(range(this, FIRST_YEAR - 1, -1)),
        kinds=display.KIND_LABELS, counting_rule=counting_rule())


# --- the workbook ---------------------------------------------------------------------

def _header(first: str) -> list[str]:
    return [first, gettext("Decisions computed"), gettext("Amount computed (yuan)"),
            gettext("Approved (paid included)"), gettext("Amount approved (yuan)"),
            gettext("Paid"), gettext("Amount paid (yuan)"), gettext("Refused"),
            gettext("Amount refused (yuan)"), gettext("Awaiting a decision"),
            gettext("Amount awaiting (yuan)")]


def _row(name: str, figures: reconciliation.Figures) -> list[CellValue]:
    cells: list[CellValue] = [name]
    for count, fen in figures.counts_and_amounts():
        cells += [count, Decimal(fen) / 100]
    return cells


def _sheet(title: str, first: str, lines: list[reconciliation.Line],
           total: reconciliation.Figures) -> Sheet:
    rows = [_row(line.name, line.figures) for line in lines]
    rows.append(_row(gettext("Total"), total))
    return Sheet(title, _header(first), rows)


def workbook(report: reconciliation.Report) -> bytes:
    kind = (str(display.KIND_LABELS[report.kind]) if report.kind
            else gettext("Both kinds of subsidy"))
    notes: list[list[CellValue]] = [
        [gettext("Year"), report.year], [gettext("Area covered"), region_path(report.scope_code)],
        [gettext("Kind of subsidy"), kind], [gettext("Counting rule"), counting_rule()],
        [gettext("Drawn up on"), local_today()]]
    return write_workbook([
        _sheet(gettext("By institution"), gettext("Institution"), report.institutions,
               report.total),
        _sheet(gettext("By region"), gettext("Region"), report.regions, report.total),
        _sheet(gettext("By month"), gettext("Month"), report.months, report.total),
        Sheet(gettext("Notes"), [gettext("Item"), gettext("Value")], notes)])


@bp.get("/reports.xlsx")
@policy.permission(REPORTS)
def report_xlsx() -> Response:
    report = _report()
    data = workbook(report)
    record("subsidy.report_export", object_type="subsidy_report", object_id=report.year,
           region_code=report.scope_code, details={"kind": report.kind})
    db.session.commit()
    ascii_name = f"subsidy-reconciliation-{report.scope_code}-{report.year}.xlsx"
    name = gettext("Subsidy reconciliation") + f"-{report.year}.xlsx"
    response = Response(data, mimetype=XLSX_MIME)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}")
    response.headers["Cache-Control"] = "no-store"
    return response
