"""Electronic training vouchers (电子培训券) under /api/v1: the officers' side. Officers list
the vouchers of their region's people, read one, and issue vouchers to people named by ID
number, all or none. Trainees claim and use theirs on "我的补贴"; they hold no tokens.

A person outside the officer's region reads as unknown (no hint that they exist): an issue
naming one is refused line by line with the documented 400, like any ineligible person."""

from __future__ import annotations

from typing import Any

from apiflask import abort
from flask_login import current_user
from sqlalchemy import func, select

from trainhub.core import policy
from trainhub.core.api import offset, page
from trainhub.core.errors import N_, DomainError
from trainhub.core.i18n import translate
from trainhub.core.idnumbers import mask_id
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import loaders
from trainhub.subsidies import vouchers as service
from trainhub.subsidies.api import READ, WRITE, Dumped, bp
from trainhub.subsidies.api.inputs import VoucherCancelIn, VoucherIssueIn, VoucherQuery
from trainhub.subsidies.api.outputs import VoucherOut, VoucherPage, VouchersOut
from trainhub.subsidies.models import Voucher

NOT_FOUND = N_("The page or record was not found, or it is outside your scope.")
REFUSED = {400: "A term is not valid, or a person cannot receive a voucher: `detail.problems` "
                "gives each line, with the number masked"}
ISSUE: dict[str, Any] = {"security": "BearerAuth", "responses": {**READ["responses"],
                                                                 **REFUSED}}


def _out(voucher: Voucher) -> dict[str, Any]:
    person = voucher.person
    return {
        "id": voucher.id, "code": voucher.code,
        "person": {"id": person.id, "name": person.name,
                   "id_number_masked": mask_id(person.id_number)},
        "region_code": voucher.region_code, "face_value_fen": voucher.face_value_fen,
        "categories": list(voucher.categories), "institution_ids": list(voucher.institution_ids),
        "valid_from": voucher.valid_from, "valid_until": voucher.valid_until,
        "status": service.shown_status(voucher, local_today()),
        "issued_at": voucher.issued_at, "claimed_at": voucher.claimed_at,
        "enrolment_id": voucher.enrolment_id, "redeemed_at": voucher.redeemed_at,
        "decision_id": voucher.decision_id, "settled_fen": voucher.settled_fen,
        "settled_at": voucher.settled_at, "cancelled_at": voucher.cancelled_at,
        "cancel_reason": voucher.cancel_reason,
    }


@bp.get("/subsidies/vouchers")
@bp.input(VoucherQuery, location="query", arg_name="query")
@bp.output(VoucherPage)
@bp.doc(operation_id="listVouchers",
        summary="Vouchers of the people of the token owner's region, newest first", **READ)
@policy.permission(service.ISSUE)
def list_vouchers(query: dict[str, Any]) -> dict[str, Any]:
    stmt = service.with_status(service.in_region(current_user.region_code or "-"),
                               query.get("status"), local_today())
    total = db.session.scalar(select(func.count()).select_from(
        stmt.order_by(None).subquery())) or 0
    rows = db.session.scalars(stmt.limit(query["per_page"]).offset(offset(query))).all()
    return page([_out(v) for v in rows], total, query)


@bp.get("/subsidies/vouchers/<int:voucher_id>")
@bp.output(VoucherOut)
@bp.doc(operation_id="getVoucher",
        summary="One voucher: its terms, the status shown, and where it was used", **READ)
@policy.permission(service.ISSUE)
def get_voucher(voucher_id: int) -> Dumped:
    return _out(loaders.voucher_in_region(voucher_id))


@bp.post("/subsidies/vouchers/<int:voucher_id>/cancel")
@bp.input(VoucherCancelIn, location="json", arg_name="body")
@bp.output(VoucherOut)
@bp.doc(operation_id="cancelVoucher",
        summary="Cancel an unused voucher (issued or claimed), with the reason its holder "
                "reads; a voucher used for a seat, or cancelled already, is a 409", **WRITE)
@policy.permission(service.ISSUE)
def cancel_voucher(voucher_id: int, body: dict[str, Any]) -> Dumped:
    found = loaders.voucher_in_region(voucher_id)
    service.cancel(found, current_user, body["reason"])
    db.session.commit()
    return _out(found)


def _problems(error: DomainError) -> list[dict[str, Any]]:
    """The lines refused, whether alone or with the terms' problems (service.issue
    answers them together)."""
    return [{"line": p.line, "id_number_masked": p.masked,
             "message": translate(p.message, **p.params)}
            for e in error.each if isinstance(e, service.IssueRefused) for p in e.problems]


@bp.post("/subsidies/vouchers")
@bp.input(VoucherIssueIn, location="json", arg_name="body")
@bp.output(VouchersOut, status_code=201)
@bp.doc(operation_id="issueVouchers",
        summary="Issue a voucher to each person named by ID number (in the body, never in a "
                "URL), on the same terms; all or none", **ISSUE)
@policy.permission(service.ISSUE)
def issue_vouchers(body: dict[str, Any]) -> dict[str, Any]:
    terms = service.Terms(
        face_value_fen=body["face_value_fen"], valid_from=body["valid_from"],
        valid_until=body["valid_until"], categories=tuple(dict.fromkeys(body["categories"])),
        institution_ids=tuple(dict.fromkeys(body["institution_ids"])))
    try:
        made = service.issue(body["id_numbers"], terms, current_user, local_today())
    except DomainError as error:
        lines = _problems(error)
        if not lines:
            raise
        db.session.rollback()
        abort(400, message=" ".join(translate(e.message, **e.params) for e in error.each),
              detail={"problems": lines})
    db.session.commit()
    return {"count": len(made), "items": [_out(v) for v in made]}
