"""Enrolments (劳动者点单) under /api/v1: a batch's applicants with masked ID numbers, staff
enrolling a person by ID number (with their consent: training.invitations), and the
decisions: admit, waiting list, decline, remove (移出, with a reason). Full ID numbers come
in request bodies and are never answered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, jsonify
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, select

from trainhub.core import policy
from trainhub.core.api import SECURED, offset, page
from trainhub.core.privacy import consent
from trainhub.core.throttle import id_lookups
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.training import enrolment, invitations, loaders
from trainhub.training.api import WRITE, Dumped, With, bp
from trainhub.training.api.inputs import DeclineIn, EnrolIn, EnrolmentQuery, RemovalIn
from trainhub.training.api.outputs import EnrolmentOut, EnrolmentPage
from trainhub.training.catalog import EnrolmentStatus
from trainhub.training.models import Batch, Enrolment

RUN = "training.batches.run"


def enrolment_out(found: Enrolment) -> Any:
    return With(found, waiting_position=enrolment.waiting_position(found))


def _waiting_order(batch: Batch) -> dict[int, int]:
    """Enrolment id → place on the waiting list, for a whole page in one query, in the
    order the list is served (loaders.enrolments_of)."""
    waiting = db.session.scalars(loaders.enrolments_of(batch).with_only_columns(Enrolment.id)
                                 .where(Enrolment.status == EnrolmentStatus.WAITING.value))
    return {enrolment_id: n for n, enrolment_id in enumerate(waiting, start=1)}


@bp.get("/batches/<int:batch_id>/enrolments")
@bp.input(EnrolmentQuery, location="query", arg_name="query")
@bp.output(EnrolmentPage)
@bp.doc(operation_id="listBatchEnrolments",
        summary="A batch's applications in the order they were made, ID numbers masked",
        **SECURED)
@policy.permission("training.batches.view")
def list_enrolments(batch_id: int, query: dict[str, Any]) -> dict[str, Any]:
    found = loaders.batch(batch_id, "training.batches.view")
    stmt = loaders.enrolments_of(found)
    if query.get("status"):
        stmt = stmt.where(Enrolment.status == query["status"])
    total = db.session.scalar(select(func.count()).select_from(
        stmt.with_only_columns(Enrolment.id).order_by(None).subquery())) or 0
    rows = db.session.scalars(stmt.limit(query["per_page"]).offset(offset(query))).all()
    order = _waiting_order(found)
    return page([With(e, waiting_position=order.get(e.id)) for e in rows], total, query,
                masked=True)


ASKED_RESPONSE = {202: {
    "description": "Asked: the same answer whether or not the number belongs to anyone "
                   "(nothing about the person is answered)",
    "content": {"application/json": {"schema": {
        "type": "object", "required": ["status", "message"],
        "properties": {"status": {"type": "string", "enum": ["asked"]},
                       "message": {"type": "string"}}}}}},
    429: "Too many ID numbers entered by this account; try again later"}


@bp.post("/batches/<int:batch_id>/enrolments")
@id_lookups
@bp.input(EnrolIn, location="json", arg_name="body")
@bp.output(EnrolmentOut, status_code=201)
@bp.doc(operation_id="enrolTrainee",
        summary="Enrol a person by resident ID number, with their consent: with the "
                "activation code they hold they are enrolled at once (201: admitted while "
                "seats remain, else waiting, or left for the institution's decision); with "
                "the number alone they are asked to confirm on their own page (202, the "
                "same answer for any number). Each lookup is audited and throttled per "
                "account", security=WRITE["security"],
        responses={**WRITE["responses"], **ASKED_RESPONSE})
@policy.permission(RUN)
def enrol(batch_id: int, body: dict[str, Any]) -> Dumped | Response:
    found = loaders.batch(batch_id, RUN)
    try:
        created = invitations.enrol_by_number(
            found, body["id_number"], current_user, utcnow(), code=body["activation_code"],
            relation=body["family_relation"] or "",
            relative_certificate=body["relative_cert_number"],
            paper_consent=bool(body["paper_consent"]),
            guardian=consent.guardian_from(body["guardian_name"], body["guardian_relation"]))
    except invitations.CodeRefused:
        db.session.commit()  # the audit row of the refused attempt
        raise
    db.session.commit()
    if created is None:
        response = jsonify(status="asked", message=gettext(invitations.ASKED))
        response.status_code = 202
        return response
    return enrolment_out(created)


def _decide(enrolment_id: int, operation: Callable[[Enrolment], Any]) -> Any:
    found = loaders.enrolment(enrolment_id, RUN)
    operation(found)
    db.session.commit()
    return enrolment_out(found)


@bp.post("/enrolments/<int:enrolment_id>/admit")
@bp.output(EnrolmentOut)
@bp.doc(operation_id="admitEnrolment",
        summary="Admit an applicant or someone waiting, while a seat is free", **WRITE)
@policy.permission(RUN)
def admit(enrolment_id: int) -> Dumped:
    return _decide(enrolment_id, lambda e: enrolment.admit(e, current_user))


@bp.post("/enrolments/<int:enrolment_id>/wait")
@bp.output(EnrolmentOut)
@bp.doc(operation_id="waitlistEnrolment",
        summary="Put an applicant on the waiting list (promoted in order when a seat "
                "frees)", **WRITE)
@policy.permission(RUN)
def put_on_waiting_list(enrolment_id: int) -> Dumped:
    return _decide(enrolment_id, lambda e: enrolment.put_on_waiting_list(e, current_user))


@bp.post("/enrolments/<int:enrolment_id>/decline")
@bp.input(DeclineIn, location="json", arg_name="body")
@bp.output(EnrolmentOut)
@bp.doc(operation_id="declineEnrolment",
        summary="Decline an applicant or someone waiting, with a note shown to them",
        **WRITE)
@policy.permission(RUN)
def decline(enrolment_id: int, body: dict[str, str]) -> Dumped:
    return _decide(enrolment_id, lambda e: enrolment.decline(e, current_user, body["note"]))


@bp.post("/enrolments/<int:enrolment_id>/withdraw")
@bp.input(RemovalIn, location="json", arg_name="body")
@bp.output(EnrolmentOut)
@bp.doc(operation_id="withdrawEnrolment",
        summary="Remove (移出) a trainee or applicant from the batch, with a reason: the "
                "trainee reads it on their applications page (`decision_note`), and the "
                "removal is audited with it, as on the roster page; a freed seat goes to the "
                "first person waiting", **WRITE)
@policy.permission(RUN)
def withdraw(enrolment_id: int, body: dict[str, str]) -> Dumped:
    return _decide(enrolment_id,
                   lambda e: enrolment.remove(e, current_user, body["reason"]))
