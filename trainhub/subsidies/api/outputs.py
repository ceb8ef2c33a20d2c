"""What the subsidy operations answer, as the OpenAPI document shows it. A schema nested
inside another has its own name (…Item), so each appears once in the document. Money is
integer fen in fields named `…_fen`; inside a trace, amounts are in fen too."""

from __future__ import annotations

from apiflask import Schema
from apiflask.fields import Boolean, Date, DateTime, Dict, Integer, List, Nested, String

DATE_TEXT = {"format": "date"}


# --- parameters ---------------------------------------------------------------------------

class ValueInForceItem(Schema):
    """The value in force in one scope."""

    id = Integer(metadata={"description": "The version: what decisions record"})
    region_code = String(metadata={"description": "36 (province) or a city code"})
    effective_from = Date()
    value = String(metadata={"description": "As stored: whole numbers, decimal strings, "
                                            "JSON text"})
    amount_fen = Integer(allow_none=True, metadata={"description": "For an amount (unit "
                                                                   "fen): the value in fen"})


class ParameterValueItem(ValueInForceItem):
    """One dated value of a parameter's history."""

    note = String()
    used = Boolean(metadata={"description": "Used by a decision: frozen, never corrected"})
    created_at = DateTime(allow_none=True)


class ParameterOut(Schema):
    key = String()
    domain = String()
    label = String()
    description = String()
    unit = String(metadata={"description": "fen, percent, days, hours, count…; empty for "
                                           "text and JSON"})
    value_type = String(metadata={"description": "int, decimal, text or json"})
    legal_reference = String()
    on = Date(metadata={"description": "The date the values in force are those of"})
    province = Nested(ValueInForceItem(), allow_none=True)
    overrides = List(Nested(ValueInForceItem()), metadata={
        "description": "City values in force, overriding the province's in that city"})


class ParameterDetailOut(ParameterOut):
    history = List(Nested(ParameterValueItem()), metadata={
        "description": "Every value: latest effective date first, the province before "
                       "cities"})


class ValueChangeItem(Schema):
    """An open decision the new value would change."""

    decision_id = Integer()
    kind = String()
    subject = String(metadata={"description": "The trainee and the batch"})
    old_amount_fen = Integer()
    new_amount_fen = Integer()


class ValueChangeOut(Schema):
    saved = Boolean(metadata={"description": "False for a dry run"})
    value = Nested(ParameterValueItem(), allow_none=True, metadata={
        "description": "The value saved (none for a dry run)"})
    changes = List(Nested(ValueChangeItem()), metadata={
        "description": "Open decisions whose amount changes (recomputed when saved)"})


# --- subsidies: results, traces and explanations ---------------------------------------------

class UsedParameterItem(Schema):
    key = String()
    value = String(metadata={"description": "As the engine used it (fen for amounts)"})
    version = String(metadata={"description": "The id of the stored value"})
    effective_from = String(metadata=DATE_TEXT)
    scope = String(metadata={"description": "36 (province) or the city code of an override"})


class TraceStepItem(Schema):
    rule = String()
    outcome = String(metadata={"description": "passed, failed (a refusal) or applied"})
    message = String(metadata={"description": "The step in words, in the request's language"})
    msgid = String()
    params = Dict(keys=String(), values=String())
    terms = Dict(keys=String(), values=String(),
                 metadata={"description": "Values that are translated words themselves"})
    inputs = Dict(keys=String(), metadata={"description": "The inputs the rule read"})
    parameters = List(Nested(UsedParameterItem()))
    reason = String(allow_none=True, metadata={"description": "The refusal's code"})


class ExplanationItem(Schema):
    language = String()
    headline = String()
    details = List(String())
    text = String()


class SubsidyResultItem(Schema):
    kind = String()
    eligible = Boolean(metadata={"description": "Every condition of the rules is met"})
    granted = Boolean(metadata={
        "description": "The subsidy is granted (here: eligible); false for a refusal, whose "
                       "`reasons` say why"})
    amount_fen = Integer(metadata={
        "description": "The amount granted, in fen; 0 when not granted"})
    payee = String(metadata={"description": "institution or trainee"})
    reasons = List(String(), metadata={"description": "Refusal codes; empty when granted"})
    explanation = Nested(ExplanationItem())
    trace = List(Nested(TraceStepItem()))
    parameters = List(Nested(UsedParameterItem()),
                      metadata={"description": "Each parameter value used, once"})


