"""Anonymisation of people past retention (PIPL Art. 19, 47), set-based.

What is kept is what the statistics need: the household region (counts by county, city
and province), the sex, the birth year (age groups), the disability category (the yearly
report counts trainees by category; without a name or number it no longer identifies
anyone) and the employment status. What goes: the name, the resident ID and certificate
numbers with their blind indexes, the phone, the exact birth date, the disability grade,
the accessibility needs, a family member's relative's certificate number, the name on a
living-allowance payment, the exact birth date in the subsidy claims' input snapshots and
in the decisions' traces (cut to 1 January, as on the person), certificate numbers of
completions, the name of a guardian who agreed for a minor, the founder's name of an
incubated enterprise the person founded, and the account (disabled, renamed, signed
out). The records that point to the person (enrolments, decisions, vouchers, entries)
stay and still load: they show the name "已匿名".

One UPDATE per table selects the people itself; the people table is written last, so
every UPDATE sees the same set. Where a city has its own retention period, its people get
their own UPDATEs (one per distinct period).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    String,
    Text,
    cast,
    func,
    literal,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB

from trainhub.bases.models import ResidentEnterprise
from trainhub.core.accounts.models import User, UserSession
from trainhub.core.audit.service import record
from trainhub.core.parameters import service as parameters
from trainhub.core.parameters.models import PROVINCE
from trainhub.core.people.models import ACCESSIBILITY_NEEDS, Person
from trainhub.core.privacy import expiry
from trainhub.core.privacy.models import Consent
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.rewards import retention as reward_retention
from trainhub.rewards.models import RewardDeclaration
from trainhub.subsidies.models import ClaimInputs, Decision, Payment
from trainhub.training.models import Completion, Enrolment

KEY = "privacy.retention_years"
ANONYMISED_NAME = "已匿名"


@dataclass(frozen=True)
class Run:
    count: int
    dry_run: bool
    cutoffs: dict[str, str]  # scope → the cutoff date applied there
    reward_employees: int = 0  # declared for an over-quota reward (trainhub.rewards.retention)


def _years_before(now: datetime, years: int) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def _scopes(today: date) -> dict[str, int]:
    """Retention years per scope: the province, and each city with its own value."""
    cities = {row.region_code for row in parameters.values_of(KEY)
              if row.region_code != PROVINCE}
    found = {PROVINCE: parameters.int_value(KEY, today)}
    for city in sorted(cities):
        found[city] = parameters.int_value(KEY, today, city)
    return found


def _in_scope(column: Any, scope: str, cities: list[str]) -> ColumnElement[bool]:
    """`column` (a region code) in the scope: a city with its own period, or the rest of the
    province."""
    if scope != PROVINCE:
        return column.startswith(scope)
    where: ColumnElement[bool] = literal(True)
    for city in cities:
        where = where & ~column.startswith(city)
    return where


def _conditions(now: datetime) -> list[tuple[str, datetime, ColumnElement[bool]]]:
    """Per scope: its cutoff, and the condition of its people past retention."""
    scopes = _scopes(now.date())
    cities = [code for code in scopes if code != PROVINCE]
    return [(scope, cutoff, expiry.expired(cutoff)
             & _in_scope(Person.household_region_code, scope, cities))
            for scope, cutoff in ((scope, _years_before(now, years))
                                  for scope, years in scopes.items())]


def _birth_year(dialect: str) -> Any:
    """1 January of the birth year, in SQL."""
    if dialect == "postgresql":
        return cast(func.date_trunc("year", Person.birth_date), Date)
    return func.date(Person.birth_date, "start of year")


def _snapshot_birth_year(dialect: str) -> Any:
    """The claim inputs' JSON with person.birth_date cut to 1 January of its year, in SQL."""
    if dialect == "postgresql":
        path: ColumnElement[Any] = literal_column("'{person,birth_date}'::text[]")
        year = func.left(ClaimInputs.inputs.op("#>>")(path), 4)
        return func.jsonb_set(ClaimInputs.inputs, path,
                              func.to_jsonb(year.op("||")(literal_column("'-01-01'"))))
    year = func.substr(func.json_extract(ClaimInputs.inputs, "$.person.birth_date"), 1, 4)
    return func.json_set(ClaimInputs.inputs, "$.person.birth_date", year + "-01-01")


