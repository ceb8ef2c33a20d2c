"""Batches (机构接单) under /api/v1: the scoped list, one batch with its sessions and seat
counts, creation by a certified base (from a demand or not), corrections, planned sessions."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, select

from trainhub.bases.models import Base
from trainhub.core import policy
from trainhub.core.api import SECURED, offset, page
from trainhub.core.errors import N_, DomainError, NotFound
from trainhub.core.i18n import translate
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.training import batches, loaders, plausibility
from trainhub.training.api import CREATE, REMOVED, WRITE, Dumped, With, bp
from trainhub.training.api.inputs import BatchIn, BatchQuery, NewBatchIn, SessionIn
from trainhub.training.api.outputs import BatchOut, BatchPage, TrainingSessionOut
from trainhub.training.catalog import EnrolmentStatus, values
from trainhub.training.models import Batch, Enrolment

# Beyond these, a time cannot be a session of a batch (and converting it between zones
# could overflow the calendar): refused with the service's own "outside the dates" message.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def batch_out(found: Batch) -> Any:
    """The batch with its enrolment counts by status (one grouped query)."""
    rows = db.session.execute(select(Enrolment.status, func.count()).where(
        Enrolment.batch_id == found.id).group_by(Enrolment.status))
    counts = dict.fromkeys(values(EnrolmentStatus), 0)
    counts.update({status: int(n) for status, n in rows})
    warnings = [translate(w.msgid, **w.params) for w in plausibility.batch_warnings(found)]
    return With(found, enrolments=counts, warnings=warnings)


def _input(body: dict[str, Any]) -> batches.BatchInput:
    return batches.BatchInput(
        title=body["title"], category=body["category"], occupation=body["occupation"],
        training_type=body["training_type"], certificate_type=body["certificate_type"],
        certificate_level=body["certificate_level"], delivery=body["delivery"],
        delivery_models=tuple(body["delivery_models"]), provisions=tuple(body["provisions"]),
        start_date=body["start_date"], end_date=body["end_date"], capacity=body["capacity"],
        fee_fen=body["fee_fen"], admission=body["admission"], venue=body["venue"],
        description=body["description"], jiangxi_household_only=body["jiangxi_household_only"],
        open_to_family_members=body["open_to_family_members"])


def _base(base_id: int) -> Base:
    found = db.session.get(Base, base_id)
    if found is None:
        raise NotFound(loaders.NOT_FOUND)
    policy.require(current_user, "training.batches.run", found)
    return found


@bp.get("/batches")
@bp.input(BatchQuery, location="query", arg_name="query")
@bp.output(BatchPage)
@bp.doc(operation_id="listTrainingBatches",
        summary="Batches in the token owner's scope (an institution its own; an officer "
                "those of the region, drafts excepted), latest start first", **SECURED)
@policy.permission("training.batches.view")
def list_batches(query: dict[str, Any]) -> dict[str, Any]:
    stmt = loaders.visible_batches(current_user)
    for name, column in (("status", Batch.status), ("category", Batch.category)):
        if query.get(name):
            stmt = stmt.where(column == query[name])
    if query.get("region"):
        stmt = stmt.where(Batch.region_code.startswith(query["region"]))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(Batch.start_date.desc(), Batch.id.desc())
                              .limit(query["per_page"]).offset(offset(query)))
    return page(rows, total, query)


@bp.get("/batches/<int:batch_id>")
@bp.output(BatchOut)
@bp.doc(operation_id="getTrainingBatch",
        summary="One batch with its planned sessions and seat counts", **SECURED)
@policy.permission("training.batches.view")
def get_batch(batch_id: int) -> Dumped:
    return batch_out(loaders.batch(batch_id, "training.batches.view"))


@bp.post("/batches")
@bp.input(NewBatchIn, location="json", arg_name="body")
@bp.output(BatchOut, status_code=201)
@bp.doc(operation_id="createTrainingBatch",
        summary="Create a draft batch run by a certified base of the token owner's "
                "institution, answering a demand or not", **CREATE)
@policy.permission("training.batches.run")
def create_batch(body: dict[str, Any]) -> Dumped:
    base = _base(body["base_id"])
    demand = (loaders.demand(body["demand_id"], "training.demands.view")
              if body["demand_id"] else None)
    created = batches.create_batch(base, _input(body), current_user, local_today(),
                                   demand=demand)
    db.session.commit()
    return batch_out(created)


@bp.put("/batches/<int:batch_id>")
@bp.input(BatchIn, location="json", arg_name="body")
@bp.output(BatchOut)
@bp.doc(operation_id="updateTrainingBatch",
        summary="Correct a draft or returned batch (its base stays)", **WRITE)
@policy.permission("training.batches.run")
def update_batch(batch_id: int, body: dict[str, Any]) -> Dumped:
    found = loaders.batch(batch_id, "training.batches.run")
    batches.update_batch(found, _input(body), local_today())
    db.session.commit()
    return batch_out(found)


def _moment(found: Batch, value: datetime) -> datetime:
    if not EARLIEST <= value < LATEST:
        raise DomainError(N_("The session on %(day)s falls outside the batch dates "
                             "(%(start)s to %(end)s)."), day=value.date().isoformat(),
                          start=found.start_date.isoformat(), end=found.end_date.isoformat())
    return value.astimezone(UTC)


@bp.post("/batches/<int:batch_id>/sessions")
@bp.input(SessionIn, location="json", arg_name="body")
@bp.output(TrainingSessionOut, status_code=201)
@bp.doc(operation_id="addTrainingSession",
        summary="Plan a session of a draft or returned batch: within the batch dates, "
                "overlapping no other", **WRITE)
@policy.permission("training.batches.run")
def add_session(batch_id: int, body: dict[str, Any]) -> Dumped:  # Session
    found = loaders.batch(batch_id, "training.batches.run")
    data = batches.SessionInput(
        starts_at=_moment(found, body["starts_at"]), ends_at=_moment(found, body["ends_at"]),
        hours=Decimal(body["hours"]), mode=body["mode"], topic=body["topic"])
    session = batches.add_session(found, data)
    db.session.commit()
    return session


@bp.delete("/batches/<int:batch_id>/sessions/<int:session_id>")
@bp.doc(operation_id="removeTrainingSession",
        summary="Remove a planned session of a draft or returned batch", **REMOVED)
@policy.permission("training.batches.run")
def remove_session(batch_id: int, session_id: int) -> ResponseReturnValue:
    session = loaders.session(batch_id, session_id, "training.batches.run")
    batches.remove_session(session.batch, session)
    db.session.commit()
    return "", 204
