"""Over-quota reward declarations under /api/v1: the enterprise prepares and submits (its
employees one by one or from a workbook, its evidence files); the county and the city
review; the city opens the notice, records and resolves objections, approves and pays; the
reward notice PDF. Thin endpoints, as the web views: parse → load → authorise → service →
commit → respond. Domain errors are raised and answered as JSON by core.web."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, BinaryIO, cast

from apiflask import APIBlueprint, Schema
from apiflask.fields import Boolean, DateTime, File, Integer, List, Method, Nested, String
from apiflask.validators import Range
from flask import Response
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from trainhub.core import downloads, files, policy
from trainhub.core.api import (
    ERRORS,
    SECURED,
    PageQuery,
    commit_or_discard,
    file_answer,
    offset,
    page,
)
from trainhub.core.api_fields import (
    StrictBoolean,
    StrictDate,
    decimal_text,
    fen,
    integer,
    one_of,
    text,
)
from trainhub.core.errors import NotFound
from trainhub.core.idnumbers import mask_id
from trainhub.core.organisations import Enterprise
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.rewards import (
    approval,
    declarations,
    employee_import,
    loaders,
    notice_pdf,
    rules,
)
from trainhub.rewards.declarations import EmployeeInput
from trainhub.rewards.models import (
    DeclarationStatus,
    DeclaredEmployee,
    ReviewDecision,
    RewardDeclaration,
    RewardEvidence,
    RewardObjection,
)

bp = APIBlueprint("rewards_api", __name__, url_prefix="/api/v1", tag="rewards")

RULE = {400: "A rule of the reward declaration was not met (see `message`)"}
MOVED = {409: "The declaration is no longer at this step (acted on already)"}
WRITE: dict[str, Any] = {"security": "BearerAuth", "responses": {**ERRORS, **RULE, **MOVED}}
UPLOAD: dict[str, Any] = {"security": "BearerAuth", "responses": {
    **ERRORS, **RULE, **MOVED, 413: "The upload exceeds the request size limit"}}
NOT_FOUND = loaders.NOT_FOUND
STAFF = r"^[0-9]{1,8}(\.[0-9]{1,2})?$"
Dumped = Any


# --- schemas ---------------------------------------------------------------------------------

class RewardDeclarationQuery(PageQuery):
    status = one_of([s.value for s in DeclarationStatus])
    year = Integer(validate=Range(min=2000, max=2100))  # a query's text, read as a number


class RewardDeclarationIn(Schema):
    year = integer(2000, 2100, required=True,
                   metadata={"description": "A year that has ended"})
    staff_count = decimal_text(STAFF, "120.5", "The year's average staff count", required=True)


class RewardStaffIn(Schema):
    staff_count = decimal_text(STAFF, "120.5", "The year's average staff count", required=True)


class RewardEmployeeIn(Schema):
    name = text(64, min_length=1, required=True)
    id_number = text(40, required=True, metadata={"description": "Resident ID number"})
    cert_number = text(40, required=True,
                       metadata={"description": "Disability certificate number (20 characters)"})
    certificate_valid_from = StrictDate(required=True)
    certificate_valid_until = StrictDate(load_default=None, allow_none=True,
                                         metadata={"description": "null: no time limit"})
    contract_start = StrictDate(required=True)
    contract_end = StrictDate(load_default=None, allow_none=True,
                              metadata={"description": "null: no fixed term"})
    insurance_months = integer(0, 12, required=True)
    monthly_wage_fen = fen(required=True)


class RewardFileIn(Schema):
    file = File(required=True)


class RewardReviewIn(Schema):
    decision = one_of([d.value for d in ReviewDecision], required=True)
    reason = text(2000, load_default="",
                  metadata={"description": "Required when the declaration is returned"})


class RewardObjectionIn(Schema):
    received_on = StrictDate(required=True)
    raised_by = text(100, load_default="")
    content = text(4000, required=True)


class RewardResolutionIn(Schema):
    upheld = StrictBoolean(required=True)
    resolution = text(4000, required=True)


class RewardPaymentIn(Schema):
    reference = text(64, required=True)


class RewardEmployeeOut(Schema):
    id = Integer()
    name = String()
    id_number = Method("masked_id", metadata={"description": "Masked"})
    grade = Integer()
    certificate_valid_from = String()
    certificate_valid_until = String(allow_none=True)
    contract_start = String()
    contract_end = String(allow_none=True)
    insurance_months = Integer()
    monthly_wage_fen = Integer()

    def masked_id(self, employee: DeclaredEmployee) -> str:
        return mask_id(employee.id_number)


class RewardEvidenceOut(Schema):
    id = Integer()
    original_name = String()
    content_type = String()
    size = Integer()
    uploaded_at = DateTime()


class RewardObjectionOut(Schema):
    id = Integer()
    received_on = String()
    raised_by = String()
    content = String()
    upheld = Boolean(allow_none=True)
    resolution = String(allow_none=True)


class RewardDeclarationOut(Schema):
    id = Integer()
    enterprise_id = Integer()
    enterprise_name = Method("name_of")
    region_code = String()
    year = Integer()
    staff_count = Method("staff_of")
    status = String()
    return_reason = String()
    amount_fen = Integer(allow_none=True)
    rewarded_persons = Integer(allow_none=True)
    notice_ends_on = String(allow_none=True)
    budget_year = Integer(allow_none=True)
    payment_reference = String()
    verification_code = String(allow_none=True)
    employees = List(Nested(RewardEmployeeOut))
    evidence = List(Nested(RewardEvidenceOut))
    objections = List(Nested(RewardObjectionOut))

    def name_of(self, declaration: RewardDeclaration) -> str:
        return declaration.enterprise.name

    def staff_of(self, declaration: RewardDeclaration) -> str:
        return str(Decimal(declaration.staff_count).normalize())


class RewardDeclarationPage(Schema):
    items = List(Nested(RewardDeclarationOut))
    total = Integer()
    page = Integer()
    per_page = Integer()


class RewardImportOut(Schema):
    added = Integer()


# --- helpers -------------------------------------------------------------------------------

_load = loaders.declaration
_part = loaders.part


def _store(upload: FileStorage, found: RewardDeclaration) -> files.StoredUpload:
    max_mb = declarations.evidence_max_mb(found, local_today())
    return files.store_upload(cast(BinaryIO, upload.stream), upload.filename or "",
                              max_bytes=max_mb * 1024 * 1024)


def _done(found: RewardDeclaration) -> RewardDeclaration:
    db.session.commit()
    return found


# --- reading ---------------------------------------------------------------------------------

@bp.get("/reward-declarations")
@bp.input(RewardDeclarationQuery, location="query", arg_name="query")
@bp.output(RewardDeclarationPage)
@bp.doc(operation_id="listRewardDeclarations",
        summary="Reward declarations in the token owner's scope, newest year first",
        **SECURED)
@policy.permission("rewards.view")
def list_declarations(query: dict[str, Any]) -> dict[str, Any]:
    stmt = select(RewardDeclaration).where(
        policy.where(current_user, "rewards.view", RewardDeclaration))
    if query.get("status"):
        stmt = stmt.where(RewardDeclaration.status == query["status"])
    if query.get("year"):
        stmt = stmt.where(RewardDeclaration.year == query["year"])
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.options(selectinload(RewardDeclaration.enterprise),  # each item dumps all four
                     selectinload(RewardDeclaration.employees),
                     selectinload(RewardDeclaration.evidence),
                     selectinload(RewardDeclaration.objections))
        .order_by(RewardDeclaration.year.desc(), RewardDeclaration.id.desc())
        .limit(query["per_page"]).offset(offset(query))).all()
    return page(rows, total, query)


@bp.get("/reward-declarations/<int:declaration_id>")
@bp.output(RewardDeclarationOut)
@bp.doc(operation_id="getRewardDeclaration",
        summary="One declaration with its employees (ID numbers masked), files and objections",
        **SECURED)
@policy.permission("rewards.view")
def get_declaration(declaration_id: int) -> Dumped:
    return _load(declaration_id, "rewards.view")


@bp.get("/reward-declarations/<int:declaration_id>/evidence/<int:file_id>")
@bp.doc(operation_id="downloadRewardEvidence", summary="Download an evidence file",
        **file_answer("The file as uploaded", *sorted(files.EVIDENCE_TYPES),
                       errors={400: "The file is missing from storage"}))
@policy.permission("rewards.view")
@downloads.document("reward_evidence", "file_id", _l("Evidence file"))
def download_evidence(declaration_id: int, file_id: int) -> ResponseReturnValue:
    evidence = _part(RewardEvidence, declaration_id, file_id, "rewards.view")
    return files.send_stored(evidence.storage_key, evidence.original_name,
                             evidence.content_type)


@bp.get("/reward-declarations/<int:declaration_id>/notice.pdf")
@bp.doc(operation_id="downloadRewardNotice",
        summary="The reward notice of an approved declaration, with its verification QR code",
        **file_answer("The notice", "application/pdf"))
@policy.permission("rewards.view")
@downloads.document("reward_notice", "declaration_id", _l("Reward notice"))
def download_notice(declaration_id: int) -> ResponseReturnValue:
    found = _load(declaration_id, "rewards.view")
    return Response(notice_pdf.render(found), mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename={notice_pdf.filename(found)}"})


# --- the enterprise ----------------------------------------------------------------------------

@bp.post("/reward-declarations")
@bp.input(RewardDeclarationIn, location="json", arg_name="body")
@bp.output(RewardDeclarationOut, status_code=201)
@bp.doc(operation_id="createRewardDeclaration",
        summary="Prepare a draft declaration of a year for the token owner's enterprise",
        security="BearerAuth", responses={**ERRORS, **RULE, **MOVED})
@policy.permission("rewards.declare")
def create_declaration(body: dict[str, Any]) -> Dumped:
    enterprise = db.session.get(Enterprise, current_user.enterprise_id)
    if enterprise is None:
        raise NotFound(NOT_FOUND)
    return _done(declarations.create_declaration(
        enterprise, body["year"], Decimal(body["staff_count"]), current_user, local_today()))


@bp.put("/reward-declarations/<int:declaration_id>")
@bp.input(RewardStaffIn, location="json", arg_name="body")
@bp.output(RewardDeclarationOut)
@bp.doc(operation_id="updateRewardDeclaration",
        summary="Correct the average staff count of a draft or returned declaration", **WRITE)
@policy.permission("rewards.declare")
def update_declaration(declaration_id: int, body: dict[str, Any]) -> Dumped:
    found = _load(declaration_id, "rewards.declare")
    declarations.update_declaration(found, Decimal(body["staff_count"]))
    return _done(found)


@bp.post("/reward-declarations/<int:declaration_id>/employees")
@bp.input(RewardEmployeeIn, location="json", arg_name="body")
@bp.output(RewardDeclarationOut, status_code=201)
@bp.doc(operation_id="addRewardEmployee",
        summary="Declare an employee with a disability", **WRITE)
@policy.permission("rewards.declare")
def add_employee(declaration_id: int, body: dict[str, Any]) -> Dumped:
    found = _load(declaration_id, "rewards.declare")
    declarations.add_employee(found, EmployeeInput(**body), local_today())
    return _done(found)


@bp.delete("/reward-declarations/<int:declaration_id>/employees/<int:employee_id>")
@bp.doc(operation_id="deleteRewardEmployee", summary="Remove a declared employee",
        security="BearerAuth", responses={204: "The employee was removed", **WRITE["responses"]})
@policy.permission("rewards.declare")
def delete_employee(declaration_id: int, employee_id: int) -> ResponseReturnValue:
    declarations.remove_employee(_part(DeclaredEmployee, declaration_id, employee_id,
                                       "rewards.declare"))
    db.session.commit()
    return "", 204


@bp.post("/reward-declarations/<int:declaration_id>/employees/import")
@bp.input(RewardFileIn, location="files", arg_name="body")
@bp.output(RewardImportOut, status_code=201)
@bp.doc(operation_id="importRewardEmployees",
        summary="Declare the employees of an Excel workbook (the page's template), all or "
                "none; a refusal lists each cell's problem", **UPLOAD)
@policy.permission("rewards.declare")
def import_employees(declaration_id: int, body: dict[str, FileStorage]) -> dict[str, int]:
    found = _load(declaration_id, "rewards.declare")
    data = body["file"].stream.read(employee_import.MAX_UPLOAD_BYTES + 1)
    added = employee_import.import_employees(found, data, local_today())
    db.session.commit()
    return {"added": added}


@bp.post("/reward-declarations/<int:declaration_id>/evidence")
@bp.input(RewardFileIn, location="files", arg_name="body")
@bp.output(RewardEvidenceOut, status_code=201)
@bp.doc(operation_id="uploadRewardEvidence", summary="Attach an evidence file", **UPLOAD)
@policy.permission("rewards.declare")
def upload_evidence(declaration_id: int, body: dict[str, FileStorage]) -> Dumped:
    found = _load(declaration_id, "rewards.declare")
    stored = _store(body["file"], found)
    return commit_or_discard(lambda: declarations.add_evidence(found, stored, current_user),
                             stored)


@bp.delete("/reward-declarations/<int:declaration_id>/evidence/<int:file_id>")
@bp.doc(operation_id="deleteRewardEvidence", summary="Remove an evidence file",
        security="BearerAuth", responses={204: "The file was removed", **WRITE["responses"]})
@policy.permission("rewards.declare")
def delete_evidence(declaration_id: int, file_id: int) -> ResponseReturnValue:
    evidence = _part(RewardEvidence, declaration_id, file_id, "rewards.declare")
    key = evidence.storage_key
    declarations.remove_evidence(evidence)
    db.session.commit()
    files.discard(key)  # only once the row is gone for good
    return "", 204


@bp.post("/reward-declarations/<int:declaration_id>/submit")
@bp.output(RewardDeclarationOut)
@bp.doc(operation_id="submitRewardDeclaration",
        summary="Compute the reward and send the declaration to the county federation",
        **WRITE)
@policy.permission("rewards.declare")
def submit_declaration(declaration_id: int) -> Dumped:
    found = _load(declaration_id, "rewards.declare")
    declarations.submit(found, local_today())
    return _done(found)


# --- the federations -----------------------------------------------------------------------------

@bp.post("/reward-declarations/<int:declaration_id>/review")
@bp.input(RewardReviewIn, location="json", arg_name="body")
@bp.output(RewardDeclarationOut)
@bp.doc(operation_id="reviewRewardDeclaration",
        summary="Pass the declaration on, or return it with the reason, at the token owner's "
                "level (county, then city)", **WRITE)
@policy.permission("rewards.review")
def review_declaration(declaration_id: int, body: dict[str, Any]) -> Dumped:
    found = _load(declaration_id, "rewards.review")
    level = rules.review_level(current_user)
    assert level is not None  # the policy checked it
    declarations.review(found, level, ReviewDecision(body["decision"]), body["reason"],
                        current_user)
    return _done(found)


@bp.post("/reward-declarations/<int:declaration_id>/notice")
@bp.output(RewardDeclarationOut)
@bp.doc(operation_id="openRewardNotice",
        summary="Open the public notice of the enterprise and its amount", **WRITE)
@policy.permission("rewards.decide")
def open_notice(declaration_id: int) -> Dumped:
    found = _load(declaration_id, "rewards.decide")
    approval.open_notice(found, local_today())
    return _done(found)


@bp.post("/reward-declarations/<int:declaration_id>/objections")
@bp.input(RewardObjectionIn, location="json", arg_name="body")
@bp.output(RewardDeclarationOut, status_code=201)
@bp.doc(operation_id="recordRewardObjection",
        summary="Record an objection received during the notice", **WRITE)
@policy.permission("rewards.decide")
def record_objection(declaration_id: int, body: dict[str, Any]) -> Dumped:
    found = _load(declaration_id, "rewards.decide")
    received: date = body["received_on"]
    approval.record_objection(found, received, body["raised_by"], body["content"],
                              current_user, local_today())
    return _done(found)


@bp.post("/reward-declarations/<int:declaration_id>/objections/<int:objection_id>/resolve")
@bp.input(RewardResolutionIn, location="json", arg_name="body")
@bp.output(RewardDeclarationOut)
@bp.doc(operation_id="resolveRewardObjection",
        summary="Resolve an objection; upheld, the declaration goes back to the enterprise",
        **WRITE)
@policy.permission("rewards.decide")
def resolve_objection(declaration_id: int, objection_id: int, body: dict[str, Any]) -> Dumped:
    objection = _part(RewardObjection, declaration_id, objection_id, "rewards.decide")
    approval.resolve_objection(objection, body["upheld"], body["resolution"], current_user)
    return _done(objection.declaration)


@bp.post("/reward-declarations/<int:declaration_id>/approve")
@bp.output(RewardDeclarationOut)
@bp.doc(operation_id="approveRewardDeclaration",
        summary="Approve after the notice, within the year's reward budgets", **WRITE)
@policy.permission("rewards.decide")
def approve_declaration(declaration_id: int) -> Dumped:
    found = _load(declaration_id, "rewards.decide")
    approval.approve(found, current_user, local_today())
    return _done(found)


@bp.post("/reward-declarations/<int:declaration_id>/pay")
@bp.input(RewardPaymentIn, location="json", arg_name="body")
@bp.output(RewardDeclarationOut)
@bp.doc(operation_id="payRewardDeclaration",
        summary="Record the payment of an approved reward, once", **WRITE)
@policy.permission("rewards.decide")
def pay_declaration(declaration_id: int, body: dict[str, Any]) -> Dumped:
    found = _load(declaration_id, "rewards.decide")
    approval.pay(found, body["reference"], current_user)
    return _done(found)
