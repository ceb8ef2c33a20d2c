"""Permission-matrix rows of the yearly plan report. The report asked for is 南昌市东湖区's
(360102): officers covering it read it; a city officer submits their own city's; the
submission read is 南昌市's (3601), which its city and the province officer open."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.security.matrix import OFFICERS_IN_SCOPE, Row
from trainhub.core.accounts.models import User
from trainhub.extensions import db
from trainhub.reports.models import PlanReport

YEAR = "2025"
CITY_OFFICERS = {"officer_city", "officer_other_city"}
READERS_OF_THE_CITY = {"officer_province", "officer_city"}


def _submission(app: Flask, make: Any) -> dict[str, Any]:
    author = make.user("federation_officer", region_code="3601")
    with app.app_context():
        by = db.session.query(User).filter_by(username=author).one()
        report = PlanReport(year=2024, region_code="3601",
                            figures=_empty(), submitted_by_id=by.id)
        db.session.add(report)
        db.session.commit()
        return {"plan_report": report.id}


def _empty() -> dict[str, Any]:
    from trainhub.reports.figures import PlanFigures

    return PlanFigures(2024, "3601", "2024-12-31").as_json()


def _submitted(path: str) -> Row:
    return Row("GET", lambda ids, p=path: p.format(**ids), READERS_OF_THE_CITY,
               prepare=_submission)


ROWS: dict[str, Row] = {
    "reports.plan": Row("GET", lambda ids: f"/reports/plan?year={YEAR}&region=360102",
                        OFFICERS_IN_SCOPE),
    "reports.plan_xlsx": Row("GET", lambda ids: f"/reports/plan.xlsx?year={YEAR}&region=360102",
                             OFFICERS_IN_SCOPE),
    "reports.plan_pdf": Row("GET", lambda ids: f"/reports/plan.pdf?year={YEAR}&region=360102",
                            OFFICERS_IN_SCOPE),
    "reports.submit": Row("POST", lambda ids: "/reports/plan/submit", CITY_OFFICERS,
                          data={"year": YEAR}),
    "reports.submitted": _submitted("/reports/plan/submissions/{plan_report}"),
    "reports.submitted_xlsx": _submitted("/reports/plan/submissions/{plan_report}.xlsx"),
    "reports.submitted_pdf": _submitted("/reports/plan/submissions/{plan_report}.pdf"),
}
