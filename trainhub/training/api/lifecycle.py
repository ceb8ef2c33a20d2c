"""A batch's lifecycle under /api/v1: draft → submitted → approved → enrolling → in progress
→ completed → settled, with returned, rejected and cancelled on the way, and the capacity.
Each transition is allowed to one role at one state; the services check the state with a
conditional UPDATE, so a repeated call is a 409, never a second transition."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_login import current_user

from trainhub.core import policy
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db
from trainhub.training import batches, enrolment, loaders
from trainhub.training.api import WRITE, Dumped, bp
from trainhub.training.api.batches import batch_out
from trainhub.training.api.inputs import CapacityIn, CommentIn, ReasonIn
from trainhub.training.api.outputs import BatchOut
from trainhub.training.models import Batch

RUN, APPROVE = "training.batches.run", "training.batches.approve"


def _act(batch_id: int, action: str, operation: Callable[[Batch], Any]) -> Any:
    found = loaders.batch(batch_id, action)
    operation(found)
    db.session.commit()
    return batch_out(found)


@bp.post("/batches/<int:batch_id>/submit")
@bp.output(BatchOut)
@bp.doc(operation_id="submitTrainingBatch",
        summary="Submit a draft or returned batch to the federation for approval "
                "(开班审批); it needs a planned session and a valid base", **WRITE)
@policy.permission(RUN)
def submit_batch(batch_id: int) -> Dumped:
    return _act(batch_id, RUN, lambda found: batches.submit(found, local_today()))


@bp.post("/batches/<int:batch_id>/approve")
@bp.input(CommentIn, location="json", arg_name="body")
@bp.output(BatchOut)
@bp.doc(operation_id="approveTrainingBatch",
        summary="Approve a submitted batch before it starts: an officer whose region "
                "covers the base", **WRITE)
@policy.permission(APPROVE)
def approve_batch(batch_id: int, body: dict[str, str]) -> Dumped:
    return _act(batch_id, APPROVE, lambda found: batches.approve(
        found, current_user, local_today(), body["comment"]))


@bp.post("/batches/<int:batch_id>/return")
@bp.input(CommentIn, location="json", arg_name="body")
@bp.output(BatchOut)
@bp.doc(operation_id="returnTrainingBatch",
        summary="Return a submitted batch for changes, with the comment", **WRITE)
@policy.permission(APPROVE)
def return_batch(batch_id: int, body: dict[str, str]) -> Dumped:
    return _act(batch_id, APPROVE,
                lambda found: batches.send_back(found, False, body["comment"]))


@bp.post("/batches/<int:batch_id>/reject")
@bp.input(CommentIn, location="json", arg_name="body")
@bp.output(BatchOut)
@bp.doc(operation_id="rejectTrainingBatch",
        summary="Reject a submitted batch for good, with the comment", **WRITE)
@policy.permission(APPROVE)
def reject_batch(batch_id: int, body: dict[str, str]) -> Dumped:
    return _act(batch_id, APPROVE,
                lambda found: batches.send_back(found, True, body["comment"]))


@bp.post("/batches/<int:batch_id>/open")
@bp.output(BatchOut)
@bp.doc(operation_id="openTrainingBatch",
        summary="Open an approved batch for applications", **WRITE)
@policy.permission(RUN)
def open_batch(batch_id: int) -> Dumped:
    return _act(batch_id, RUN, batches.open_enrolment)


@bp.post("/batches/<int:batch_id>/start")
@bp.output(BatchOut)
@bp.doc(operation_id="startTrainingBatch",
        summary="Start the batch on or after its first day: enrolment closes, and whoever "
                "is still undecided or waiting is declined", **WRITE)
@policy.permission(RUN)
def start_batch(batch_id: int) -> Dumped:
    return _act(batch_id, RUN, lambda found: batches.start(found, local_today()))


@bp.post("/batches/<int:batch_id>/complete")
@bp.output(BatchOut)
@bp.doc(operation_id="completeTrainingBatch",
        summary="Complete (结业) a running batch once its last session has ended", **WRITE)
@policy.permission(RUN)
def complete_batch(batch_id: int) -> Dumped:
    return _act(batch_id, RUN, lambda found: batches.complete(found, utcnow()))


@bp.post("/batches/<int:batch_id>/settle")
@bp.output(BatchOut)
@bp.doc(operation_id="settleTrainingBatch",
        summary="Settle (结算) a completed batch once every trainee has a result: an "
                "officer whose region covers it", **WRITE)
@policy.permission(APPROVE)
def settle_batch(batch_id: int) -> Dumped:
    return _act(batch_id, APPROVE, batches.settle)


@bp.post("/batches/<int:batch_id>/cancel")
@bp.input(ReasonIn, location="json", arg_name="body")
@bp.output(BatchOut)
@bp.doc(operation_id="cancelTrainingBatch",
        summary="Cancel a batch that has not started, with the reason", **WRITE)
@policy.permission(RUN)
def cancel_batch(batch_id: int, body: dict[str, str]) -> Dumped:
    return _act(batch_id, RUN, lambda found: batches.cancel(found, body["reason"]))


@bp.put("/batches/<int:batch_id>/capacity")
@bp.input(CapacityIn, location="json", arg_name="body")
@bp.output(BatchOut)
@bp.doc(operation_id="changeTrainingBatchCapacity",
        summary="Change the capacity until the batch starts: never below the seats taken; "
                "a raise admits from the waiting list at once", **WRITE)
@policy.permission(RUN)
def change_capacity(batch_id: int, body: dict[str, int]) -> Dumped:
    return _act(batch_id, RUN,
                lambda found: enrolment.change_capacity(found, body["capacity"]))
