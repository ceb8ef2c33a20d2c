"""Certified bases under /api/v1: the list and one base, its certificate, the yearly review,
suspension, reinstatement, revocation, renewal, and an incubator's resident enterprises."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from trainhub.bases import certification, lifecycle, loaders
from trainhub.bases.api import BASE_WRITE, CREATE, PDF_MIME, Dumped, bp
from trainhub.bases.api.schemas import (
    AnnualReviewIn,
    AnnualReviewOut,
    ApplicationOut,
    BaseOut,
    BasePage,
    BaseQuery,
    ReasonIn,
    ResidentIn,
    ResidentOut,
    ReviewSheetOut,
)
from trainhub.bases.models import Base, ReviewOutcome
from trainhub.core import downloads, policy
from trainhub.core.api import SECURED, file_answer, offset, page
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

# --- reading ---------------------------------------------------------------------------


@bp.get("/bases")
@bp.input(BaseQuery, location="query", arg_name="query")
@bp.output(BasePage)
@bp.doc(operation_id="listBases",
        summary="Certified bases in the token owner's scope", **SECURED)
@policy.permission("bases.view")
def list_bases(query: dict[str, Any]) -> dict[str, Any]:
    stmt = loaders.visible_bases(current_user)
    if query.get("kind"):
        stmt = stmt.where(Base.kind == query["kind"])
    rows = list(db.session.scalars(stmt.order_by(Base.region_code, Base.id)))
    if query.get("status"):  # the effective status is computed, so filtered here
        today = local_today()
        rows = [b for b in rows if lifecycle.effective_status(b, today) == query["status"]]
    start = offset(query)
    return page(rows[start:start + query["per_page"]], len(rows), query)


@bp.get("/bases/<int:base_id>")
@bp.output(BaseOut)
@bp.doc(operation_id="getBase",
        summary="One certified base, with its effective status and verification address",
        **SECURED)
@policy.permission("bases.view")
def get_base(base_id: int) -> Dumped:  # Base
    return loaders.base(base_id, "bases.view")


@bp.get("/bases/<int:base_id>/certificate.pdf")
@bp.doc(operation_id="downloadBaseCertificate",
        summary="The certificate as a PDF, with the QR code of its verification page",
        **file_answer("The PDF certificate", PDF_MIME))
@policy.permission("bases.view")
@downloads.document("base_certificate", "base_id", _l("Base certificate"))
def certificate(base_id: int) -> Response:
    found = loaders.base(base_id, "bases.view")
    response = Response(certification.certificate_pdf(found), mimetype=PDF_MIME)
    response.headers["Content-Disposition"] = (
        f"attachment; filename={certification.certificate_filename(found)}")
    return response


# --- the yearly review and the base's status -----------------------------------------------

@bp.get("/bases/<int:base_id>/annual-review")
@bp.output(ReviewSheetOut)
@bp.doc(operation_id="getBaseAnnualReview",
        summary="The yearly-review score sheet in force for the base, its pass mark and "
                "the past reviews", **SECURED)
@policy.permission("bases.manage")
def review_sheet(base_id: int) -> dict[str, Any]:
    found = loaders.base(base_id, "bases.manage")
    today = local_today()
    return {"items": lifecycle.review_sheet(found, today),
            "pass_score": lifecycle.pass_score(found, today), "reviews": found.annual_reviews}


@bp.post("/bases/<int:base_id>/annual-review")
@bp.input(AnnualReviewIn, location="json", arg_name="body")
@bp.output(AnnualReviewOut, status_code=201)
@bp.doc(operation_id="recordBaseAnnualReview",
        summary="Record the yearly review: pass, rectify by a deadline, or revoke",
        **BASE_WRITE)
@policy.permission("bases.manage")
def record_annual_review(base_id: int, body: dict[str, Any]) -> Dumped:  # AnnualReview
    found = loaders.base(base_id, "bases.manage")
    data = lifecycle.AnnualReviewInput(
        year=body["year"], scores=body["scores"], outcome=ReviewOutcome(body["outcome"]),
        rectify_by=body["rectify_by"], comments=body["comments"])
    review = lifecycle.annual_review(found, data, current_user, local_today())
    db.session.commit()
    return review


@bp.post("/bases/<int:base_id>/suspend")
@bp.input(ReasonIn, location="json", arg_name="body")
@bp.output(BaseOut)
@bp.doc(operation_id="suspendBase",
        summary="Suspend the certification, with the reason", **BASE_WRITE)
@policy.permission("bases.manage")
def suspend_base(base_id: int, body: dict[str, str]) -> Dumped:  # Base
    found = loaders.base(base_id, "bases.manage")
    lifecycle.suspend(found, body["reason"], local_today())
    db.session.commit()
    return found


@bp.post("/bases/<int:base_id>/reinstate")
@bp.output(BaseOut)
@bp.doc(operation_id="reinstateBase",
        summary="Lift a suspension", **BASE_WRITE)
@policy.permission("bases.manage")
def reinstate_base(base_id: int) -> Dumped:  # Base
    found = loaders.base(base_id, "bases.manage")
    lifecycle.reinstate(found, local_today())
    db.session.commit()
    return found


@bp.post("/bases/<int:base_id>/revoke")
@bp.input(ReasonIn, location="json", arg_name="body")
@bp.output(BaseOut)
@bp.doc(operation_id="revokeBase",
        summary="Revoke the certification, with the reason; the verification page says so",
        **BASE_WRITE)
@policy.permission("bases.manage")
def revoke_base(base_id: int, body: dict[str, str]) -> Dumped:  # Base
    found = loaders.base(base_id, "bases.manage")
    lifecycle.revoke(found, body["reason"], local_today())
    db.session.commit()
    return found


@bp.post("/bases/<int:base_id>/renewal")
@bp.output(ApplicationOut, status_code=201)
@bp.doc(operation_id="renewBase",
        summary="Start a renewal: a draft application prepared from the previous one",
        **BASE_WRITE)
@policy.permission("bases.apply")
def renew_base(base_id: int) -> Dumped:  # BaseApplication
    found = loaders.base(base_id, "bases.apply")
    application = lifecycle.start_renewal(found, current_user, local_today())
    db.session.commit()
    return application


# --- resident enterprises ------------------------------------------------------------

@bp.get("/bases/<int:base_id>/residents")
@bp.output(ResidentOut(many=True))
@bp.doc(operation_id="listBaseResidents",
        summary="The enterprises an incubation base hosts, by entry date", **SECURED)
@policy.permission("bases.residents")
def list_residents(base_id: int) -> Dumped:  # list[ResidentEnterprise]
    return loaders.base(base_id, "bases.residents").residents


def _resident(body: dict[str, Any]) -> lifecycle.ResidentInput:
    return lifecycle.ResidentInput(
        name=body["name"], founder_name=body["founder_name"], entry_date=body["entry_date"],
        exit_date=body["exit_date"], jobs_created=body["jobs_created"],
        services=body["services"])


@bp.post("/bases/<int:base_id>/residents")
@bp.input(ResidentIn, location="json", arg_name="body")
@bp.output(ResidentOut, status_code=201)
@bp.doc(operation_id="createBaseResident",
        summary="Record a resident enterprise of an incubation base", **CREATE)
@policy.permission("bases.residents")
def create_resident(base_id: int, body: dict[str, Any]) -> Dumped:  # ResidentEnterprise
    found = loaders.base(base_id, "bases.residents")
    resident = lifecycle.save_resident(found, _resident(body), local_today())
    db.session.commit()
    return resident


@bp.put("/bases/<int:base_id>/residents/<int:resident_id>")
@bp.input(ResidentIn, location="json", arg_name="body")
@bp.output(ResidentOut)
@bp.doc(operation_id="updateBaseResident",
        summary="Correct a resident enterprise, or record its exit", **CREATE)
@policy.permission("bases.residents")
def update_resident(base_id: int, resident_id: int,
                    body: dict[str, Any]) -> Dumped:  # ResidentEnterprise
    found = loaders.base(base_id, "bases.residents")
    existing = loaders.resident(found, resident_id)
    resident = lifecycle.save_resident(found, _resident(body), local_today(), existing)
    db.session.commit()
    return resident
