"""What the training operations accept, as the OpenAPI document shows it. Shapes and ranges
are checked here (422); the rules of training are the services' (400 and 409)."""

from __future__ import annotations

from apiflask import Schema
from apiflask.fields import List, Nested, String
from apiflask.validators import Length

from trainhub.core.api import PageQuery
from trainhub.core.api_fields import (
    FullMatch,
    StrictBoolean,
    StrictDate,
    StrictDateTime,
    hours_text,
    integer,
    one_of,
    row_id,
    text,
)
from trainhub.core.privacy.consent import GUARDIAN_RELATIONS
from trainhub.training import batches, demands, eligibility, followup
from trainhub.training.catalog import (
    MAX_CAPACITY,
    Admission,
    AttendanceStatus,
    BatchStatus,
    Category,
    CertificateLevel,
    CertificateType,
    Delivery,
    DeliveryModel,
    DemandStatus,
    EmploymentForm,
    EnrolmentStatus,
    Provision,
    SessionMode,
    TrainingType,
    values,
)

REGION = FullMatch(r"^36([0-9]{2}){0,2}$", error="A Jiangxi region code: 36, a city or a "
                                                "county.")
COUNTY = FullMatch(r"^36[0-9]{4}$", error="A Jiangxi county code (6 digits).")

# --- queries -----------------------------------------------------------------------------


class DemandQuery(PageQuery):
    status = one_of(values(DemandStatus))


class BatchQuery(PageQuery):
    status = one_of(values(BatchStatus))
    category = one_of(values(Category))
    region = String(validate=REGION, metadata={
        "description": "Batches in this region: the province (36), a city or a county"})


class EnrolmentQuery(PageQuery):
    status = one_of(values(EnrolmentStatus))


# --- demands -----------------------------------------------------------------------------

class DemandIn(Schema):
    title = text(120, required=True)
    occupation = text(80, required=True)
    category = one_of(values(Category), required=True)
    head_count = integer(1, demands.MAX_HEAD_COUNT, required=True)
    skills_required = text(2000, load_default="")
    region_code = String(required=True, validate=COUNTY,
                         metadata={"description": "The county where the work is"})
    location = text(200, load_default="")
    monthly_wage_fen = integer(1, demands.MAX_WAGE_FEN, required=True,
                               metadata={"description": "Monthly wage offered, in fen"})
    hire_commitment = integer(0, demands.MAX_HEAD_COUNT, required=True, metadata={
        "description": "Workers the enterprise commits to hire; at most the head count"})
    deadline = StrictDate(required=True, metadata={
        "description": "Last day an institution may take the order; not in the past"})


# --- batches and sessions ----------------------------------------------------------------

class BatchIn(Schema):
    title = text(120, required=True)
    category = one_of(values(Category), required=True, metadata={
        "description": "The base must be certified for the specialty it needs"})
    occupation = text(80, required=True)
    training_type = one_of(values(TrainingType), required=True)
    certificate_type = one_of(values(CertificateType), required=True)
    certificate_level = one_of(values(CertificateLevel), allow_none=True, load_default=None,
                               metadata={"description": "Only for levelled certificates"})
    delivery = one_of(values(Delivery), required=True)
    delivery_models = List(one_of(values(DeliveryModel)), load_default=list,
                           validate=Length(max=len(DeliveryModel)))
    provisions = List(one_of(values(Provision)), load_default=list,
                      validate=Length(max=len(Provision)),
                      metadata={"description": "Accessibility provisions"})
    jiangxi_household_only = StrictBoolean(load_default=False, metadata={
        "description": "Only people with a Jiangxi household registration may take a seat"})
    open_to_family_members = StrictBoolean(load_default=False, metadata={
        "description": "Family members of people with disabilities (残疾人家庭成员) may take "
                       "a seat without a disability certificate, by declaring the relation; "
                       "no subsidy follows their seat"})
    start_date = StrictDate(required=True)
    end_date = StrictDate(required=True, metadata={
        "description": "Within the validity of the base's certificate"})
    capacity = integer(1, MAX_CAPACITY, required=True)
    fee_fen = integer(0, batches.MAX_FEE_FEN, required=True,
                      metadata={"description": "Fee per trainee, in fen"})
    admission = one_of(values(Admission), load_default=Admission.AUTO.value)
    venue = text(200, load_default="")
    description = text(4000, load_default="")


