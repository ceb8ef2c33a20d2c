"""The yearly plan report pages: the figures of a year and a region (the officer's, or one
below it) as charts beside equal tables, as a workbook and as a PDF; a city officer's
submission; the submitted report as it was sent. Thin views: parse → load → authorise →
service → respond.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from trainhub.core import downloads, policy
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, NotFound
from trainhub.core.forms import attempt
from trainhub.core.regions import Region, region_path
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.reports import exports, present, submission
from trainhub.reports.figures import PlanFigures, plan_figures
from trainhub.reports.models import PlanReport

bp = Blueprint("reports", __name__, url_prefix="/reports")

PROVINCE_CODE_LENGTH = 2
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Asked:
    """The report asked for: its region (what the rules read) and year; `ignored` names a
    value of the query string that was not usable, said on the page."""

    region_code: str
    year: int
    ignored: tuple[str, ...] = ()


def _asked() -> Asked:
    """`year` (2022 to this year; else this year, said) and `region` (a known region the
    officer covers; else refused) from the query string."""
    today = local_today()
    ignored: tuple[str, ...] = ()
    year_text = request.args.get("year", "")
    year = int(year_text) if year_text.isdecimal() else 0
    if not submission.FIRST_YEAR <= year <= today.year:
        ignored = ("year",) if year_text else ()
        year = today.year
    region_code = request.args.get("region", "") or (policy.officer_region(current_user) or "")
    if db.session.get(Region, region_code) is None:
        raise NotFound(N_("There is no such region."))
    asked = Asked(region_code, year, ignored)
    policy.require(current_user, "reports.view", asked)
    return asked


def _regions() -> list[tuple[str, str]]:
    """The regions the officer may ask for: theirs and those below, in code order."""
    own = policy.officer_region(current_user) or "-"
    return [(code, name) for code, name in db.session.execute(
        select(Region.code, Region.name).where(Region.code.startswith(own))
        .order_by(Region.code))]


def _page(figures: PlanFigures, **context: Any) -> str:
    today = local_today()
    return render_template(
        "reports/plan.html", figures=figures, sections=present.sections(figures),
        notes=present.how_counted(), scope_name=region_path(figures.region_code),
        years=list(range(today.year, submission.FIRST_YEAR - 1, -1)), regions=_regions(),
        city_summary=present.city_summary,
        **context)


@bp.get("/plan", endpoint="plan")
@policy.permission("reports.view")
def plan() -> str:
    asked = _asked()
    figures = plan_figures(asked.year, asked.region_code, local_today())
    submitted = (submission.submitted(asked.year, asked.region_code)
                 if len(asked.region_code) == submission.CITY_CODE_LENGTH else None)
    cities = (submission.city_lines(asked.year, asked.region_code)
              if len(asked.region_code) == PROVINCE_CODE_LENGTH else None)
    may_submit = submitted is None and policy.may(current_user, "reports.submit", asked)
    return _page(figures, asked=asked, submitted=submitted, cities=cities,
                 may_submit=may_submit, frozen=None,
                 exports={"year": asked.year, "region": asked.region_code})


@bp.post("/plan/submit", endpoint="submit")
@policy.permission("reports.submit")
def submit() -> ResponseReturnValue:
    year_text = request.form.get("year", "")
    year = int(year_text) if year_text.isdecimal() and len(year_text) == 4 else 0
    region_code = current_user.region_code
    done = attempt(lambda: submission.submit(region_code, year, current_user, local_today()),
                   N_("The %(year)s report has been submitted to the province; its figures "
                      "are kept as submitted."), year=year)
    if done:
        return redirect(url_for("reports.submitted", report_id=done.result.id))
    return redirect(url_for("reports.plan", year=year or None, region=region_code))


def _report(report_id: int) -> PlanReport:
    found = db.session.get(PlanReport, report_id)
    if found is None:
        raise NotFound(N_("There is no such report."))
    policy.require(current_user, "reports.view", found)
    return found


@bp.get("/plan/submissions/<int:report_id>", endpoint="submitted")
@policy.permission("reports.view")
def submitted_page(report_id: int) -> str:
    found = _report(report_id)
    figures = submission.frozen(found)
    return _page(figures, asked=Asked(found.region_code, found.year), submitted=found,
                 cities=None, may_submit=False, frozen=found,
                 exports={"report_id": found.id})


# --- the workbook and the PDF ---------------------------------------------------------------

def _download(data: bytes, mimetype: str, figures: PlanFigures, suffix: str) -> Response:
    name = gettext("Plan report") + f"-{figures.region_code}-{figures.year}.{suffix}"
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"plan-report-{figures.region_code}-{figures.year}.{suffix}\"; "
        f"filename*=UTF-8''{quote(name)}")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _cities(figures: PlanFigures, frozen: PlanReport | None) -> list[submission.CityLine] | None:
    """The cities' submissions, in the province's workbook and PDF as on its page."""
    if frozen is None and len(figures.region_code) == PROVINCE_CODE_LENGTH:
        return submission.city_lines(figures.year, figures.region_code)
    return None


def _xlsx(figures: PlanFigures, frozen: PlanReport | None) -> Response:
    """The workbook, audited as the house's exports are."""
    data = exports.workbook(figures, frozen, _cities(figures, frozen))
    record("reports.plan_export", object_type="plan_report",
           object_id=frozen.id if frozen else "", region_code=figures.region_code,
           details={"year": figures.year, "format": "xlsx"})
    db.session.commit()
    return _download(data, XLSX_MIME, figures, "xlsx")


def _pdf(figures: PlanFigures, frozen: PlanReport | None) -> Response:
    """The PDF: counted and audited by downloads.document, as every document is."""
    return _download(exports.pdf(figures, frozen, _cities(figures, frozen)), "application/pdf",
                     figures, "pdf")


def _computed() -> PlanFigures:
    asked = _asked()
    return plan_figures(asked.year, asked.region_code, local_today())


@bp.get("/plan.xlsx", endpoint="plan_xlsx")
@policy.permission("reports.view")
def plan_xlsx() -> Response:
    return _xlsx(_computed(), None)


@bp.get("/plan.pdf", endpoint="plan_pdf")
@policy.permission("reports.view")
@downloads.document("plan_report", "report_id", _l("Plan report"))
def plan_pdf() -> Response:
    return _pdf(_computed(), None)


@bp.get("/plan/submissions/<int:report_id>.xlsx", endpoint="submitted_xlsx")
@policy.permission("reports.view")
def submitted_xlsx(report_id: int) -> Response:
    found = _report(report_id)
    return _xlsx(submission.frozen(found), found)


@bp.get("/plan/submissions/<int:report_id>.pdf", endpoint="submitted_pdf")
@policy.permission("reports.view")
@downloads.document("plan_report", "report_id", _l("Plan report"))
def submitted_pdf(report_id: int) -> Response:
    found = _report(report_id)
    return _pdf(submission.frozen(found), found)


