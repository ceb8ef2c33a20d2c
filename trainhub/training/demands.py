"""企业下单: employers post what they need; institutions answer with batches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, case, select

from trainhub.core import policy
from trainhub.core.accounts.models import Role, User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, Conflict, DomainError
from trainhub.core.organisations import Enterprise, Institution
from trainhub.core.regions import Region
from trainhub.core.wages import minimum_wage, yuan
from trainhub.extensions import db
from trainhub.training import catalog
from trainhub.training.catalog import DemandStatus
from trainhub.training.models import Demand

MAX_HEAD_COUNT = 1000
MAX_WAGE_FEN = 10_000_000


@dataclass(frozen=True)
class DemandInput:
    title: str
    occupation: str
    category: str
    head_count: int
    skills_required: str
    region_code: str
    location: str
    monthly_wage_fen: int
    hire_commitment: int
    deadline: date


def check_demand(data: DemandInput, today: date) -> None:
    """Every rule a demand must meet, all problems raised together, each on its field (a
    deadline not given, None, is left to the form)."""
    checks = Checks()
    if not data.title.strip():
        checks.add(N_("Give the demand a title and an occupation."), field="title")
    if not data.occupation.strip():
        checks.add(N_("Give the demand a title and an occupation."), field="occupation")
    if data.category not in catalog.values(catalog.Category):
        checks.add(N_("Choose a category."), field="category")
    if not 1 <= data.head_count <= MAX_HEAD_COUNT:
        checks.add(N_("The head count must be between 1 and %(max)s."), field="head_count",
                   max=MAX_HEAD_COUNT)
    elif not 0 <= data.hire_commitment <= data.head_count:
        checks.add(N_("The hiring commitment cannot exceed the head count."),
                   field="hire_commitment")
    if not 0 < data.monthly_wage_fen <= MAX_WAGE_FEN:
        checks.add(N_("Give the monthly wage offered."), field="monthly_wage")
    if data.deadline and data.deadline < today:
        checks.add(N_("The deadline cannot be in the past."), field="deadline")
    region = db.session.get(Region, data.region_code) if data.region_code else None
    if region is None or len(region.code) != 6:
        checks.add(N_("Choose the county where the work is."), field="region_code")
    elif 0 < data.monthly_wage_fen <= MAX_WAGE_FEN:
        floor = minimum_wage(region.code, today)
        if data.monthly_wage_fen < floor.monthly_fen:
            checks.add(N_("The wage offered, %(wage)s a month, is below the monthly minimum "
                          "wage in %(county)s, %(minimum)s (tier %(tier)s, in force on "
                          "%(date)s). Offer at least the minimum wage."),
                       field="monthly_wage", wage=yuan(data.monthly_wage_fen),
                       county=region.name, minimum=yuan(floor.monthly_fen),
                       tier=floor.tier, date=today)
    checks.done()


def _apply(demand: Demand, data: DemandInput) -> None:
    for name in ("category", "head_count", "region_code", "monthly_wage_fen",
                 "hire_commitment", "deadline"):
        setattr(demand, name, getattr(data, name))
    demand.title, demand.occupation = data.title.strip(), data.occupation.strip()
    demand.skills_required, demand.location = data.skills_required.strip(), data.location.strip()


def _audit(action: str, demand: Demand, **details: Any) -> None:
    record(action, object_type="training_demand", object_id=demand.id,
           region_code=demand.region_code, details=details)


def post_demand(enterprise: Enterprise, data: DemandInput, by: User, today: date) -> Demand:
    check_demand(data, today)
    demand = Demand(enterprise_id=enterprise.id, created_by_id=by.id)
    _apply(demand, data)
    db.session.add(demand)
    db.session.flush()
    _audit("training_demand.post", demand, head_count=data.head_count,
           commitment=data.hire_commitment)
    return demand


def update_demand(demand: Demand, data: DemandInput, today: date) -> None:
    if demand.status != DemandStatus.OPEN:
        raise Conflict(N_("A closed demand can no longer be changed."))
    check_demand(data, today)
    if data.hire_commitment < demand.hire_commitment and demand.batches:
        raise DomainError(N_("Institutions have already taken this demand; the hiring "
                             "commitment cannot be lowered."))
    _apply(demand, data)
    _audit("training_demand.update", demand)


def close_demand(demand: Demand) -> None:
    if demand.status != DemandStatus.OPEN:
        raise Conflict(N_("This demand is already closed."))
    demand.status = DemandStatus.CLOSED.value
    _audit("training_demand.close", demand)


def visible_demands(user: User, today: date) -> Select[Demand]:
    """The demands `training.demands.view` opens for the user (training.rules); for an
    institution, its own city's first."""
    stmt = select(Demand).where(policy.where(user, "training.demands.view", Demand))
    if user.role == Role.INSTITUTION_STAFF:
        home = db.session.scalar(select(Institution.region_code)
                                 .where(Institution.id == user.institution_id)) or ""
        stmt = stmt.order_by(case((Demand.region_code.startswith(home[:4]), 0), else_=1))
    return stmt
