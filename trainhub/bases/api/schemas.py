"""What the bases endpoints accept and answer, as the OpenAPI document shows it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from apiflask import Schema
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
from apiflask.validators import Length, OneOf, Range, Regexp

from trainhub.bases import lifecycle, services
from trainhub.bases.models import (
    SPECIALTIES,
    ApplicationStatus,
    Base,
    BaseKind,
    BaseStatus,
    Decision,
    Level,
    PublicNotice,
    ReviewOutcome,
)
from trainhub.core.api import PageQuery
from trainhub.core.documents import service as documents
from trainhub.core.timeutil import local_today

# PostgreSQL cannot store NUL in text; refuse it at the door (422) rather than fail later.
NO_NUL = Regexp(r"^[^\x00]*$", error="NUL characters are not allowed.")
EFFECTIVE_STATUSES = [*(s.value for s in BaseStatus), "expired"]


def _text(max_length: int, **kwargs: Any) -> String:
    return String(validate=[Length(max=max_length), NO_NUL], **kwargs)


def _one_of(values: Sequence[str], **kwargs: Any) -> String:
    return String(validate=OneOf(list(values)), **kwargs)


# --- queries -------------------------------------------------------------------------

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


# --- applications: input -------------------------------------------------------------

class ApplicationIn(Schema):
    kind = _one_of([k.value for k in BaseKind], required=True)
    level_sought = _one_of([lv.value for lv in Level], required=True)
    specialties = List(_one_of(SPECIALTIES), required=True,
                       validate=Length(min=1, max=len(SPECIALTIES)))
    answers = Dict(keys=String(), values=_text(2000), load_default=dict,
                   metadata={"description": "Criterion code → answer (see /criteria)"})


class EvidenceIn(Schema):
    file = File(required=True, metadata={"description": "A PDF, JPEG or PNG file"})


class PhotoIn(Schema):
    file = File(required=True, metadata={"description": "A JPEG or PNG photo"})


class ReviewIn(Schema):
    decision = _one_of([d.value for d in Decision], required=True)
    comments = _text(4000, load_default="",
                     metadata={"description": "Required when returning or rejecting"})
    inspected_on = Date(allow_none=True, load_default=None)
    inspectors = _text(200, load_default="")
    findings = _text(4000, load_default="")


class ObjectionIn(Schema):
    received_on = Date(required=True, metadata={"description": "Within the notice period"})
    raised_by = _text(100, load_default="")
    content = _text(4000, required=True)


class ResolutionIn(Schema):
    upheld = Boolean(required=True, metadata={
        "description": "True upholds the objection, which rejects the application"})
    resolution = _text(4000, required=True)


# --- applications: output ------------------------------------------------------------

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
    id = Integer()
    level = String()
    decision = String()
    comments = String()
    inspected_on = Date(allow_none=True)
    inspectors = String()
    findings = String()
    decided_at = DateTime()
    photos = List(Nested(EvidenceItem()), metadata={"description": "Site inspection photos"})


class ObjectionOut(Schema):
    id = Integer()
    received_on = Date()
    raised_by = String()
    content = String()
    resolution = String(allow_none=True)
    upheld = Boolean(allow_none=True)
    resolved_at = DateTime(allow_none=True)


class ObjectionItem(ObjectionOut):
    """An objection inside a notice (its own name in the document)."""


class NoticeOut(Schema):
    starts_on = Date()
    ends_on = Date()
    open_objections = Method("_open_objections", metadata={"type": "integer"})
    objections = List(Nested(ObjectionItem()))

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


# --- bases -----------------------------------------------------------------------------

class ReasonIn(Schema):
    reason = _text(2000, required=True)


class AnnualReviewIn(Schema):
    year = Integer(required=True, validate=Range(min=2000, max=2100))
    # Keys are checked against the sheet's items by the service (the documented 400); a
    # key rule here would be a 422 OpenAPI 3.0 cannot state (it has no propertyNames).
    scores = Dict(keys=String(), values=Integer(), required=True, metadata={
        "description": "Item of the sheet → points, for every item (see GET)"})
    outcome = _one_of([o.value for o in ReviewOutcome], required=True)
    rectify_by = Date(allow_none=True, load_default=None,
                      metadata={"description": "Required when the outcome is rectify"})
    comments = _text(4000, load_default="",
                     metadata={"description": "Required unless the outcome is pass"})


class ResidentIn(Schema):
    name = _text(120, required=True)
    founder_name = _text(64, required=True)
    entry_date = Date(required=True)
    exit_date = Date(allow_none=True, load_default=None)
    jobs_created = Integer(load_default=0, validate=Range(min=0, max=100_000))
    services = _text(2000, load_default="")


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


class SheetItemOut(Schema):
    item = String()
    max_points = Integer()


class AnnualReviewOut(Schema):
    id = Integer()
    base_id = Integer()
    year = Integer()
    scores = Dict(keys=String(), values=Integer())
    total = Integer()
    outcome = String()
    rectify_by = Date(allow_none=True)
    comments = String()
    reviewed_at = DateTime()


class AnnualReviewItem(AnnualReviewOut):
    """A past yearly review on the sheet (its own name in the document)."""


class ReviewSheetOut(Schema):
    items = List(Nested(SheetItemOut()), metadata={"description": "The sheet in force"})
    pass_score = Integer()
    reviews = List(Nested(AnnualReviewItem()), metadata={"description": "Past yearly reviews"})


class ResidentOut(Schema):
    id = Integer()
    base_id = Integer()
    name = String()
    founder_name = String()
    entry_date = Date()
    exit_date = Date(allow_none=True)
    jobs_created = Integer()
    services = String()
    created_at = DateTime()


# --- coverage ----------------------------------------------------------------------------

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
