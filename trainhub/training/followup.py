"""Employment follow-up six months after completion, and hired versus committed per batch,
institution and enterprise (two grouped queries, whatever the number of rows)."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, func, select

from trainhub.core.accounts.models import Role, User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, DomainError
from trainhub.core.organisations import Enterprise, Institution
from trainhub.core.parameters import service as parameters
from trainhub.extensions import db
from trainhub.training import catalog
from trainhub.training.catalog import EmploymentForm
from trainhub.training.models import Batch, Completion, Demand, Enrolment, FollowUp

MONTHS_KEY = "training.followup_months"
MAX_WAGE_FEN = 10_000_000


def add_months(day: date, months: int) -> date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(enrolment: Enrolment, completion: Completion) -> date:
    months = parameters.int_value(MONTHS_KEY, completion.assessed_on,
                                  enrolment.batch.region_code)
    return add_months(completion.assessed_on, months)


def due_dates(graduates: Sequence[Enrolment]) -> dict[int, date]:
    """`due_on` of many graduates (enrolment id → date) from one read of the parameter's
    values: a demand's page lists every graduate of its batches, and a lookup each was
    one statement per graduate."""
    completed = [e for e in graduates if e.completion is not None]
    if not completed:
        return {}
    rows = parameters.values_of(MONTHS_KEY)
    due = {}
    for enrolment in completed:
        assert enrolment.completion is not None
        assessed = enrolment.completion.assessed_on
        row = parameters.pick(rows, assessed, parameters.scopes_for(enrolment.batch.region_code))
        if row is None:  # none in force: the lookup says so in its own words
            due[enrolment.id] = due_on(enrolment, enrolment.completion)
            continue
        months = parameters.version_of(row).value
        assert isinstance(months, int)
        due[enrolment.id] = add_months(assessed, months)
    return due


@dataclass(frozen=True)
class FollowUpInput:
    employed: bool
    checked_on: date
    employer_name: str = ""
    employment_form: str | None = None
    monthly_wage_fen: int | None = None
    enterprise_id: int | None = None


def record_followup(enrolment: Enrolment, data: FollowUpInput, by: User,
                    today: date) -> FollowUp:
    completion = enrolment.completion
    if completion is None or not completion.passed:
        raise DomainError(N_("Employment is followed up for trainees who completed the "
                             "training."))
    _check(data, due_on(enrolment, completion), today)
    followup = enrolment.followup or FollowUp(enrolment_id=enrolment.id, recorded_by_id=by.id)
    followup.employed, followup.checked_on = data.employed, data.checked_on
    followup.employer_name = data.employer_name.strip() if data.employed else ""
    followup.employment_form = data.employment_form if data.employed else None
    followup.monthly_wage_fen = data.monthly_wage_fen if data.employed else None
    followup.enterprise_id = data.enterprise_id if data.employed else None
    followup.recorded_by_id = by.id
    db.session.add(followup)
    db.session.flush()
    record("training_followup.record", object_type="training_enrolment",
           object_id=enrolment.id, region_code=enrolment.batch.region_code,
           details={"employed": data.employed, "form": data.employment_form or ""})
    return followup


def _check(data: FollowUpInput, due: date, today: date) -> None:
    """Every rule the follow-up breaks, raised together, each on the form's field."""
    checks = Checks()
    if data.checked_on < due or data.checked_on > today:
        checks.add(N_("The follow-up is due on %(date)s; the check date must fall between "
                      "then and today."), field="checked_on", date=due)
    if data.employed:
        if not data.employer_name.strip():
            checks.add(N_("Name the employer."), field="employer_name")
        if data.employment_form not in catalog.values(EmploymentForm):
            checks.add(N_("Choose the form of employment."), field="employment_form")
        if data.monthly_wage_fen is None or not 0 <= data.monthly_wage_fen <= MAX_WAGE_FEN:
            checks.add(N_("Give the monthly wage."), field="monthly_wage")
        if data.enterprise_id is not None \
                and db.session.get(Enterprise, data.enterprise_id) is None:
            checks.add(N_("Unknown enterprise."), field="hired_by_ordering_enterprise")
    checks.done()


