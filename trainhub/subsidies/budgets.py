"""Yearly budgets per region and kind of subsidy. An approval must fit every budget that
covers the decision's county: its county's, its city's and the province's, where set; at
least one must be set. The budget rows are locked while the sums are taken, so two officers
approving at once cannot both spend the last yuan."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, DomainError
from trainhub.core.regions import region_names
from trainhub.extensions import db
from trainhub.subsidies import engine
from trainhub.subsidies.models import Budget, Decision

COMMITTED = (engine.DecisionStatus.APPROVED.value, engine.DecisionStatus.PAID.value)
# ¥1 billion for one region, year and kind of subsidy: ten times the largest a provincial
# federation sets, so a typo (1e10 yuan, a few digits too many) is refused. The web form
# and the API take this bound too (a province passes ¥21 million, the 32-bit limit the API
# had kept after the column became 64-bit).
MAX_BUDGET_FEN = 10**11


def _ancestors(region_code: str) -> list[str]:
    return [region_code[:n] for n in (2, 4, 6) if len(region_code) >= n]


@dataclass(frozen=True)
class Usage:
    budget: Budget
    committed_fen: int  # approved or paid
    paid_fen: int

    @property
    def remaining_fen(self) -> int:
        return self.budget.amount_fen - self.committed_fen


def usage(budget: Budget) -> Usage:
    rows: dict[str, int] = {status: int(total) for status, total in db.session.execute(
        select(Decision.status, func.coalesce(func.sum(Decision.amount_fen), 0))
        .where(Decision.kind == budget.kind, Decision.budget_year == budget.year,
               Decision.status.in_(COMMITTED),
               Decision.region_code.startswith(budget.region_code))
        .group_by(Decision.status))}
    paid = rows.get(engine.DecisionStatus.PAID.value, 0)
    return Usage(budget, paid + rows.get(engine.DecisionStatus.APPROVED.value, 0), paid)


def reserve(decisions: Sequence[Decision], today: date) -> None:
    """Refuse, with the figures, approvals that would exceed a covering budget."""
    wanted: dict[tuple[str, str], int] = defaultdict(int)  # (budget region, kind) → fen
    for decision in decisions:
        for region in _ancestors(decision.region_code):
            wanted[(region, decision.kind)] += decision.amount_fen
    found = {(b.region_code, b.kind): b for b in db.session.scalars(
        select(Budget).where(Budget.year == today.year,
                             Budget.region_code.in_({r for r, _ in wanted}))
        .order_by(Budget.region_code, Budget.kind).with_for_update())}
    for decision in decisions:
        if not any((r, decision.kind) in found for r in _ancestors(decision.region_code)):
            raise DomainError(N_("No %(year)s budget covers %(region)s for this subsidy; set "
                                 "one before approving."), year=today.year,
                              region=region_names().get(decision.region_code, ""))
    for key, budget in found.items():
        current = usage(budget)
        if current.committed_fen + wanted[key] > budget.amount_fen:
            raise DomainError(
                N_("Approving %(wanted)s would exceed the %(year)s budget of %(region)s: "
                   "%(budget)s, of which %(committed)s is committed and %(remaining)s "
                   "remains."), wanted=_yuan(wanted[key]), year=budget.year,
                region=region_names().get(budget.region_code, budget.region_code),
                budget=_yuan(budget.amount_fen), committed=_yuan(current.committed_fen),
                remaining=_yuan(current.remaining_fen))


def _yuan(fen: int) -> str:
    return f"¥{engine.format_yuan(fen)}"


def set_budget(region_code: str, year: int, kind: str, amount_fen: int, by: User) -> Budget:
    if kind not in {k.value for k in engine.SubsidyKind}:
        raise DomainError(N_("Unknown kind of subsidy."))
    if not 0 <= amount_fen <= MAX_BUDGET_FEN:
        raise DomainError(N_("The budget is out of range."))
    budget = db.session.scalar(select(Budget).where(
        Budget.region_code == region_code, Budget.year == year, Budget.kind == kind)
        .with_for_update())
    before = budget.amount_fen if budget else None
    if budget is None:
        budget = Budget(region_code=region_code, year=year, kind=kind, amount_fen=amount_fen,
                        set_by_id=by.id)
        db.session.add(budget)
    else:
        committed = usage(budget).committed_fen
        if amount_fen < committed:
            raise DomainError(N_("%(committed)s is already committed; the budget cannot be "
                                 "lower."), committed=_yuan(committed))
        budget.amount_fen, budget.set_by_id = amount_fen, by.id
    db.session.flush()
    record("subsidy.budget", object_type="subsidy_budget", object_id=budget.id,
           region_code=region_code, details={"year": year, "kind": kind, "from": before,
                                             "to": amount_fen})
    return budget
