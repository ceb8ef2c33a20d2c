"""What the training operations answer, as the OpenAPI document shows it. A schema nested
inside another has its own name (…Item), so each appears once in the document."""

from __future__ import annotations

from typing import Any

from apiflask import Schema
from apiflask.fields import Boolean, Date, DateTime, Decimal, Integer, List, Method, Nested, String
from flask_babel import gettext

from trainhub.core.documents import service as documents
from trainhub.core.idnumbers import mask_id
from trainhub.training import enrolment as enrolment_service


def decimal(places: int, description: str) -> Decimal:
    """A Decimal answered as a string, exactly as stored ("7.50")."""
    return Decimal(as_string=True, places=places,
                   metadata={"type": "string", "description": description})


HOURS = "Decimal hours as a string"


def masked_id(holder: Any) -> str:
    return mask_id(holder.person.id_number)


# --- demands -----------------------------------------------------------------------------

class DemandOut(Schema):
    id = Integer()
    enterprise_id = Integer()
    enterprise_name = String(attribute="enterprise.name")
    title = String()
    occupation = String()
    category = String()
    head_count = Integer()
    skills_required = String()
    region_code = String()
    location = String()
    monthly_wage_fen = Integer()
    hire_commitment = Integer()
    deadline = Date()
    status = String()
    created_at = DateTime()
    batches_taken = Method("_batches_taken", metadata={
        "type": "integer", "description": "Batches planned in answer to the demand"})

    def _batches_taken(self, demand: Any) -> int:
        return len(demand.batches)


class DemandItem(DemandOut):
    """A demand inside a list."""


class DemandPage(Schema):
    items = List(Nested(DemandItem()))
    total = Integer()
    page = Integer()
    per_page = Integer()


# --- batches -------------------------------------------------------------------------------

class TrainingSessionOut(Schema):
    id = Integer()
    starts_at = DateTime()
    ends_at = DateTime()
    hours = decimal(2, HOURS)
    mode = String()
    topic = String()


class TrainingSessionItem(TrainingSessionOut):
    """A planned session inside a batch or an attendance sheet."""


class EnrolmentCountsOut(Schema):
    applied = Integer()
    waiting = Integer()
    admitted = Integer(metadata={"description": "Equals seats_taken"})
    declined = Integer()
    withdrawn = Integer()


class BatchItem(Schema):
    id = Integer()
    title = String()
    institution_id = Integer()
    institution_name = String(attribute="institution.name")
    base_id = Integer()
    demand_id = Integer(allow_none=True)
    region_code = String(metadata={"description": "The base's county"})
    category = String()
    occupation = String()
    training_type = String()
    certificate_type = String()
    certificate_level = String(allow_none=True)
    delivery = String()
    delivery_models = List(String())
    provisions = List(String())
    jiangxi_household_only = Boolean()
    open_to_family_members = Boolean()
    start_date = Date()
    end_date = Date()
    capacity = Integer()
    seats_taken = Integer()
    seats_left = Integer()
    fee_fen = Integer(metadata={"description": "Fee per trainee, in fen"})
    admission = String()
    venue = String()
    status = String()
    created_at = DateTime()
    submitted_at = DateTime(allow_none=True)
    approved_at = DateTime(allow_none=True)


class BatchOut(BatchItem):
    base_certificate_number = String(attribute="base.certificate_number")
    description = String()
    review_comment = String(metadata={"description": "The officer's comment, or the reason "
                                                     "for a cancellation"})
    planned_hours = decimal(2, HOURS + ": the sum of the planned sessions")
    sessions = List(Nested(TrainingSessionItem()))
    enrolments = Nested(EnrolmentCountsOut())
    warnings = List(String(), metadata={
        "description": "What the plan hardly means (such as few planned hours a day), while "
                       "it can still be changed or approved; never a refusal"})


class BatchPage(Schema):
    items = List(Nested(BatchItem()))
    total = Integer()
    page = Integer()
    per_page = Integer()


# --- enrolments ----------------------------------------------------------------------------

class EnrolmentOut(Schema):
    id = Integer()
    batch_id = Integer()
    person_id = Integer()
    name = String(attribute="person.name")
    id_number_masked = Method("_masked", metadata={"type": "string"})
    status = String()
    source = String(metadata={"description": "self, staff or import"})
    applied_at = DateTime(metadata={"description": "The waiting list is served in this order"})
    decided_at = DateTime(allow_none=True)
    decision_note = String()
    withdrawn_at = DateTime(allow_none=True)
    waiting_position = Integer(allow_none=True, metadata={
        "description": "1 for the first person waiting; null when not waiting"})
    employed_at_enrolment = Boolean()
    family_relation = String(allow_none=True, metadata={
        "description": "spouse, child, parent or other: the seat is taken as a family member "
                       "of a person with disabilities (残疾人家庭成员), and no subsidy follows; "
                       "null for a seat taken in one's own right"})
    relative_cert_number_masked = Method("_relative", metadata={
        "type": "string", "nullable": True,
        "description": "The relative's disability certificate number, masked"})
    notices = Method("_notices", metadata={
        "type": "array", "items": {"type": "string"},
        "description": "What the person and the staff are told without the seat being "
                       "refused, in the reader's language (a family member's seat brings no "
                       "subsidy)"})

    def _masked(self, enrolment: Any) -> str:
        return masked_id(enrolment)

    def _relative(self, enrolment: Any) -> str | None:
        return mask_id(enrolment.family_cert_number) if enrolment.family_cert_number else None

    def _notices(self, enrolment: Any) -> list[str]:
        return [gettext(n.msgid, **n.params) for n in enrolment_service.notices(enrolment)]


