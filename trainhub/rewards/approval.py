"""After the city has passed a declaration on: the public notice (公示) of the enterprise and
its amount, never its employees, for `rewards.notice_days` days, with objections; approval
within the year's budget; payment once. Services flush and audit, never commit.

The budget is the subsidies' mechanism (a `reward_budgets` row per region and year, as
`subsidy_budgets` per kind): an approval must fit every budget set for the declaration's
county, its city and the province, at least one set; the rows are locked while the sums
are taken, so two officers approving at once cannot both spend the last yuan. Paying is a
conditional UPDATE from approved to paid: of two requests at once, one pays and the other
is told it is done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, update

from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, Conflict, DomainError
from trainhub.core.parameters import service as parameters
from trainhub.core.regions import region_names
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.rewards import declarations, notice_pdf, notifications
from trainhub.rewards.models import (
    DeclarationStatus,
    RewardBudget,
    RewardDeclaration,
    RewardObjection,
)
from trainhub.subsidies.values import format_yuan

COMMITTED = (DeclarationStatus.APPROVED.value, DeclarationStatus.PAID.value)


def _audit(action: str, declaration: RewardDeclaration, **details: Any) -> None:
    record(action, object_type="reward_declaration", object_id=declaration.id,
           region_code=declaration.region_code, details=details)


def _yuan(fen: int) -> str:
    return f"¥{format_yuan(fen)}"


# --- the public notice ---------------------------------------------------------------------

def open_notice(declaration: RewardDeclaration, today: date) -> None:
    days = parameters.int_value("rewards.notice_days", today, declaration.region_code)
    declarations.transition(declaration, (DeclarationStatus.CITY_REVIEWED,),
                            DeclarationStatus.IN_NOTICE)
    declaration.notice_starts_on = today
    declaration.notice_ends_on = today + timedelta(days=days)
    db.session.flush()
    _audit("reward_declaration.notice_open", declaration,
           ends_on=declaration.notice_ends_on.isoformat())


def _require_notice(declaration: RewardDeclaration) -> None:
    if declaration.status != DeclarationStatus.IN_NOTICE:
        raise Conflict(N_("The declaration is not under public notice."))


def record_objection(declaration: RewardDeclaration, received_on: date | None, raised_by: str,
                     content: str, by: User, today: date) -> RewardObjection:
    _require_notice(declaration)
    checks = Checks()
    if received_on is None:
        checks.add(N_("Give the date the objection was received."), field="received_on")
    elif received_on > today or (declaration.notice_starts_on
                                 and received_on < declaration.notice_starts_on):
        checks.add(N_("An objection is received during the notice, not before it or in the "
                      "future."), field="received_on")
    if not content.strip():
        checks.add(N_("Write the objection."), field="content")
    checks.done()
    assert received_on is not None
    objection = RewardObjection(declaration_id=declaration.id, received_on=received_on,
                                raised_by=raised_by.strip()[:100], content=content.strip(),
                                recorded_by_id=by.id)
    db.session.add(objection)
    db.session.flush()
    _audit("reward_declaration.objection", declaration, objection=objection.id)
    return objection


def resolve_objection(objection: RewardObjection, upheld: bool, resolution: str,
                      by: User) -> None:
    """Upheld, the declaration goes back to the enterprise with the resolution as the reason
    (and its persons may be declared again)."""
    declaration = objection.declaration
    _require_notice(declaration)
    if objection.resolved_at is not None:
        raise Conflict(N_("This objection has already been resolved."))
    if not resolution.strip():
        raise DomainError(N_("Write how the objection was resolved.")).on("resolution")
    objection.upheld, objection.resolution = upheld, resolution.strip()
    objection.resolved_by_id, objection.resolved_at = by.id, utcnow()
    if upheld:
        declarations.send_back(declaration, (DeclarationStatus.IN_NOTICE,),
                               objection.resolution)
    db.session.flush()
    _audit("reward_declaration.objection_resolved", declaration, objection=objection.id,
           upheld=upheld)


def open_objections(declaration: RewardDeclaration) -> list[RewardObjection]:
    return [o for o in declaration.objections if o.resolved_at is None]


# --- approval within the budget ---------------------------------------------------------

def _ancestors(region_code: str) -> list[str]:
    return [region_code[:n] for n in (2, 4, 6) if len(region_code) >= n]


def committed_fen(region_code: str, year: int) -> int:
    """What approved and paid rewards of a region charge to a budget year."""
    return int(db.session.scalar(
        select(func.coalesce(func.sum(RewardDeclaration.amount_fen), 0))
        .where(RewardDeclaration.budget_year == year,
               RewardDeclaration.status.in_(COMMITTED),
               RewardDeclaration.region_code.startswith(region_code))) or 0)


def _reserve(declaration: RewardDeclaration, year: int) -> None:
    wanted = declaration.amount_fen or 0
    budgets: Sequence[RewardBudget] = db.session.scalars(
        select(RewardBudget).where(RewardBudget.year == year,
                                   RewardBudget.region_code.in_(
                                       _ancestors(declaration.region_code)))
        .order_by(RewardBudget.region_code).with_for_update()).all()
    if not budgets:
        raise DomainError(N_("No %(year)s budget covers %(region)s for over-quota rewards; "
                             "set one before approving."), year=year,
                          region=region_names().get(declaration.region_code, ""))
    for budget in budgets:
        committed = committed_fen(budget.region_code, year)
        if committed + wanted > budget.amount_fen:
            raise DomainError(
                N_("Approving %(wanted)s would exceed the %(year)s budget of %(region)s: "
                   "%(budget)s, of which %(committed)s is committed and %(remaining)s "
                   "remains."), wanted=_yuan(wanted), year=year,
                region=region_names().get(budget.region_code, budget.region_code),
                budget=_yuan(budget.amount_fen), committed=_yuan(committed),
                remaining=_yuan(budget.amount_fen - committed))


def approve(declaration: RewardDeclaration, by: User, today: date) -> None:
    """After the notice has ended without an open objection, within the budget."""
    _require_notice(declaration)
    if declaration.notice_ends_on is None or today <= declaration.notice_ends_on:
        raise DomainError(N_("The public notice ends on %(day)s; approve after it."),
                          day=declaration.notice_ends_on)
    if open_objections(declaration):
        raise DomainError(N_("Resolve the open objections before approving."))
    if declaration.amount_fen:
        _reserve(declaration, today.year)
    declarations.transition(declaration, (DeclarationStatus.IN_NOTICE,),
                            DeclarationStatus.APPROVED)
    declaration.budget_year = today.year
    declaration.approved_at, declaration.approved_by_id = utcnow(), by.id
    declaration.verification_code = notice_pdf.issue(declaration)
    db.session.flush()
    _audit("reward_declaration.approve", declaration, amount=declaration.amount_fen,
           year=today.year)
    notifications.tell_enterprise(declaration, "reward.approved")


# --- payment ----------------------------------------------------------------------------

def pay(declaration: RewardDeclaration, reference: str, by: User) -> None:
    """Record the transfer, once: the conditional UPDATE lets only one request through."""
    reference = reference.strip()
    if not reference or len(reference) > 64:
        raise DomainError(N_("Give the payment's reference (up to 64 characters).")).on(
            "reference")
    moved = db.session.execute(
        update(RewardDeclaration)
        .where(RewardDeclaration.id == declaration.id,
               RewardDeclaration.status == DeclarationStatus.APPROVED.value)
        .values(status=DeclarationStatus.PAID.value, paid_at=utcnow(), paid_by_id=by.id,
                payment_reference=reference))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(N_("This reward has already been paid, or is not approved."))
    db.session.refresh(declaration)
    _audit("reward_declaration.pay", declaration, amount=declaration.amount_fen)
    notifications.tell_enterprise(declaration, "reward.paid")


# --- the budgets -------------------------------------------------------------------------

MAX_BUDGET_FEN = 10**11  # as the subsidies': a typo of a few digits too many is refused


@dataclass(frozen=True)
class BudgetUse:
    budget: RewardBudget
    committed_fen: int

    @property
    def remaining_fen(self) -> int:
        return self.budget.amount_fen - self.committed_fen


def budgets_of(region_code: str, year: int) -> list[BudgetUse]:
    """The reward budgets of a region and the regions below it for a year, with their use:
    the committed sums taken once per county, then added up for each budget's region."""
    rows = db.session.scalars(select(RewardBudget).where(
        RewardBudget.year == year, RewardBudget.region_code.startswith(region_code))
        .order_by(RewardBudget.region_code)).all()
    if not rows:
        return []
    by_county: dict[str, int] = {county: int(total or 0) for county, total in db.session.execute(
        select(RewardDeclaration.region_code, func.sum(RewardDeclaration.amount_fen))
        .where(RewardDeclaration.budget_year == year,
               RewardDeclaration.status.in_(COMMITTED),
               RewardDeclaration.region_code.startswith(region_code))
        .group_by(RewardDeclaration.region_code))}
    return [BudgetUse(b, sum(total for county, total in by_county.items()
                             if county.startswith(b.region_code))) for b in rows]


def set_budget(region_code: str, year: int, amount_fen: int | None,
               by: User) -> RewardBudget:
    """Set or change a region's reward budget for a year: never below what is committed."""
    if amount_fen is None or not 0 <= amount_fen <= MAX_BUDGET_FEN:
        raise DomainError(N_("The budget is out of range.")).on("amount")
    budget = db.session.scalar(select(RewardBudget).where(
        RewardBudget.region_code == region_code, RewardBudget.year == year)
        .with_for_update())
    before = budget.amount_fen if budget else None
    committed = committed_fen(region_code, year)
    if amount_fen < committed:
        raise DomainError(N_("%(committed)s is already committed; the budget cannot be "
                             "lower."), committed=_yuan(committed)).on("amount")
    if budget is None:
        budget = RewardBudget(region_code=region_code, year=year, amount_fen=amount_fen,
                              set_by_id=by.id)
        db.session.add(budget)
    else:
        budget.amount_fen, budget.set_by_id = amount_fen, by.id
    db.session.flush()
    record("reward.budget", object_type="reward_budget", object_id=budget.id,
           region_code=region_code, details={"year": year, "from": before, "to": amount_fen})
    return budget