class ExplainOut(Schema):
    fee = Nested(SubsidyResultItem(), metadata={"description": "The training-fee subsidy"})
    living = Nested(SubsidyResultItem(), metadata={
        "description": "The living allowance including transport"})
    inputs = Dict(keys=String(), metadata={"description": "The claim as the engine read it"})


# --- decisions ------------------------------------------------------------------------------

class SubsidyPersonItem(Schema):
    """A trainee, with the ID number masked (in lists only: a decision's detail gives the
    birth date in its inputs and trace, which with the mask would rebuild the number)."""

    id = Integer()
    name = String()
    id_number_masked = String(metadata={"description": "In lists; absent from a decision's "
                                                      "detail"})


class PaymentItem(Schema):
    amount_fen = Integer()
    paid_on = Date()
    reference = String()
    payee_name = String()
    recorded_at = DateTime()


class DecisionItem(Schema):
    id = Integer()
    kind = String()
    status = String()
    eligible = Boolean(metadata={"description": "Every condition of the rules is met"})
    granted = Boolean(metadata={
        "description": "Eligible and not rejected by the federation: only then is an amount "
                       "granted"})
    amount_fen = Integer(metadata={
        "description": "The amount granted, in fen; 0 when not granted: refused by the rules "
                       "(`reasons`) or rejected by the federation (`rejection_reason`)"})
    payee = String()
    reasons = List(String())
    person = Nested(SubsidyPersonItem())
    enrolment_id = Integer()
    batch_id = Integer()
    batch_title = String()
    institution_id = Integer()
    institution_name = String()
    region_code = String()
    claim_date = Date()
    computed_at = DateTime()
    submitted_at = DateTime(allow_none=True)
    decided_at = DateTime(allow_none=True)
    budget_year = Integer(allow_none=True)
    rejection_reason = String()
    payment = Nested(PaymentItem(), allow_none=True)


class DecisionOut(DecisionItem):
    inputs = Dict(keys=String(), metadata={"description": "What the engine was given"})
    parameters = List(Nested(UsedParameterItem()))
    trace = List(Nested(TraceStepItem()))
    explanation = Nested(ExplanationItem(), metadata={
        "description": "In the request's language, from the trace"})
    notice_text = String(metadata={"description": "The explanation the decision notice "
                                                  "certifies, in Chinese"})


class DecisionPage(Schema):
    items = List(Nested(DecisionItem()))
    total = Integer()
    page = Integer()
    per_page = Integer()


class DecisionsOut(Schema):
    count = Integer(metadata={"description": "Decisions computed, submitted or approved"})
    items = List(Nested(DecisionItem()))


# --- budgets --------------------------------------------------------------------------------

class BudgetOut(Schema):
    id = Integer()
    region_code = String()
    region_name = String()
    year = Integer()
    kind = String()
    amount_fen = Integer()
    committed_fen = Integer(metadata={"description": "Approved or paid"})
    paid_fen = Integer()
    remaining_fen = Integer()
    set_at = DateTime()


# --- vouchers -------------------------------------------------------------------------------

class VoucherOut(Schema):
    id = Integer()
    code = String()
    person = Nested(SubsidyPersonItem())
    region_code = String(metadata={"description": "The holder's household region"})
    face_value_fen = Integer()
    categories = List(String(), metadata={"description": "Allowed categories; none: any"})
    institution_ids = List(Integer(), metadata={"description": "Allowed institutions; none: "
                                                               "any"})
    valid_from = Date()
    valid_until = Date()
    status = String(metadata={"description": "issued, claimed, redeemed, settled, cancelled, "
                                             "or expired (unused past its last day)"})
    issued_at = DateTime()
    claimed_at = DateTime(allow_none=True)
    enrolment_id = Integer(allow_none=True, metadata={"description": "The seat it paid for"})
    redeemed_at = DateTime(allow_none=True)
    decision_id = Integer(allow_none=True, metadata={"description": "The fee decision it was "
                                                                    "settled against"})
    settled_fen = Integer(allow_none=True)
    settled_at = DateTime(allow_none=True)
    cancelled_at = DateTime(allow_none=True)
    cancel_reason = String(allow_none=True, metadata={"description": "The holder reads it"})


class VoucherItem(VoucherOut):
    """A voucher inside a list."""


class VoucherPage(Schema):
    items = List(Nested(VoucherItem()))
    total = Integer()
    page = Integer()
    per_page = Integer()


class VouchersOut(Schema):
    count = Integer()
    items = List(Nested(VoucherItem()))
