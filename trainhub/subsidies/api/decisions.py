"""Subsidy decisions under /api/v1: the list and one decision (with its trace and
explanation), computing a completed batch's decisions and claiming them (the institution),
approving in bulk against the budgets, rejecting and paying (the federation's officers).

Scoped like the pages: institution staff see their institution's decisions, officers those
of their region, the administrator all; anything else is a 404, as if it did not exist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from trainhub.core import policy
from trainhub.core.accounts.models import User
from trainhub.core.api import offset, page
from trainhub.core.errors import N_, NotFound
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import decisions
from trainhub.subsidies.api import READ, WRITE, Dumped, bp
from trainhub.subsidies.api.inputs import DecisionIdsIn, DecisionQuery, PaymentIn, RejectIn
from trainhub.subsidies.api.outputs import DecisionOut, DecisionPage, DecisionsOut
from trainhub.subsidies.api.present import decision_item, decision_out
from trainhub.subsidies.models import Decision
from trainhub.training.models import Batch

NOT_FOUND = N_("The page or record was not found, or it is outside your scope.")
MISSING = N_("Decision %(id)s was not found, or it is outside your scope; nothing was "
             "changed.")


def visible_decisions(user: User) -> Select[Decision]:
    """The decisions `subsidies.view` opens for the user (subsidies.rules)."""
    return select(Decision).options(
        selectinload(Decision.person), selectinload(Decision.batch),
        selectinload(Decision.institution), selectinload(Decision.payment)
    ).where(policy.where(user, "subsidies.view", Decision))


def _decision(decision_id: int, action: str) -> Decision:
    found = db.session.scalar(visible_decisions(current_user).where(Decision.id == decision_id))
    if found is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found)
    return found


def _decisions(ids: Sequence[int], action: str) -> list[Decision]:
    """All of them, in the order asked (each once), or a 404 naming the first missing."""
    wanted = list(dict.fromkeys(ids))
    found = {d.id: d for d in db.session.scalars(
        visible_decisions(current_user).where(Decision.id.in_(wanted)))}
    for decision_id in wanted:
        if decision_id not in found:
            raise NotFound(MISSING, id=decision_id)
        policy.require(current_user, action, found[decision_id])
    return [found[i] for i in wanted]


def _many(rows: Sequence[Decision], count: int) -> dict[str, Any]:
    return {"count": count, "items": [decision_item(d) for d in rows]}


# --- reading ---------------------------------------------------------------------------------

@bp.get("/subsidies/decisions")
@bp.input(DecisionQuery, location="query", arg_name="query")
@bp.output(DecisionPage)
@bp.doc(operation_id="listSubsidyDecisions",
        summary="Decisions in the token owner's scope, newest first", **READ)
@policy.permission("subsidies.view")
def list_decisions(query: dict[str, Any]) -> dict[str, Any]:
    stmt = visible_decisions(current_user)
    for name in ("status", "kind", "batch_id"):
        if query.get(name) is not None:
            stmt = stmt.where(getattr(Decision, name) == query[name])
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(Decision.id.desc())
                              .limit(query["per_page"]).offset(offset(query))).all()
    return page([decision_item(d) for d in rows], total, query)


@bp.get("/subsidies/decisions/<int:decision_id>")
@bp.output(DecisionOut)
@bp.doc(operation_id="getSubsidyDecision",
        summary="One decision with its inputs, parameter versions, trace and explanation "
                "(Accept-Language: zh or en)",
        **READ)
@policy.permission("subsidies.view")
def get_decision(decision_id: int) -> dict[str, Any]:
    return decision_out(_decision(decision_id, "subsidies.view"))


# --- the institution's side ----------------------------------------------------------------

@bp.post("/subsidies/batches/<int:batch_id>/compute")
@bp.output(DecisionsOut)
@bp.doc(operation_id="computeBatchSubsidies",
        summary="Compute (or recompute) the open decisions of a completed batch; approved "
                "and paid ones stay as they are", **WRITE)
@policy.permission("subsidies.claim")
def compute_batch(batch_id: int) -> dict[str, Any]:
    batch = db.session.get(Batch, batch_id)
    if batch is None or not policy.may(current_user, "subsidies.view", batch):
        raise NotFound(NOT_FOUND)
    policy.require(current_user, "subsidies.claim", batch)
    made = decisions.compute_batch(batch, current_user, local_today())
    db.session.commit()
    return _many(made, len(made))


@bp.post("/subsidies/decisions/submit")
@bp.input(DecisionIdsIn, location="json", arg_name="body")
@bp.output(DecisionsOut)
@bp.doc(operation_id="submitSubsidyDecisions",
        summary="Claim computed decisions: recomputed on today's date, those granting an "
                "amount go for approval (refusals stay as computed); all or nothing", **WRITE)
@policy.permission("subsidies.claim")
def submit_decisions(body: dict[str, Any]) -> dict[str, Any]:
    chosen = _decisions(body["decision_ids"], "subsidies.claim")
    submitted = decisions.submit(chosen, current_user, local_today())
    db.session.commit()
    return _many(chosen, submitted)


# --- the federation's side ---------------------------------------------------------------------

@bp.post("/subsidies/decisions/approve")
@bp.input(DecisionIdsIn, location="json", arg_name="body")
@bp.output(DecisionsOut)
@bp.doc(operation_id="approveSubsidyDecisions",
        summary="Approve submitted decisions, all or none: refused with the figures when "
                "a covering budget would be exceeded", **WRITE)
@policy.permission("subsidies.approve")
def approve_decisions(body: dict[str, Any]) -> dict[str, Any]:
    chosen = _decisions(body["decision_ids"], "subsidies.approve")
    decisions.approve(chosen, current_user, local_today())
    db.session.commit()
    return _many(chosen, len(chosen))


@bp.post("/subsidies/decisions/<int:decision_id>/reject")
@bp.input(RejectIn, location="json", arg_name="body")
@bp.output(DecisionOut)
@bp.doc(operation_id="rejectSubsidyDecision",
        summary="Reject an open decision, with the reason the trainee will read", **WRITE)
@policy.permission("subsidies.approve")
def reject_decision(decision_id: int, body: dict[str, str]) -> Dumped:
    found = _decision(decision_id, "subsidies.approve")
    decisions.reject(found, current_user, body["reason"])
    db.session.commit()
    return decision_out(found)


@bp.post("/subsidies/decisions/<int:decision_id>/pay")
@bp.input(PaymentIn, location="json", arg_name="body")
@bp.output(DecisionOut)
@bp.doc(operation_id="paySubsidyDecision",
        summary="Record the payment of an approved decision (once: a second answers 409)",
        **WRITE)
@policy.permission("subsidies.approve")
def pay_decision(decision_id: int, body: dict[str, Any]) -> Dumped:
    found = _decision(decision_id, "subsidies.approve")
    decisions.pay(found, current_user, body["paid_on"], body["reference"], local_today())
    db.session.commit()
    return decision_out(found)
