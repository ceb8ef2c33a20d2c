"""What the subsidy operations accept, as the OpenAPI document shows it. Shapes and ranges
are checked here (422, with the field); the rules are the services' and the engine's (400
and 409). Money is integer fen in fields named `…_fen`; hours are decimal strings."""

from __future__ import annotations

from enum import StrEnum

from apiflask import Schema
from apiflask.fields import Integer, List, Nested, String
from apiflask.validators import Length, Range

from trainhub.core.api import PageQuery
from trainhub.core.api_fields import (
    ANY_REGION,
    COUNTY,
    MAX_ID,
    REGION,
    FullMatch,
    StrictBoolean,
    StrictDate,
    decimal_text,
    fen,
    integer,
    one_of,
    row_id,
    text,
)
from trainhub.core.parameters.models import Domain
from trainhub.core.parameters.values import MAX_TEXT
from trainhub.subsidies import engine, vouchers
from trainhub.subsidies.budgets import MAX_BUDGET_FEN
from trainhub.training.catalog import Category

MAX_SESSIONS = 400  # more than a year of daily sessions
MAX_EARLIER = 50
MAX_BULK = 500  # decisions approved or submitted in one call
BUDGET_LIMIT_FEN = MAX_BUDGET_FEN  # the service's bound (a 64-bit column), as on the page
HOURS = r"^[0-9]{1,2}(\.[0-9]{1,2})?$"
PLANNED_HOURS = r"^[0-9]{1,4}(\.[0-9]{1,2})?$"


def _values(kind: type[StrEnum]) -> list[str]:
    return [member.value for member in kind]


def _year(**kwargs: object) -> Integer:
    return integer(2000, 2100, **kwargs)


# --- parameters ---------------------------------------------------------------------------

class ParameterQuery(Schema):
    domain = one_of(_values(Domain), metadata={"description": "Only this domain's parameters"})
    on = StrictDate(metadata={"description": "The values in force on this date (default: "
                                             "today)"})


class ParameterValueIn(Schema):
    effective_from = StrictDate(required=True, metadata={
        "description": "The value applies from this date until the next dated value of the "
                       "same scope"})
    region_code = String(load_default="36", validate=REGION, metadata={
        "description": "36: the whole province; a city code (4 digits): an override there"})
    value = text(MAX_TEXT, load_default=None, allow_none=True, metadata={
        "description": "The value as text in the parameter's unit (a number of percent for "
                       "rates, JSON for JSON values); for an amount (unit fen) give "
                       "`amount_fen` instead"})
    amount_fen = fen(load_default=None, allow_none=True, metadata={
        "description": "For an amount (unit fen): the value in fen"})
    note = text(200, load_default="", metadata={
        "description": "For example the document that sets this value"})
    dry_run = StrictBoolean(load_default=False, metadata={
        "description": "Only show the open decisions the value would change, old and new "
                       "amounts; save nothing"})


# --- explain: a claim as the engine takes it -------------------------------------------------

class ClaimPersonIn(Schema):
    sex = one_of(_values(engine.Sex), required=True)
    birth_date = StrictDate(required=True)
    has_valid_certificate = StrictBoolean(required=True, metadata={
        "description": "Holds a valid disability certificate (残疾人证)"})
    household_in_jiangxi = StrictBoolean(required=True)
    employed_at_enrolment = StrictBoolean(required=True)
    family_member = StrictBoolean(load_default=False, metadata={
        "description": "The seat was taken as a family member of a person with disabilities "
                       "(残疾人家庭成员): no subsidy follows"})


class ClaimBatchIn(Schema):
    start_date = StrictDate(required=True, metadata={
        "description": "The parameter values in force on this date apply"})
    end_date = StrictDate(required=True)
    region_code = String(required=True, validate=COUNTY, metadata={
        "description": "The batch's county; its city's overrides apply"})
    training_type = one_of(_values(engine.TrainingType), required=True)
    occupation = text(80, min_length=1, required=True)
    fee_charged_fen = fen(required=True, metadata={"description": "The fee charged, in fen"})
    planned_hours = decimal_text(PLANNED_HOURS, "80", "Planned hours, a decimal string",
                                 required=True)


class ClaimSessionIn(Schema):
    date = StrictDate(required=True)
    hours = decimal_text(HOURS, "8", "Hours of the session, a decimal string", required=True)
    in_person = StrictBoolean(required=True, metadata={
        "description": "False for an online session (no living allowance)"})
    status = one_of(_values(engine.AttendanceStatus), required=True)