class EnrolmentItem(EnrolmentOut):
    """An enrolment inside a batch's list."""


class EnrolmentPage(Schema):
    items = List(Nested(EnrolmentItem()))
    total = Integer()
    page = Integer()
    per_page = Integer()
    masked = Boolean(metadata={"description": "Always true: full ID numbers are never "
                                              "answered"})


# --- attendance ----------------------------------------------------------------------------

class MarkOut(Schema):
    session_id = Integer()
    status = String()
    marked_by_id = Integer()
    marked_at = DateTime()


class TraineeAttendanceOut(Schema):
    enrolment_id = Integer()
    person_id = Integer()
    name = String()
    id_number_masked = String()
    marks = List(Nested(MarkOut()))
    attended_hours = decimal(2, HOURS + ": present or late")
    planned_hours = decimal(2, HOURS)
    rate_percent = decimal(1, "Attended over planned hours, rounded down, as a string")
    sessions_marked = Integer()
    flagged = Boolean(metadata={"description": "Below the attendance threshold even if every "
                                               "session not yet held is attended"})


class AttendanceSheetOut(Schema):
    batch_id = Integer()
    planned_hours = decimal(2, HOURS)
    threshold_percent = decimal(1, "The attendance rate under which a trainee is flagged")
    sessions = List(Nested(TrainingSessionItem()))
    trainees = List(Nested(TraineeAttendanceOut()))


class MarkingOut(Schema):
    session_id = Integer()
    created = Integer(metadata={"description": "New marks"})
    corrected = Integer(metadata={"description": "Marks changed (audited with old values)"})


# --- results and follow-up ------------------------------------------------------------------

class ResultOut(Schema):
    enrolment_id = Integer()
    passed = Boolean()
    assessed_on = Date()
    certificate_type = String(allow_none=True)
    certificate_level = String(allow_none=True)
    certificate_number_masked = Method("_number", metadata={"type": ["string", "null"]})
    certificate_date = Date(allow_none=True)
    verification_url = Method("_verification", metadata={
        "type": ["string", "null"], "description": "The completion certificate's public "
                                                  "verification page (passed only)"})
    recorded_at = DateTime()

    def _number(self, completion: Any) -> str | None:
        return mask_id(completion.certificate_number) if completion.certificate_number else None

    def _verification(self, completion: Any) -> str | None:
        code = completion.verification_code
        return documents.verify_url(code) if code else None


class FollowUpOut(Schema):
    enrolment_id = Integer()
    employed = Boolean()
    employer_name = String()
    enterprise_id = Integer(allow_none=True, metadata={
        "description": "Set when hired by the enterprise whose demand the batch answers"})
    employment_form = String(allow_none=True)
    monthly_wage_fen = Integer(allow_none=True)
    checked_on = Date()
    recorded_at = DateTime()


class FollowUpItem(FollowUpOut):
    """A recorded follow-up inside its status."""


class FollowUpStatusOut(Schema):
    enrolment_id = Integer()
    due_on = Date(metadata={"description": "When the follow-up is due (a parameter)"})
    followup = Nested(FollowUpItem(), allow_none=True,
                      metadata={"description": "null until recorded"})


# --- hired versus committed ------------------------------------------------------------------

class BatchOutcomeOut(Schema):
    batch_id = Integer(attribute="key")
    title = String(attribute="name")
    institution_id = Integer()
    institution_name = String()
    demand_id = Integer(allow_none=True)
    committed = Integer(metadata={"description": "Hiring commitment of the demand answered"})
    graduates = Integer()
    employed = Integer()
    hired = Integer(metadata={"description": "Employed by the ordering enterprise"})


class InstitutionOutcomeOut(Schema):
    institution_id = Integer(attribute="key")
    name = String()
    committed = Integer()
    graduates = Integer()
    employed = Integer()
    hired = Integer()


class EnterpriseOutcomeOut(Schema):
    enterprise_id = Integer(attribute="key")
    name = String()
    committed = Integer()
    hired = Integer()


class OutcomesOut(Schema):
    batches = List(Nested(BatchOutcomeOut()))
    institutions = List(Nested(InstitutionOutcomeOut()))
    enterprises = List(Nested(EnterpriseOutcomeOut()))
