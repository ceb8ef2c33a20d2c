"""Retention reaches the employees declared for an over-quota reward (issue 15's gap): they
are rows of their own, not people, and were kept with their names and numbers for ever."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.rewards.builders import build
from trainhub.core.audit.models import AuditEntry
from trainhub.core.privacy import anonymise
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.rewards.models import DeclaredEmployee, PersonClaim, RewardDeclaration

YEARS = 5  # privacy.retention_years as shipped


def _later(years: int) -> timedelta:
    return timedelta(days=round(365.25 * years))


def test_a_declarations_employees_are_anonymised_once_its_year_is_past_retention(app, make):
    ids = build(app, make, "submitted")  # a declaration of last year, submitted
    with app.app_context():
        employee = db.session.get(DeclaredEmployee, ids["submitted_employee"])
        name, born = employee.name, employee.birth_date
        # a year too early: last year's declaration is kept
        assert anonymise.run(now=utcnow() + _later(YEARS - 1)).reward_employees == 0
        dry = anonymise.run(now=utcnow() + _later(YEARS), dry_run=True)
        assert dry.reward_employees == 1
        db.session.expire_all()
        assert db.session.get(DeclaredEmployee, ids["submitted_employee"]).name == name

        done = anonymise.run(now=utcnow() + _later(YEARS))
        assert done.reward_employees == 1
        db.session.commit()
        db.session.expire_all()
        employee = db.session.get(DeclaredEmployee, ids["submitted_employee"])
        assert (employee.name, employee.id_number, employee.cert_number) == ("已匿名", "", "")
        assert employee.id_number_index == f"anonymised-{employee.id}"
        assert employee.birth_date == date(born.year, 1, 1)
        assert employee.grade and employee.monthly_wage_fen >= 0  # the statistics stay
        claims = db.session.scalars(select(PersonClaim.id_number_index).where(
            PersonClaim.declaration_id == ids["submitted"])).all()
        assert claims and all(index.startswith("anonymised-") for index in claims)
        declaration = db.session.get(RewardDeclaration, ids["submitted"])
        assert [p["birth_date"] for p in declaration.inputs["persons"]] == [
            f"{born.year}-01-01"]
        assert declaration.result is not None
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "privacy.anonymise").order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.details["reward_employees"] == 1
        assert anonymise.run(now=utcnow() + _later(YEARS)).reward_employees == 0  # once
