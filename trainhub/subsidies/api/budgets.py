"""Yearly budgets under /api/v1: those of the officer's region and the regions below it,
each with its usage (committed = approved or paid), and setting one."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import select

from trainhub.core import policy
from trainhub.core.regions import region_names, require_region
from trainhub.extensions import db
from trainhub.subsidies import budgets
from trainhub.subsidies.api import READ, WRITE, bp
from trainhub.subsidies.api.inputs import BudgetIn, BudgetQuery
from trainhub.subsidies.api.outputs import BudgetOut
from trainhub.subsidies.models import Budget


def _out(budget: Budget, names: dict[str, str]) -> dict[str, Any]:
    usage = budgets.usage(budget)
    return {"id": budget.id, "region_code": budget.region_code,
            "region_name": names.get(budget.region_code, ""), "year": budget.year,
            "kind": budget.kind, "amount_fen": budget.amount_fen,
            "committed_fen": usage.committed_fen, "paid_fen": usage.paid_fen,
            "remaining_fen": usage.remaining_fen, "set_at": budget.set_at}


@bp.get("/subsidies/budgets")
@bp.input(BudgetQuery, location="query", arg_name="query")
@bp.output(BudgetOut(many=True))
@bp.doc(operation_id="listSubsidyBudgets",
        summary="Budgets of the token owner's region and the regions below it, with their "
                "usage", **READ)
@policy.permission("subsidies.budgets")
def list_budgets(query: dict[str, Any]) -> list[dict[str, Any]]:
    stmt = select(Budget).where(Budget.region_code.startswith(current_user.region_code or "-"))
    if query.get("year") is not None:
        stmt = stmt.where(Budget.year == query["year"])
    if query.get("kind"):
        stmt = stmt.where(Budget.kind == query["kind"])
    names = region_names()
    rows = db.session.scalars(stmt.order_by(Budget.year.desc(), Budget.region_code,
                                            Budget.kind))
    return [_out(b, names) for b in rows if policy.may(current_user, "subsidies.budgets", b)]


@bp.put("/subsidies/budgets")
@bp.input(BudgetIn, location="json", arg_name="body")
@bp.output(BudgetOut)
@bp.doc(operation_id="setSubsidyBudget",
        summary="Set a region's budget for a year and a kind of subsidy (never below what "
                "is committed)", **WRITE)
@policy.permission("subsidies.budgets")
def set_budget(body: dict[str, Any]) -> dict[str, Any]:
    code = body["region_code"]
    policy.require(current_user, "subsidies.budgets", Budget(region_code=code))
    require_region(code)
    budget = budgets.set_budget(code, body["year"], body["kind"], body["amount_fen"],
                                current_user)
    db.session.commit()
    return _out(budget, region_names())