class NewBatchIn(BatchIn):
    base_id = row_id(required=True, metadata={
        "description": "A certified base of the token owner's institution"})
    demand_id = row_id(allow_none=True, load_default=None, metadata={
        "description": "The open demand the batch answers, if any"})


class SessionIn(Schema):
    starts_at = StrictDateTime(required=True, metadata={"description": "With its offset"})
    ends_at = StrictDateTime(required=True)
    hours = hours_text(required=True)
    mode = one_of(values(SessionMode), required=True)
    topic = text(200, load_default="")


class CommentIn(Schema):
    comment = text(4000, load_default="", metadata={
        "description": "Required when returning or rejecting"})


class ReasonIn(Schema):
    reason = text(2000, required=True)


class CapacityIn(Schema):
    capacity = integer(1, MAX_CAPACITY, required=True, metadata={
        "description": "Never below the seats taken; a raise admits from the waiting list"})


# --- enrolments, attendance, results, follow-up ------------------------------------------

class EnrolIn(Schema):
    id_number = text(32, required=True, metadata={
        "description": "The person's resident ID number (18 characters); never answered"})
    activation_code = text(32, load_default="", metadata={
        "description": "The activation code the person holds (ABCD-EFGH-JKMN), shown to the "
                       "staff as their agreement: they are enrolled at once. Without it the "
                       "person is asked to confirm on their own page"})
    family_relation = one_of(list(eligibility.RELATIONS), allow_none=True, load_default=None,
                             metadata={
        "description": "With the activation code, for a person without a disability "
                       "certificate taking a seat as a family member of a person with "
                       "disabilities (残疾人家庭成员), in a batch open to them: the relation "
                       "they declare. No subsidy follows such a seat"})
    relative_cert_number = text(40, load_default="", metadata={
        "description": "With family_relation: the relative's disability certificate number "
                       "(20 characters), which an officer checks; never answered in full"})
    paper_consent = StrictBoolean(load_default=False, metadata={
        "description": "With the activation code: the person signed the paper notice of "
                       "consent to the processing of their sensitive personal information "
                       "(PIPL Art. 29), which the staff keep; recorded with the staff "
                       "account as who recorded it. Required unless the person has a "
                       "consent in force"})
    guardian_name = text(64, load_default="", metadata={
        "description": "With paper_consent, for a person under 18 (PIPL Art. 31): the parent "
                       "or guardian who signed the consent on their behalf. Required then"})
    guardian_relation = one_of(list(GUARDIAN_RELATIONS), allow_none=True, load_default=None,
                               metadata={
        "description": "With guardian_name: how the guardian is related to the person"})


class DeclineIn(Schema):
    note = text(500, required=True, metadata={"description": "Shown to the applicant"})


class RemovalIn(Schema):
    reason = text(2000, min_length=1, required=True, metadata={
        "description": "Why the trainee is removed (移出): shown to them on their "
                       "applications page and recorded in the audit log; not blank"})


class MarkIn(Schema):
    enrolment_id = row_id(required=True)
    status = one_of(values(AttendanceStatus), required=True)


class MarksIn(Schema):
    marks = List(Nested(MarkIn()), required=True, validate=Length(min=1, max=MAX_CAPACITY),
                 metadata={"description": "One mark per admitted trainee; all or nothing"})


class ResultIn(Schema):
    passed = StrictBoolean(required=True)
    assessed_on = StrictDate(required=True)
    certificate_type = one_of(values(CertificateType), allow_none=True, load_default=None)
    certificate_level = one_of(values(CertificateLevel), allow_none=True, load_default=None)
    certificate_number = text(32, allow_none=True, load_default=None)
    certificate_date = StrictDate(allow_none=True, load_default=None)


class FollowUpIn(Schema):
    employed = StrictBoolean(required=True)
    checked_on = StrictDate(required=True, metadata={
        "description": "Between the date the follow-up is due and today"})
    employer_name = text(120, load_default="")
    employment_form = one_of(values(EmploymentForm), allow_none=True, load_default=None)
    monthly_wage_fen = integer(0, followup.MAX_WAGE_FEN, allow_none=True, load_default=None)
    hired_by_ordering_enterprise = StrictBoolean(load_default=False, metadata={
        "description": "Hired by the enterprise whose demand the batch answers"})
