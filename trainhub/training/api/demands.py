"""企业下单 under /api/v1: enterprises post, correct and close their demands; institutions
and officers read them within their scope."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from trainhub.core import policy
from trainhub.core.api import SECURED, offset, page
from trainhub.core.errors import NotFound
from trainhub.core.organisations import Enterprise
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.training import demands, loaders
from trainhub.training.api import CREATE, WRITE, Dumped, bp
from trainhub.training.api.inputs import DemandIn, DemandQuery
from trainhub.training.api.outputs import DemandOut, DemandPage
from trainhub.training.models import Demand


def _input(body: dict[str, Any]) -> demands.DemandInput:
    return demands.DemandInput(
        title=body["title"], occupation=body["occupation"], category=body["category"],
        head_count=body["head_count"], skills_required=body["skills_required"],
        region_code=body["region_code"], location=body["location"],
        monthly_wage_fen=body["monthly_wage_fen"], hire_commitment=body["hire_commitment"],
        deadline=body["deadline"])


@bp.get("/demands")
@bp.input(DemandQuery, location="query", arg_name="query")
@bp.output(DemandPage)
@bp.doc(operation_id="listTrainingDemands",
        summary="Demands in the token owner's scope: an enterprise its own, an institution "
                "every open one (its own city's first), an officer those located in the "
                "region", **SECURED)
@policy.permission("training.demands.view")
def list_demands(query: dict[str, Any]) -> dict[str, Any]:
    stmt = demands.visible_demands(current_user, local_today())
    if query.get("status"):
        stmt = stmt.where(Demand.status == query["status"])
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.options(selectinload(Demand.enterprise), selectinload(Demand.batches))
        .order_by(Demand.deadline, Demand.id).limit(query["per_page"]).offset(offset(query)))
    return page(rows, total, query)


@bp.get("/demands/<int:demand_id>")
@bp.output(DemandOut)
@bp.doc(operation_id="getTrainingDemand",
        summary="One demand", **SECURED)
@policy.permission("training.demands.view")
def get_demand(demand_id: int) -> Dumped:  # Demand
    return loaders.demand(demand_id, "training.demands.view")


@bp.post("/demands")
@bp.input(DemandIn, location="json", arg_name="body")
@bp.output(DemandOut, status_code=201)
@bp.doc(operation_id="createTrainingDemand",
        summary="Post a demand for the token owner's enterprise", **CREATE)
@policy.permission("training.demands.post")
def create_demand(body: dict[str, Any]) -> Dumped:  # Demand
    enterprise = db.session.get(Enterprise, current_user.enterprise_id)
    if enterprise is None:
        raise NotFound(loaders.NOT_FOUND)
    created = demands.post_demand(enterprise, _input(body), current_user, local_today())
    db.session.commit()
    return created


@bp.put("/demands/<int:demand_id>")
@bp.input(DemandIn, location="json", arg_name="body")
@bp.output(DemandOut)
@bp.doc(operation_id="updateTrainingDemand",
        summary="Correct an open demand (the commitment cannot be lowered once taken)",
        **WRITE)
@policy.permission("training.demands.post")
def update_demand(demand_id: int, body: dict[str, Any]) -> Dumped:  # Demand
    found = loaders.demand(demand_id, "training.demands.post")
    demands.update_demand(found, _input(body), local_today())
    db.session.commit()
    return found


@bp.post("/demands/<int:demand_id>/close")
@bp.output(DemandOut)
@bp.doc(operation_id="closeTrainingDemand",
        summary="Close a demand: institutions can no longer take it", **WRITE)
@policy.permission("training.demands.post")
def close_demand(demand_id: int) -> Dumped:  # Demand
    found = loaders.demand(demand_id, "training.demands.post")
    demands.close_demand(found)
    db.session.commit()
    return found