def _trace_birth_year(dialect: str) -> Any:
    """A decision's trace (its working-age step holds the birth date among its arguments,
    as a JSON string) with that date cut to 1 January, in SQL: a text replace of the quoted
    date, read from the person's record before the record itself is cut."""
    birth = cast(select(Person.birth_date).where(Person.id == Decision.person_id)
                 .scalar_subquery(), String)
    exact = literal('"', String) + birth + literal('"', String)
    year = literal('"', String) + func.substr(birth, 1, 4) + literal('-01-01"', String)
    if dialect == "postgresql":
        return cast(func.replace(cast(Decision.steps, Text), exact, year), JSONB)
    return func.replace(Decision.steps, exact, year)


def _anonymise(where: ColumnElement[bool], now: datetime) -> int:
    ids = expiry.expired_ids(where)
    enrolments = select(Enrolment.id).where(Enrolment.person_id.in_(ids))
    dialect = db.session.get_bind().dialect.name
    # What else names or dates the person: the claims' input snapshots (the exact birth
    # date; the year stays for age groups), certificate numbers, the guardian who agreed
    # for a minor, and the founder's name of an incubated enterprise.
    db.session.execute(update(ClaimInputs).where(ClaimInputs.enrolment_id.in_(enrolments))
                       .values(inputs=_snapshot_birth_year(dialect)),
                       execution_options={"synchronize_session": False})
    # A decision computed before explanations were rendered when shown kept its Chinese
    # text, which may give the exact birth date: dropped, it is rendered from the cut trace.
    db.session.execute(update(Decision).where(Decision.person_id.in_(ids))
                       .values({Decision.steps: _trace_birth_year(dialect),
                                Decision.stored_explanation: None}),
                       execution_options={"synchronize_session": False})
    db.session.execute(update(Completion).where(Completion.enrolment_id.in_(enrolments))
                       .values(certificate_number=None),
                       execution_options={"synchronize_session": False})
    db.session.execute(update(Consent).where(Consent.person_id.in_(ids))
                       .values(guardian_name=None),
                       execution_options={"synchronize_session": False})
    db.session.execute(update(ResidentEnterprise)
                       .where(ResidentEnterprise.founder_person_id.in_(ids))
                       .values(founder_name=ANONYMISED_NAME),
                       execution_options={"synchronize_session": False})
    users = select(User.id).where(User.person_id.in_(ids))
    db.session.execute(update(UserSession).where(UserSession.user_id.in_(users),
                                                 UserSession.revoked_at.is_(None))
                       .values(revoked_at=now, revoked_reason="anonymised"))
    db.session.execute(update(User).where(User.person_id.in_(ids)).values(
        display_name=ANONYMISED_NAME, is_active_account=False,
        username=literal("anonymised-", String) + cast(User.id, String)))
    db.session.execute(update(Enrolment).where(Enrolment.person_id.in_(ids))
                       .values(family_cert_number=None))
    db.session.execute(update(Payment).where(Payment.decision_id.in_(
        select(Decision.id).where(Decision.person_id.in_(ids), Decision.payee == "trainee")))
        .values(payee_name=ANONYMISED_NAME))
    result = db.session.execute(update(Person).where(where).values(
        name=ANONYMISED_NAME, id_number="",
        id_number_index=literal("anonymised-", String) + cast(Person.id, String),
        id_tail_index=None, cert_number=None, cert_number_index=None, disability_grade=None,
        phone=None,
        birth_date=_birth_year(dialect), anonymised_at=now,
        **{need: False for need in ACCESSIBILITY_NEEDS}),
        execution_options={"synchronize_session": False})
    return int(result.rowcount)  # type: ignore[attr-defined]


def _count(where: ColumnElement[bool]) -> int:
    return int(db.session.scalar(select(func.count()).select_from(Person).where(where)) or 0)


def run(now: datetime | None = None, dry_run: bool = False) -> Run:
    """Anonymise everyone past retention (or only count them); one audit row with the
    count. The caller commits."""
    now = now or utcnow()
    count, employees, cutoffs = 0, 0, {}
    conditions = _conditions(now)
    cities = [scope for scope, _cutoff, _where in conditions if scope != PROVINCE]
    for scope, cutoff, where in conditions:
        cutoffs[scope] = cutoff.date().isoformat()
        count += _count(where) if dry_run else _anonymise(where, now)
        # the employees declared for an over-quota reward: rows of their own, not people
        region = _in_scope(RewardDeclaration.region_code, scope, cities)
        employees += (reward_retention.count(cutoff.date(), region) if dry_run
                      else reward_retention.anonymise(cutoff.date(), region))
    record("privacy.anonymise", object_type="person", details={
        "count": count, "reward_employees": employees, "dry_run": dry_run,
        "cutoffs": cutoffs})
    return Run(count=count, dry_run=dry_run, cutoffs=cutoffs, reward_employees=employees)



