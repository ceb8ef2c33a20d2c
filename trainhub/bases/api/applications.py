"""Applications under /api/v1: prepare, correct, submit and withdraw; evidence files; the
review chain with its inspection photos; the public notice's objections; certification."""

from __future__ import annotations

from typing import Any, BinaryIO, cast

from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from trainhub.bases import certification, loaders, rules, services
from trainhub.bases.api import CREATE, RULE, TOO_LARGE, UPLOAD, WRITE, Dumped, bp
from trainhub.bases.api.schemas import (
    ApplicationIn,
    ApplicationOut,
    ApplicationPage,
    ApplicationQuery,
    BaseOut,
    CriterionOut,
    EvidenceIn,
    EvidenceOut,
    KindQuery,
    ObjectionIn,
    ObjectionOut,
    PhotoIn,
    ResolutionIn,
    ReviewIn,
)
from trainhub.bases.coverage_views import PROVINCE
from trainhub.bases.models import BaseApplication, BaseKind, Decision, Level
from trainhub.core import downloads, files, policy
from trainhub.core.api import ERRORS, SECURED, commit_or_discard, file_answer, offset, page
from trainhub.core.errors import NotFound
from trainhub.core.organisations import Institution
from trainhub.core.parameters import service as parameters
from trainhub.core.timeutil import local_today
from trainhub.extensions import db


def _input(body: dict[str, Any]) -> services.ApplicationInput:
    return services.ApplicationInput(
        kind=BaseKind(body["kind"]), level_sought=Level(body["level_sought"]),
        specialties=tuple(dict.fromkeys(body["specialties"])), answers=body["answers"])


def _store(upload: FileStorage, region_code: str) -> files.StoredUpload:
    """Sniffed as any evidence type: a PDF sent as a photo is then told so by the service."""
    max_mb = parameters.int_value("bases.evidence_max_mb", local_today(), region_code)
    return files.store_upload(cast(BinaryIO, upload.stream), upload.filename or "",
                              max_bytes=max_mb * 1024 * 1024)


# --- reading ---------------------------------------------------------------------------

@bp.get("/base-applications")
@bp.input(ApplicationQuery, location="query", arg_name="query")
@bp.output(ApplicationPage)
@bp.doc(operation_id="listBaseApplications",
        summary="Applications in the token owner's scope, newest first", **SECURED)
@policy.permission("bases.view")
def list_applications(query: dict[str, Any]) -> dict[str, Any]:
    stmt = loaders.visible_applications(current_user)
    if query.get("status"):
        stmt = stmt.where(BaseApplication.status == query["status"])
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(BaseApplication.id.desc())
                              .limit(query["per_page"]).offset(offset(query))).all()
    return page(rows, total, query)


@bp.get("/base-applications/criteria")
@bp.input(KindQuery, location="query", arg_name="query")
@bp.output(CriterionOut(many=True))
@bp.doc(operation_id="getBaseApplicationCriteria",
        summary="The criteria questions in force for a kind of base (the answers' keys)",
        **SECURED)
@policy.permission("bases.view")
def criteria(query: dict[str, str]) -> list[dict[str, Any]]:
    institution = (db.session.get(Institution, current_user.institution_id)
                   if current_user.institution_id else None)
    region = (institution.region_code if institution
              else policy.officer_region(current_user) or PROVINCE)
    found, _value_id = services.criteria_for(BaseKind(query["kind"]), local_today(), region)
    return found


@bp.get("/base-applications/<int:application_id>")
@bp.output(ApplicationOut)
@bp.doc(operation_id="getBaseApplication",
        summary="One application with its evidence, reviews and notice", **SECURED)
@policy.permission("bases.view")
def get_application(application_id: int) -> Dumped:  # BaseApplication
    return loaders.application(application_id, "bases.view")


@bp.get("/base-applications/<int:application_id>/evidence/<int:file_id>")
@bp.doc(operation_id="downloadBaseApplicationEvidence",
        summary="Download an evidence file or inspection photo of the application",
        **file_answer("The file as uploaded", *sorted(files.EVIDENCE_TYPES),
                      errors={400: "The file is missing from storage"}))
@policy.permission("bases.view")
@downloads.document("base_evidence", "file_id", _l("Evidence file"))
def download_evidence(application_id: int, file_id: int) -> ResponseReturnValue:
    evidence = loaders.application_file(application_id, file_id, "bases.view")
    return files.send_stored(evidence.storage_key, evidence.original_name,
                             evidence.content_type)


# --- the institution's side ----------------------------------------------------------------

@bp.post("/base-applications")
@bp.input(ApplicationIn, location="json", arg_name="body")
@bp.output(ApplicationOut, status_code=201)
@bp.doc(operation_id="createBaseApplication",
        summary="Prepare a draft application for the token owner's institution", **CREATE)
@policy.permission("bases.apply")
def create_application(body: dict[str, Any]) -> Dumped:  # BaseApplication
    institution = db.session.get(Institution, current_user.institution_id)
    if institution is None:
        raise NotFound(loaders.NOT_FOUND)
    created = services.create_application(institution, _input(body), current_user,
                                          local_today())
    db.session.commit()
    return created


@bp.put("/base-applications/<int:application_id>")
@bp.input(ApplicationIn, location="json", arg_name="body")
@bp.output(ApplicationOut)
@bp.doc(operation_id="updateBaseApplication",
        summary="Correct a draft or returned application (kind, level, specialties, "
                "answers)", **WRITE)
@policy.permission("bases.apply")
def update_application(application_id: int, body: dict[str, Any]) -> Dumped:
    found = loaders.application(application_id, "bases.apply")
    services.update_application(found, _input(body), local_today())
    db.session.commit()
    return found


