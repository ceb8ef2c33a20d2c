"""Base certification under /api/v1: applications and their review chain, certified bases,
and the coverage figures. Thin endpoints, as in the web views: parse → load → authorise →
service → commit → respond. Domain errors are raised and answered as JSON by core.web."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO, cast

from apiflask import APIBlueprint, Schema
from apiflask.fields import (
    Boolean,
    Date,
    DateTime,
    Dict,
    File,
    Float,
    Integer,
    List,
    Method,
    Nested,
    String,
)
from apiflask.validators import Length, OneOf, Regexp
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from trainhub.bases import certification, lifecycle, loaders, rules, services
from trainhub.bases.coverage import coverage
from trainhub.bases.coverage_views import PROVINCE, scope_code
from trainhub.bases.models import (
    SPECIALTIES,
    ApplicationStatus,
    Base,
    BaseApplication,
    BaseKind,
    BaseStatus,
    Decision,
    Level,
    PublicNotice,
)
from trainhub.core import files, policy
from trainhub.core.api import ERRORS, SECURED, PageQuery
from trainhub.core.documents import service as documents
from trainhub.core.errors import NotFound
from trainhub.core.organisations import Institution
from trainhub.core.parameters import service as parameters
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

bp = APIBlueprint("bases_api", __name__, url_prefix="/api/v1", tag="bases")

RULE = {400: "A rule of the certification process was not met (see `message`)"}
MOVED = {409: "The application is no longer at this step (acted on already)"}
CREATE: dict[str, Any] = {"security": "BearerAuth", "responses": {**ERRORS, **RULE}}
WRITE: dict[str, Any] = {"security": "BearerAuth", "responses": {**ERRORS, **RULE, **MOVED}}
UPLOAD: dict[str, Any] = {"security": "BearerAuth", "responses": {
    **ERRORS, **RULE, **MOVED, 413: "The upload exceeds the request size limit"}}
# PostgreSQL cannot store NUL in text; refuse it at the door (422) rather than fail later.
NO_NUL = Regexp(r"^[^\x00]*$", error="NUL characters are not allowed.")
EFFECTIVE_STATUSES = [*(s.value for s in BaseStatus), "expired"]
# What an endpoint returns for its @bp.output schema to dump: a model, which Flask's route
# typing does not know as a response value.
Dumped = Any


def _text(max_length: int, **kwargs: Any) -> String:
    return String(validate=[Length(max=max_length), NO_NUL], **kwargs)


def _one_of(values: Sequence[str], **kwargs: Any) -> String:
    return String(validate=OneOf(list(values)), **kwargs)


# --- schemas -------------------------------------------------------------------------

class ApplicationQuery(PageQuery):
    status = _one_of([s.value for s in ApplicationStatus])


class BaseQuery(PageQuery):
    kind = _one_of([k.value for k in BaseKind])
    status = _one_of(EFFECTIVE_STATUSES, metadata={"description": "The effective status"})


class KindQuery(Schema):
    kind = _one_of([k.value for k in BaseKind], required=True)


class CoverageQuery(Schema):
    kind = _one_of([k.value for k in BaseKind])
    specialty = _one_of(SPECIALTIES)


class ApplicationIn(Schema):
    kind = _one_of([k.value for k in BaseKind], required=True)
    level_sought = _one_of([lv.value for lv in Level], required=True)
    specialties = List(_one_of(SPECIALTIES), required=True,
                       validate=Length(min=1, max=len(SPECIALTIES)))
    answers = Dict(keys=String(), values=_text(2000), load_default=dict,
                   metadata={"description": "Criterion code → answer (see /criteria)"})


class EvidenceIn(Schema):
    file = File(required=True, metadata={"description": "A PDF, JPEG or PNG file"})


class ReviewIn(Schema):
    decision = _one_of([d.value for d in Decision], required=True)
    comments = _text(4000, load_default="",
                     metadata={"description": "Required when returning or rejecting"})
    inspected_on = Date(allow_none=True, load_default=None)
    inspectors = _text(200, load_default="")
    findings = _text(4000, load_default="")


class CriterionOut(Schema):
    code = String()
    question = String()
    kind = String()
    unit = String()
    min = Float()
    max = Float()


class EvidenceOut(Schema):
    id = Integer()
    original_name = String()
    content_type = String()
    size = Integer()
    sha256 = String()
    uploaded_at = DateTime()


class EvidenceItem(EvidenceOut):
    """An evidence file inside an application (its own name in the document)."""


class ReviewOut(Schema):
    level = String()
    decision = String()
    comments = String()
    inspected_on = Date(allow_none=True)
    inspectors = String()
    findings = String()
    decided_at = DateTime()
    photos = List(Nested(EvidenceItem()), metadata={"description": "Site inspection photos"})


class NoticeOut(Schema):
    starts_on = Date()
    ends_on = Date()
    open_objections = Method("_open_objections", metadata={"type": "integer"})

    def _open_objections(self, notice: PublicNotice) -> int:
        return len(services.open_objections(notice))


class ApplicationItem(Schema):
    id = Integer()
    institution_id = Integer()
    institution_name = String(attribute="institution.name")
    kind = String()
    level_sought = String()
    specialties = List(String())
    region_code = String()
    status = String()
    current_level = String(allow_none=True)
    renews_base_id = Integer(allow_none=True)
    created_at = DateTime()
    submitted_at = DateTime(allow_none=True)
    decided_at = DateTime(allow_none=True)


class ApplicationOut(ApplicationItem):
    answers = Dict(keys=String(), values=String())
    evidence = List(Nested(EvidenceItem()))
    reviews = List(Nested(ReviewOut()))
    notice = Nested(NoticeOut(), allow_none=True)


class ApplicationPage(Schema):
    items = List(Nested(ApplicationItem()))
    total = Integer()
    page = Integer()
    per_page = Integer()


class BaseOut(Schema):
    id = Integer()
    institution_id = Integer()
    institution_name = String(attribute="institution.name")
    application_id = Integer()
    kind = String()
    level = String()
    region_code = String()
    specialties = List(String())
    certificate_number = String()
    valid_from = Date()
    valid_until = Date()
    status = String(metadata={"description": "As recorded: valid, suspended, revoked or "
                                             "superseded"})
    effective_status = Method("_effective_status", metadata={
        "type": "string", "description": "Today: the status, or expired"})
    status_reason = String()
    verification_url = Method("_verification_url", metadata={"type": "string"})
    certified_at = DateTime()

    def _effective_status(self, base: Base) -> str:
        return lifecycle.effective_status(base, local_today())

    def _verification_url(self, base: Base) -> str:
        return documents.verify_url(base.verification_code)


class BaseItem(BaseOut):
    """A base inside a list (its own name in the document)."""


class BasePage(Schema):
    items = List(Nested(BaseItem()))
    total = Integer()
    page = Integer()
    per_page = Integer()


class CountyCoverageOut(Schema):
    code = String()
    name = String()
    training = Integer()
    incubator = Integer()
    gap_training = Boolean()
    specialties = Dict(keys=String(), values=Integer())


class CityCoverageOut(Schema):
    code = String()
    name = String()
    training = Integer(metadata={"description": "Valid training bases in the city, any level"})
    incubator = Integer()
    city_training = Integer(metadata={"description": "Of those, at city or province level"})
    city_incubator = Integer()
    gap_training = Boolean()
    gap_incubator = Boolean()
    counties_without_training = Integer()
    specialties = Dict(keys=String(), values=Integer())
    counties = List(Nested(CountyCoverageOut()))


class CoverageTotalsOut(Schema):
    training = Integer()
    incubator = Integer()
    cities_without_training = Integer()
    cities_without_incubator = Integer()
    counties_without_training = Integer()
    cities = Integer()
    counties = Integer()


class CoverageOut(Schema):
    on = Date()
    scope = String(attribute="scope_code")
    kind = String(allow_none=True)
    specialty = String(allow_none=True)
    totals = Nested(CoverageTotalsOut())
    cities = List(Nested(CityCoverageOut()))


# --- helpers -------------------------------------------------------------------------

def _page(rows: Sequence[Any], total: int, query: dict[str, Any]) -> dict[str, Any]:
    return {"items": list(rows), "total": total, "page": query["page"],
            "per_page": query["per_page"]}


def _offset(query: dict[str, Any]) -> int:
    return int((query["page"] - 1) * query["per_page"])


# --- applications --------------------------------------------------------------------------

@bp.get("/base-applications")
@bp.input(ApplicationQuery, location="query", arg_name="query")
@bp.output(ApplicationPage)
@bp.doc(summary="Applications in the token owner's scope, newest first", **SECURED)
@policy.permission("bases.view")
def list_applications(query: dict[str, Any]) -> dict[str, Any]:
    stmt = loaders.visible_applications(current_user)
    if query.get("status"):
        stmt = stmt.where(BaseApplication.status == query["status"])
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(BaseApplication.id.desc())
                              .limit(query["per_page"]).offset(_offset(query))).all()
    return _page(rows, total, query)


@bp.get("/base-applications/criteria")
@bp.input(KindQuery, location="query", arg_name="query")
@bp.output(CriterionOut(many=True))
@bp.doc(summary="The criteria questions in force for a kind of base (the answers' keys)",
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
@bp.doc(summary="One application with its evidence, reviews and notice", **SECURED)
@policy.permission("bases.view")
def get_application(application_id: int) -> Dumped:  # BaseApplication
    return loaders.application(application_id, "bases.view")


@bp.post("/base-applications")
@bp.input(ApplicationIn, location="json", arg_name="body")
@bp.output(ApplicationOut, status_code=201)
@bp.doc(summary="Prepare a draft application for the token owner's institution", **CREATE)
@policy.permission("bases.apply")
def create_application(body: dict[str, Any]) -> Dumped:  # BaseApplication
    institution = db.session.get(Institution, current_user.institution_id)
    if institution is None:
        raise NotFound(loaders.NOT_FOUND)
    data = services.ApplicationInput(
        kind=BaseKind(body["kind"]), level_sought=Level(body["level_sought"]),
        specialties=tuple(dict.fromkeys(body["specialties"])), answers=body["answers"])
    created = services.create_application(institution, data, current_user, local_today())
    db.session.commit()
    return created


@bp.post("/base-applications/<int:application_id>/evidence")
@bp.input(EvidenceIn, location="files", arg_name="body")
@bp.output(EvidenceOut, status_code=201)
@bp.doc(summary="Attach an evidence file to a draft or returned application", **UPLOAD)
@policy.permission("bases.apply")
def upload_evidence(application_id: int, body: dict[str, FileStorage]) -> Dumped:
    found = loaders.application(application_id, "bases.apply")
    upload = body["file"]
    max_mb = parameters.int_value("bases.evidence_max_mb", local_today(), found.region_code)
    stored = files.store_upload(cast(BinaryIO, upload.stream), upload.filename or "",
                                max_bytes=max_mb * 1024 * 1024)
    try:
        evidence = services.add_evidence(found, stored, current_user)
        db.session.commit()
    except Exception:
        files.discard(stored.storage_key)
        raise
    return evidence


@bp.post("/base-applications/<int:application_id>/submit")
@bp.output(ApplicationOut)
@bp.doc(summary="Send the application to the county federation for review", **WRITE)
@policy.permission("bases.apply")
def submit_application(application_id: int) -> Dumped:  # BaseApplication
    found = loaders.application(application_id, "bases.apply")
    services.submit(found)
    db.session.commit()
    return found


@bp.post("/base-applications/<int:application_id>/review")
@bp.input(ReviewIn, location="json", arg_name="body")
@bp.output(ApplicationOut)
@bp.doc(summary="Decide at the token owner's level: recommend, return or reject", **WRITE)
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


@bp.post("/base-applications/<int:application_id>/certify")
@bp.output(BaseOut, status_code=201)
@bp.doc(summary="Certify after the public notice: issues the certificate number", **WRITE)
@policy.permission("bases.certify")
def certify_application(application_id: int) -> Dumped:  # Base
    found = loaders.application(application_id, "bases.certify")
    base = certification.certify(found, current_user, local_today())
    db.session.commit()
    return base


# --- bases and coverage --------------------------------------------------------------------

@bp.get("/bases")
@bp.input(BaseQuery, location="query", arg_name="query")
@bp.output(BasePage)
@bp.doc(summary="Certified bases in the token owner's scope", **SECURED)
@policy.permission("bases.view")
def list_bases(query: dict[str, Any]) -> dict[str, Any]:
    stmt = loaders.visible_bases(current_user)
    if query.get("kind"):
        stmt = stmt.where(Base.kind == query["kind"])
    rows = list(db.session.scalars(stmt.order_by(Base.region_code, Base.id)))
    if query.get("status"):  # the effective status is computed, so filtered here
        today = local_today()
        rows = [b for b in rows if lifecycle.effective_status(b, today) == query["status"]]
    start = _offset(query)
    return _page(rows[start:start + query["per_page"]], len(rows), query)


@bp.get("/bases/<int:base_id>")
@bp.output(BaseOut)
@bp.doc(summary="One certified base, with its effective status and verification address",
        **SECURED)
@policy.permission("bases.view")
def get_base(base_id: int) -> Dumped:  # Base
    return loaders.base(base_id, "bases.view")


@bp.get("/bases/coverage")
@bp.input(CoverageQuery, location="query", arg_name="query")
@bp.output(CoverageOut)
@bp.doc(summary="Coverage of the targets in the token owner's region, as on the dashboard",
        **SECURED)
@policy.permission("bases.coverage")
def get_coverage(query: dict[str, str]) -> dict[str, Any]:
    kind = BaseKind(query["kind"]) if query.get("kind") else None
    report = coverage(scope_code(), local_today(), kind, query.get("specialty"))
    return {"on": report.on, "scope_code": report.scope_code, "kind": query.get("kind"),
            "specialty": query.get("specialty"), "totals": report.totals,
            "cities": report.cities}
