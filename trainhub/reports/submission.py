"""A city's submission of its plan report for a year, and the province's view of them.

The figures are computed on submission and stored as they were: the submitted page reads
them back, never recomputes. A second submission of a city and year is refused with the
date of the first; the unique key is the last guard when two arrive at once. Services flush
and audit, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Conflict, DomainError
from trainhub.core.regions import Region
from trainhub.core.timeutil import to_local
from trainhub.extensions import db
from trainhub.reports.figures import PlanFigures, plan_figures
from trainhub.reports.models import PlanReport

CITY_CODE_LENGTH = 4
FIRST_YEAR = 2022  # the plan (赣府厅字〔2022〕90号) runs from 2022


TWICE = N_("The %(year)s report of this city was already submitted on %(date)s; a "
           "submitted report cannot be submitted again.")


def _refuse_twice(found: PlanReport) -> Conflict:
    return Conflict(TWICE,
                    year=found.year, date=to_local(found.submitted_at).date())


def submit(region_code: str, year: int, by: User, today: date) -> PlanReport:
    """Freeze the city's figures for `year` as computed today."""
    if len(region_code) != CITY_CODE_LENGTH:
        raise DomainError(N_("Only a city submits its plan report."))
    if not FIRST_YEAR <= year <= today.year:
        raise DomainError(N_("A report can be submitted for the years %(first)s to %(last)s."),
                          first=FIRST_YEAR, last=today.year)
    found = submitted(year, region_code)
    if found is not None:
        raise _refuse_twice(found)
    report = PlanReport(year=year, region_code=region_code, submitted_by_id=by.id,
                        figures=plan_figures(year, region_code, today).as_json())
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:  # another request submitted the same city and year meanwhile
        found = submitted(year, region_code)
        raise _refuse_twice(found) if found else Conflict(
            N_("The report was submitted meanwhile.")) from None
    record("reports.plan_submit", object_type="plan_report", object_id=report.id,
           region_code=region_code, details={"year": year})
    return report


def submitted(year: int, region_code: str) -> PlanReport | None:
    return db.session.scalar(select(PlanReport).where(PlanReport.year == year,
                                                      PlanReport.region_code == region_code))


def frozen(report: PlanReport) -> PlanFigures:
    return PlanFigures.from_json(report.figures)


@dataclass(frozen=True)
class CityLine:
    code: str
    name: str
    report_id: int | None
    submitted_at: datetime | None
    figures: PlanFigures | None  # as submitted


def city_lines(year: int, province_code: str) -> list[CityLine]:
    """Every city of the province with its submission for `year` (its figures as submitted),
    or none: one statement."""
    stmt = (select(Region.code, Region.name, PlanReport.id, PlanReport.submitted_at,
                   PlanReport.figures)
            .outerjoin(PlanReport, (PlanReport.region_code == Region.code)
                       & (PlanReport.year == year))
            .where(Region.level == "city", Region.code.startswith(province_code))
            .order_by(Region.code))
    return [CityLine(code, name, report_id, at,
                     PlanFigures.from_json(figures) if figures else None)
            for code, name, report_id, at, figures in db.session.execute(stmt)]