@bp.post("/base-applications/<int:application_id>/evidence")
@bp.input(EvidenceIn, location="files", arg_name="body")
@bp.output(EvidenceOut, status_code=201)
@bp.doc(operation_id="uploadBaseApplicationEvidence",
        summary="Attach an evidence file to a draft or returned application", **UPLOAD)
@policy.permission("bases.apply")
def upload_evidence(application_id: int, body: dict[str, FileStorage]) -> Dumped:
    found = loaders.application(application_id, "bases.apply")
    stored = _store(body["file"], found.region_code)
    return commit_or_discard(lambda: services.add_evidence(found, stored, current_user), stored)


@bp.delete("/base-applications/<int:application_id>/evidence/<int:file_id>")
@bp.doc(operation_id="deleteBaseApplicationEvidence",
        summary="Remove an evidence file from a draft or returned application",
        security="BearerAuth", responses={204: "The file was removed", **WRITE["responses"]})
@policy.permission("bases.apply")
def delete_evidence(application_id: int, file_id: int) -> ResponseReturnValue:
    evidence = loaders.application_file(application_id, file_id, "bases.apply")
    key = evidence.storage_key
    services.remove_evidence(evidence)
    db.session.commit()
    files.discard(key)  # only once the row is gone for good
    return "", 204


@bp.post("/base-applications/<int:application_id>/submit")
@bp.output(ApplicationOut)
@bp.doc(operation_id="submitBaseApplication",
        summary="Send the application to the county federation for review", **WRITE)
@policy.permission("bases.apply")
def submit_application(application_id: int) -> Dumped:  # BaseApplication
    found = loaders.application(application_id, "bases.apply")
    services.submit(found)
    db.session.commit()
    return found


@bp.post("/base-applications/<int:application_id>/withdraw")
@bp.output(ApplicationOut)
@bp.doc(operation_id="withdrawBaseApplication",
        summary="Withdraw a draft, returned or in-review application", **WRITE)
@policy.permission("bases.apply")
def withdraw_application(application_id: int) -> Dumped:  # BaseApplication
    found = loaders.application(application_id, "bases.apply")
    services.withdraw(found)
    db.session.commit()
    return found


# --- the federations' side -------------------------------------------------------------------

@bp.post("/base-applications/<int:application_id>/review")
@bp.input(ReviewIn, location="json", arg_name="body")
@bp.output(ApplicationOut)
@bp.doc(operation_id="reviewBaseApplication",
        summary="Decide at the token owner's level: recommend, return or reject", **WRITE)
@policy.permission("bases.review")
def review_application(application_id: int, body: dict[str, Any]) -> Dumped:  # BaseApplication
    found = loaders.application(application_id, "bases.review")
    level = rules.officer_level(current_user)
    assert level is not None  # the policy checked it
    data = services.ReviewInput(
        decision=Decision(body["decision"]), comments=body["comments"],
        inspected_on=body["inspected_on"], inspectors=body["inspectors"],
        findings=body["findings"])
    services.review(found, data, current_user, local_today(), level)
    db.session.commit()
    return found


@bp.post("/base-applications/<int:application_id>/reviews/<int:review_id>/photos")
@bp.input(PhotoIn, location="files", arg_name="body")
@bp.output(EvidenceOut, status_code=201)
@bp.doc(operation_id="uploadBaseApplicationReviewPhoto",
        summary="Add a site-inspection photo to a review already made: its reviewer, or an "
                "officer at that level covering the region", security="BearerAuth",
        responses={**ERRORS, **RULE, **TOO_LARGE})
@policy.permission("bases.inspection_photos")
def upload_review_photo(application_id: int, review_id: int,
                        body: dict[str, FileStorage]) -> Dumped:  # EvidenceFile
    step = loaders.review(application_id, review_id, "bases.inspection_photos")
    stored = _store(body["file"], step.application.region_code)
    return commit_or_discard(lambda: services.add_inspection_photo(step, stored, current_user),
                             stored)


@bp.post("/base-applications/<int:application_id>/objections")
@bp.input(ObjectionIn, location="json", arg_name="body")
@bp.output(ObjectionOut, status_code=201)
@bp.doc(operation_id="recordBaseApplicationObjection",
        summary="Record an objection received during the public notice", **WRITE)
@policy.permission("bases.certify")
def record_objection(application_id: int, body: dict[str, Any]) -> Dumped:  # Objection
    found = loaders.application(application_id, "bases.certify")
    objection = services.record_objection(
        services.notice_of(found), body["received_on"], body["raised_by"], body["content"],
        current_user, local_today())
    db.session.commit()
    return objection


@bp.post("/base-applications/<int:application_id>/objections/<int:objection_id>/resolve")
@bp.input(ResolutionIn, location="json", arg_name="body")
@bp.output(ApplicationOut)
@bp.doc(operation_id="resolveBaseApplicationObjection",
        summary="Resolve an objection: upheld rejects the application, dismissed lets it "
                "proceed", **WRITE)
@policy.permission("bases.certify")
def resolve_objection(application_id: int, objection_id: int,
                      body: dict[str, Any]) -> Dumped:  # BaseApplication
    objection = loaders.objection(objection_id, application_id)
    services.resolve_objection(objection, body["upheld"], body["resolution"], current_user)
    db.session.commit()
    return objection.notice.application


@bp.post("/base-applications/<int:application_id>/certify")
@bp.output(BaseOut, status_code=201)
@bp.doc(operation_id="certifyBaseApplication",
        summary="Certify after the public notice: issues the certificate number", **WRITE)
@policy.permission("bases.certify")
def certify_application(application_id: int) -> Dumped:  # Base
    found = loaders.application(application_id, "bases.certify")
    base = certification.certify(found, current_user, local_today())
    db.session.commit()
    return base
