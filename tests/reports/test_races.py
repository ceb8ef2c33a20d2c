"""Submissions at the same moment, on PostgreSQL with real threads and commits: a city's
report of a year is kept once, the others are refused with the date of the first."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.races import all_at_once
from trainhub.core.accounts.models import User
from trainhub.core.errors import Conflict
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.reports import submission
from trainhub.reports.models import PlanReport

pytestmark = pytest.mark.postgres_only


def test_a_city_report_is_submitted_once(race_app):
    with race_app.app_context():
        officer = User(username="race-plan-city", display_name="c", role="federation_officer",
                       region_code="3601", password_hash="x")
        db.session.add(officer)
        db.session.commit()
        officer_id = officer.id
    year = local_today().year

    def submit(index: int) -> str:
        with race_app.app_context():
            try:
                submission.submit("3601", year, db.session.get(User, officer_id), local_today())
                db.session.commit()
                return "submitted"
            finally:
                db.session.rollback()
                db.session.remove()

    results = all_at_once(4, submit)
    assert results.count("submitted") == 1, results
    assert all(isinstance(r, Conflict) for r in results if r != "submitted"), results
    with race_app.app_context():
        assert db.session.scalar(select(func.count(PlanReport.id))) == 1