# --- hired versus committed ------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    key: int
    name: str
    committed: int
    graduates: int
    employed: int
    hired: int  # employed by the enterprise whose demand the batch answered


@dataclass(frozen=True)
class BatchOutcome(Outcome):
    institution_id: int
    institution_name: str
    demand_id: int | None


def batch_outcomes(batches: Select[Batch]) -> list[BatchOutcome]:
    """Per batch of `batches` (a scoped select): graduates, employed, hired by the ordering
    enterprise, and its commitment. One query."""
    ids = batches.with_only_columns(Batch.id).scalar_subquery()
    employed = FollowUp.employed.is_(True)
    stmt = (select(Batch.id, Batch.title, func.coalesce(Demand.hire_commitment, 0),
                   func.count(Completion.id), func.count(FollowUp.id).filter(employed),
                   func.count(FollowUp.id).filter(employed,
                                                  FollowUp.enterprise_id == Demand.enterprise_id),
                   Institution.id, Institution.name, Batch.demand_id)
            .join(Institution, Institution.id == Batch.institution_id)
            .outerjoin(Demand, Demand.id == Batch.demand_id)
            .outerjoin(Enrolment, Enrolment.batch_id == Batch.id)
            .outerjoin(Completion, and_(Completion.enrolment_id == Enrolment.id,
                                        Completion.passed.is_(True)))
            .outerjoin(FollowUp, FollowUp.enrolment_id == Completion.enrolment_id)
            .where(Batch.id.in_(ids))
            .group_by(Batch.id, Batch.title, Demand.hire_commitment, Institution.id,
                      Institution.name, Batch.demand_id)
            .order_by(Batch.start_date.desc(), Batch.id.desc()))
    return [BatchOutcome(r[0], r[1], int(r[2]), int(r[3]), int(r[4]), int(r[5]), r[6], r[7],
                         r[8]) for r in db.session.execute(stmt)]


def institution_outcomes(rows: list[BatchOutcome]) -> list[Outcome]:
    """Summed per institution; a demand answered by several batches counts its commitment
    once."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    names: dict[int, str] = {}
    seen: set[tuple[int, int]] = set()
    for row in rows:
        names[row.institution_id] = row.institution_name
        line = totals[row.institution_id]
        if row.demand_id is not None and (row.institution_id, row.demand_id) not in seen:
            seen.add((row.institution_id, row.demand_id))
            line[0] += row.committed
        line[1] += row.graduates
        line[2] += row.employed
        line[3] += row.hired
    return [Outcome(key, names[key], *line) for key, line in sorted(totals.items())]


def enterprise_outcomes(user: User) -> list[Outcome]:
    """Per enterprise: what it committed over its demands and how many graduates it hired
    (from any batch). Enterprises see their own line; officers those of their region."""
    committed = (select(Demand.enterprise_id, func.sum(Demand.hire_commitment).label("c"))
                 .group_by(Demand.enterprise_id).subquery())
    hired = (select(FollowUp.enterprise_id, func.count(FollowUp.id).label("h"))
             .where(FollowUp.employed, FollowUp.enterprise_id.is_not(None))
             .group_by(FollowUp.enterprise_id).subquery())
    stmt = (select(Enterprise.id, Enterprise.name, func.coalesce(committed.c.c, 0),
                   func.coalesce(hired.c.h, 0))
            .outerjoin(committed, committed.c.enterprise_id == Enterprise.id)
            .outerjoin(hired, hired.c.enterprise_id == Enterprise.id)
            .where((committed.c.c > 0) | (hired.c.h > 0)).order_by(Enterprise.name))
    if user.role == Role.ENTERPRISE_CONTACT:
        stmt = stmt.where(Enterprise.id == user.enterprise_id)
    elif user.role == Role.FEDERATION_OFFICER:
        stmt = stmt.where(Enterprise.region_code.startswith(user.region_code or "-"))
    elif user.role != Role.ADMIN:
        return []
    return [Outcome(r[0], r[1], int(r[2]), 0, int(r[3]), int(r[3]))
            for r in db.session.execute(stmt)]