class ClaimCompletionIn(Schema):
    passed = StrictBoolean(required=True, metadata={"description": "The assessment"})
    certificate_type = one_of(_values(engine.CertificateType), allow_none=True,
                              load_default=None)
    level = one_of(_values(engine.Level), allow_none=True, load_default=None, metadata={
        "description": "Only for qualification and skill-level certificates"})
    certificate_date = StrictDate(allow_none=True, load_default=None, metadata={
        "description": "With a certificate type, and only then"})


class ClaimEarlierIn(Schema):
    kind = one_of(_values(engine.SubsidyKind), required=True)
    occupation = text(80, required=True)
    level = one_of(_values(engine.Level), allow_none=True, load_default=None)
    certificate_date = StrictDate(allow_none=True, load_default=None)
    batch_end_date = StrictDate(required=True)
    status = one_of(_values(engine.DecisionStatus), required=True)


class ClaimIn(Schema):
    person = Nested(ClaimPersonIn(), required=True)
    batch = Nested(ClaimBatchIn(), required=True)
    sessions = List(Nested(ClaimSessionIn()), required=True,
                    validate=Length(max=MAX_SESSIONS),
                    metadata={"description": "Every planned session and the attendance"})
    withdrew = StrictBoolean(load_default=False)
    completion = Nested(ClaimCompletionIn(), required=True)
    claim_date = StrictDate(load_default=None, allow_none=True, metadata={
        "description": "The day the claim is made (default: today); the 12-month deadline "
                       "runs to it"})
    earlier = List(Nested(ClaimEarlierIn()), load_default=list,
                   validate=Length(max=MAX_EARLIER), metadata={
                       "description": "The person's other subsidies, from any institution"})


# --- decisions ------------------------------------------------------------------------------

class DecisionQuery(PageQuery):
    status = one_of(_values(engine.DecisionStatus))
    kind = one_of(_values(engine.SubsidyKind))
    # A query string is text: "12" is the number here, unlike in a JSON body.
    batch_id = Integer(validate=Range(min=1, max=MAX_ID))


class DecisionIdsIn(Schema):
    decision_ids = List(row_id(), required=True, validate=Length(min=1, max=MAX_BULK),
                        metadata={"description": "All of them or none"})


class RejectIn(Schema):
    reason = text(2000, min_length=1, required=True, metadata={
        "description": "The trainee reads it"})


class PaymentIn(Schema):
    paid_on = StrictDate(required=True, metadata={"description": "Not in the future"})
    reference = text(64, min_length=1, required=True, metadata={
        "description": "The payment's reference, e.g. the treasury voucher number"})


# --- budgets --------------------------------------------------------------------------------

class BudgetQuery(Schema):
    year = Integer(validate=Range(min=2000, max=2100))
    kind = one_of(_values(engine.SubsidyKind))


class BudgetIn(Schema):
    region_code = String(required=True, validate=ANY_REGION, metadata={
        "description": "The province (36), a city or a county"})
    year = _year(required=True)
    kind = one_of(_values(engine.SubsidyKind), required=True)
    amount_fen = fen(0, BUDGET_LIMIT_FEN, required=True, metadata={
        "description": "Never below what is already committed"})


# --- vouchers -------------------------------------------------------------------------------

# A resident ID (18 characters) or a disability certificate number (the ID and 2 digits).
ID_NUMBER = FullMatch(r"^[0-9]{17}[0-9Xx]([0-9]{2})?$",
                      error="A resident ID or disability certificate number.")
MAX_INSTITUTIONS = 50


class VoucherQuery(PageQuery):
    status = one_of([*_values(vouchers.VoucherStatus), vouchers.EXPIRED], metadata={
        "description": "As shown: an unused voucher past its last day is expired"})


class VoucherIssueIn(Schema):
    id_numbers = List(String(validate=ID_NUMBER), required=True,
                      validate=Length(min=1, max=vouchers.MAX_PEOPLE), metadata={
                          "description": "One voucher per person; all or none"})
    face_value_fen = fen(1, vouchers.MAX_FACE_VALUE_FEN, required=True)
    valid_from = StrictDate(required=True)
    valid_until = StrictDate(required=True, metadata={"description": "The last valid day"})
    categories = List(one_of(_values(Category)), load_default=list,
                      validate=Length(max=len(Category)),
                      metadata={"description": "Allowed course categories; none: any"})
    institution_ids = List(row_id(), load_default=list, validate=Length(max=MAX_INSTITUTIONS),
                           metadata={"description": "Allowed institutions; none: any"})


class VoucherCancelIn(Schema):
    reason = text(500, min_length=1, required=True, metadata={
        "description": "Why the voucher is withdrawn; its holder reads it"})
