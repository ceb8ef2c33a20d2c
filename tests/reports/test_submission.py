"""A city's submission: frozen figures, once a city and year, only a city, only a year the
plan covers; the province's list of cities."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.reports.builders import officer
from tests.reports.conftest import TODAY, YEAR
from trainhub.core.audit.models import AuditEntry
from trainhub.core.errors import Conflict, DomainError
from trainhub.extensions import db
from trainhub.reports import submission
from trainhub.reports.models import PlanReport


def test_the_figures_are_frozen_as_computed(records):
    records.trainees(records.batch(date(YEAR, 5, 1)), 3, passed=2)
    report = submission.submit("3601", YEAR, officer("3601"), TODAY)
    records.trainees(records.batch(date(YEAR, 6, 1)), 4)
    kept = submission.frozen(db.session.get(PlanReport, report.id))
    assert kept.training["current"] == {"trained": 3, "completed": 2, "certified": 0}
    assert kept.region_code == "3601" and kept.year == YEAR
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "reports.plan_submit")) == 1


def test_a_second_submission_is_refused_and_changes_nothing(records):
    by = officer("3601")
    submission.submit("3601", YEAR, by, TODAY)
    with pytest.raises(Conflict) as refused:
        submission.submit("3601", YEAR, by, TODAY)
    assert refused.value.params["year"] == YEAR
    assert db.session.scalar(select(func.count(PlanReport.id))) == 1
    submission.submit("3601", YEAR - 1, by, TODAY)  # another year is another report


@pytest.mark.parametrize(("region", "year"), [("36", YEAR), ("360102", YEAR),
                                              ("3601", TODAY.year + 1), ("3601", 2021)])
def test_only_a_city_for_a_year_of_the_plan(records, region, year):
    with pytest.raises(DomainError):
        submission.submit(region, year, officer("3601"), TODAY)
    assert db.session.scalar(select(func.count(PlanReport.id))) == 0


def test_the_province_lists_every_city_submitted_or_not(records, count_queries):
    submission.submit("3607", YEAR, officer("3607"), TODAY)
    submission.submit("3601", YEAR - 1, officer("3601"), TODAY)  # not this year's
    db.session.flush()
    with count_queries() as statements:
        lines = submission.city_lines(YEAR, "36")
    assert len(statements) == 1 and len(lines) == 11
    done = [line.code for line in lines if line.report_id]
    assert done == ["3607"] and lines[0].submitted_at is None
