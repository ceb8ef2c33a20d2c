"""Reward budgets under /api/v1, as on the budgets page (rewards.views.budgets): those of the
officer's region and the regions below it for a year, each with what approved and paid
rewards commit to it, and setting one (never below what is committed). Routes on the
rewards API blueprint; the permission is the subsidies' budgets one, as on the page."""

from __future__ import annotations

from typing import Any

from apiflask import Schema
from apiflask.fields import DateTime, Integer, String
from apiflask.validators import Range
from flask_login import current_user

from trainhub.core import policy
from trainhub.core.api import ERRORS, SECURED
from trainhub.core.api_fields import ANY_REGION, fen, integer
from trainhub.core.errors import NotFound
from trainhub.core.regions import region_names, require_region
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.rewards import approval, loaders
from trainhub.rewards.api import bp
from trainhub.rewards.models import RewardBudget

PERMISSION = "subsidies.budgets"
SET: dict[str, Any] = {"security": "BearerAuth", "responses": {
    **ERRORS, 400: "Out of range, or below what is already committed (see `message`)"}}


class RewardBudgetQuery(Schema):
    # a plain Integer: a query string's digits are text (`integer` is strict, for JSON)
    year = Integer(validate=Range(min=2000, max=2100), metadata={
        "description": "The budget year (default: this year)"})


class RewardBudgetIn(Schema):
    region_code = String(required=True, validate=ANY_REGION, metadata={
        "description": "The province (36), a city or a county of the token owner's region"})
    year = integer(2000, 2100, required=True)
    amount_fen = fen(0, approval.MAX_BUDGET_FEN, required=True, metadata={
        "description": "Never below what is already committed"})


class RewardBudgetOut(Schema):
    id = Integer()
    region_code = String()
    region_name = String()
    year = Integer()
    amount_fen = Integer()
    committed_fen = Integer(metadata={"description": "Approved or paid rewards charged to "
                                                     "the year"})
    remaining_fen = Integer()
    set_at = DateTime()



def _out(use: approval.BudgetUse, names: dict[str, str]) -> dict[str, Any]:
    budget = use.budget
    return {"id": budget.id, "region_code": budget.region_code,
            "region_name": names.get(budget.region_code, ""), "year": budget.year,
            "amount_fen": budget.amount_fen, "committed_fen": use.committed_fen,
            "remaining_fen": use.remaining_fen, "set_at": budget.set_at}


def _own_region() -> str:
    region = policy.officer_region(current_user)
    if region is None:
        raise NotFound(loaders.NOT_FOUND)
    return region


@bp.get("/reward-budgets")
@bp.input(RewardBudgetQuery, location="query", arg_name="query")
@bp.output(RewardBudgetOut(many=True))
@bp.doc(operation_id="listRewardBudgets",
        summary="Reward budgets of the token owner's region and the regions below it for a "
                "year, with what is committed", **SECURED)
@policy.permission(PERMISSION)
def list_budgets(query: dict[str, Any]) -> list[dict[str, Any]]:
    year = query.get("year") or local_today().year
    names = region_names()
    return [_out(use, names) for use in approval.budgets_of(_own_region(), year)]


@bp.put("/reward-budgets")
@bp.input(RewardBudgetIn, location="json", arg_name="body")
@bp.output(RewardBudgetOut)
@bp.doc(operation_id="setRewardBudget",
        summary="Set a region's reward budget for a year (never below what is committed)",
        **SET)
@policy.permission(PERMISSION)
def set_budget(body: dict[str, Any]) -> dict[str, Any]:
    code = body["region_code"]
    policy.require(current_user, PERMISSION, RewardBudget(region_code=code))
    require_region(code)
    budget = approval.set_budget(code, body["year"], body["amount_fen"], current_user)
    db.session.commit()
    committed = approval.committed_fen(code, budget.year)
    return _out(approval.BudgetUse(budget, committed), region_names())
