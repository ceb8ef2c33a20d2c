"""What the subsidy pages show: names of the codes, and stored decisions read back in the
reader's language.

A decision keeps its trace compact (`stored`); `result_of` rebuilds the engine's values from
it, so `explain` renders the explanation and every step with the same msgids and forms the
engine uses, translated by the reader's gettext. Nothing here reads the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from flask import Blueprint
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from trainhub.core.i18n import local_date, local_dates, money_fen, money_writer
from trainhub.core.labels import label_filter, translated
from trainhub.subsidies import engine, explain, stored
from trainhub.subsidies.models import Decision
from trainhub.subsidies.reconciliation import Figures, Line
from trainhub.training.display import (
    CERTIFICATE_LEVEL_LABELS,
    CERTIFICATE_TYPE_LABELS,
    TRAINING_TYPE_LABELS,
)

STATUS_LABELS = {
    "computed": _l("Computed, not yet claimed"), "submitted": _l("Claimed, awaiting approval"),
    "approved": _l("Approved, awaiting payment"), "paid": _l("Paid"),
    "rejected": _l("Rejected by the federation"),
}
NOT_GRANTED = _l("Not granted")
KIND_LABELS = {"fee": _l("Training-fee subsidy"),
               "living": _l("Living allowance (including transport)")}
PAYEE_LABELS = {"institution": _l("The training institution"), "trainee": _l("The trainee")}
OUTCOME_LABELS = {"passed": _l("Condition met"), "failed": _l("Condition not met"),
                  "applied": _l("Calculation")}
REASON_LABELS = {
    "no_disability_certificate": _l("No valid disability certificate"),
    "under_working_age": _l("Below working age"),
    "over_working_age": _l("Above working age"),
    "household_outside_jiangxi": _l("Household not registered in Jiangxi"),
    "employed_at_enrolment": _l("Employed at enrolment"),
    "assessment_not_passed": _l("Final assessment not passed"),
    "no_certificate": _l("No certificate obtained"),
    "yearly_cap_reached": _l("Yearly number of subsidies reached"),
    "same_occupation_level": _l("Same occupation and level already subsidised"),
    "lower_level_after_higher": _l("Lower level after a higher one"),
    "claim_deadline_passed": _l("Claim deadline passed"),
    "withdrew": _l("Withdrew from the training"),
    "no_in_person_days": _l("No in-person days attended"),
    "living_already_this_year": _l("Living allowance already paid this year"),
    "family_member": _l("Took part as a family member of a person with disabilities"),
}
RULE_LABELS = {
    "eligibility.disability_certificate": _l("Disability certificate"),
    "eligibility.family_member": _l("Family member of a person with disabilities"),
    "eligibility.working_age": _l("Working age"),
    "eligibility.household": _l("Household registration"),
    "eligibility.employment": _l("Employment at enrolment"),
    "fee.completion": _l("Assessment and certificate"),
    "fee.certificate": _l("Certificate obtained"),
    "cap.yearly_count": _l("Yearly number of subsidies"),
    "cap.same_occupation_level": _l("Same occupation and level"),
    "cap.lower_level": _l("Lower level after a higher one"),
    "cap.claim_deadline": _l("Claim deadline"),
    "fee.standard": _l("Standard by certificate"),
    "fee.attendance": _l("Attendance rate"),
    "fee.full_standard": _l("Full standard"),
    "fee.day_rule": _l("Day rule below the attendance threshold"),
    "fee.day_rule_cap": _l("Cap of the day rule"),
    "fee.fee_cap": _l("Cap at the fee charged"),
    "living.withdrawal": _l("Withdrawal"),
    "living.once_per_year": _l("Once per year"),
    "living.days": _l("In-person days"),
    "living.online_days": _l("Online-only days"),
    "living.day_cap": _l("Most days per batch"),
    "living.amount": _l("Amount"),
}
INPUT_LABELS = {
    "has_valid_certificate": _l("Holds a valid disability certificate"),
    "start_date": _l("Start date of the batch"),
    "sex": _l("Sex"), "age": _l("Age on the start date"), "birth_date": _l("Birth date"),
    "household_in_jiangxi": _l("Household in Jiangxi"),
    "employed_at_enrolment": _l("Employed at enrolment"),
    "family_member": _l("Took part as a family member"),
    "training_type": _l("Training type"), "passed": _l("Assessment passed"),
    "certificate_type": _l("Certificate type"), "level": _l("Level"),
    "certificate_date": _l("Certificate date"), "counted": _l("Counted"),
    "certificate_year": _l("Year of the certificate"), "occupation": _l("Occupation"),
    "earlier_same": _l("Earlier subsidies at this level"),
    "highest_earlier_level": _l("Highest earlier level"), "claim_date": _l("Claim date"),
    "attended_hours": _l("Hours attended"), "planned_hours": _l("Planned hours"),
    "sessions": _l("Sessions"), "by_days_exact": _l("Day rule, exact"),
    "cap_exact": _l("Cap, exact"), "fee_charged": _l("Fee charged (fen)"),
    "withdrew": _l("Withdrew"), "batch_end_year": _l("Year the batch ended"),
    "in_person_days": _l("In-person days"), "online_only_days": _l("Online-only days"),
    "paid_days": _l("Days paid"),
}
SEX_LABELS = {"M": _l("Male"), "F": _l("Female")}
CODE_LABELS: Mapping[str, Mapping[str, Any]] = {
    "sex": SEX_LABELS, "training_type": TRAINING_TYPE_LABELS,
    "certificate_type": CERTIFICATE_TYPE_LABELS, "level": CERTIFICATE_LEVEL_LABELS,
    "highest_earlier_level": CERTIFICATE_LEVEL_LABELS,
}


# --- a stored decision back as the engine's values -------------------------------------

def result_of(decision: Decision) -> engine.SubsidyResult:
    return decision.result()


def explanation(decision: Decision) -> str:
    """In the reader's language, rebuilt from the trace's values, dates written as the pages
    write them (the text stored with a decision computed before that kept ISO dates, and
    我的补贴 reads the trace too); the stored text only for a decision without a trace."""
    if not decision.steps and decision.stored_explanation:
        return local_dates(decision.stored_explanation)
    return explain.explain(result_of(decision), gettext, local_date).text


# --- the trace, step by step ------------------------------------------------------------

@dataclass(frozen=True)
class ParameterShown:
    key: str
    label: str
    unit: str
    value: int | Decimal
    effective_from: date
    scope: str


@dataclass(frozen=True)
class StepShown:
    number: int
    rule: str
    outcome: str
    text: str
    inputs: tuple[tuple[str, str], ...]
    parameters: tuple[ParameterShown, ...]


def _input_value(key: str, value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    labels = CODE_LABELS.get(key)
    if labels is not None and str(value) in labels:
        return str(labels[str(value)])
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return local_date(date.fromisoformat(value))  # the trace keeps dates as ISO text
    return str(value)


def steps_of(decision: Decision, labels: Mapping[str, tuple[str, str]]) -> list[StepShown]:
    """Every step of the trace, in the reader's language, with its inputs and the parameter
    values it used (each with the date it took effect). `labels`: loaders.parameter_labels."""
    result = result_of(decision)
    texts = explain.explain_trace(result, gettext, local_date)
    shown = []
    for number, (step, text) in enumerate(zip(result.trace, texts, strict=True), start=1):
        inputs = tuple((str(INPUT_LABELS.get(k, k)), _input_value(k, v))
                       for k, v in step.inputs.items())
        used = tuple(_shown(p, labels) for p in step.parameters)
        shown.append(StepShown(number, str(RULE_LABELS.get(step.rule, step.rule)),
                               step.outcome.value, text, inputs, used))
    return shown


def _shown(p: engine.UsedParameter, labels: Mapping[str, tuple[str, str]]) -> ParameterShown:
    label, unit = labels.get(p.key, (p.key, ""))
    return ParameterShown(p.key, gettext(label), unit, p.value, p.effective_from, p.scope)


def parameters_used(decision: Decision, labels: Mapping[str, tuple[str, str]]
                    ) -> list[ParameterShown]:
    """The parameter versions the decision was computed with, once each."""
    return [_shown(stored.used_parameter(raw), labels) for raw in decision.parameters]


def status_label(decision: Decision) -> Any:
    """A refusal computed by the engine reads "not granted", not "computed"."""
    if decision.status == engine.DecisionStatus.COMPUTED and not decision.eligible:
        return NOT_GRANTED
    return STATUS_LABELS.get(decision.status, decision.status)


def amount_text(decision: Decision) -> str:
    """The amount granted, or "Not granted" (never the amount of a decision the rules refused
    or the federation rejected: `amount_fen` of a rejected one keeps what the rules
    computed)."""
    return money_fen(decision.granted_fen) if decision.granted else str(NOT_GRANTED)


class Refusable(Protocol):
    """What a refusal is read from: a decision, or a row of a batch's claims page."""

    @property
    def status(self) -> str: ...

    @property
    def rejection_reason(self) -> str: ...

    @property
    def reasons(self) -> list[str]: ...


def refusal(decision: Refusable) -> str:
    """Why no amount: the rejection reason, or the unmet conditions' short names."""
    if decision.status == engine.DecisionStatus.REJECTED:
        return decision.rejection_reason
    return "；".join(str(REASON_LABELS.get(r, r)) for r in decision.reasons)


def _label(table: Mapping[str, Any]) -> Any:
    # translated once per rendering: a queue shows the same few kinds in every row
    return label_filter(table)


def option_list(options: Iterable[tuple[object, object]], chosen: object) -> Markup:
    """The <option>s of (value, text) pairs, `chosen` selected, escaped as the template
    would: the approval queue offers a province's ~300 institutions, which a template loop
    drew a tag at a time (issue 13)."""
    return Markup("".join(  # noqa: S704 - every value and text goes through escape()
        f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>'
        f"{escape(text)}</option>" for value, text in options))


def _figure_cells(write: Callable[[int], str], figures: Figures) -> str:
    return "".join(f'<td class="text-end">{int(count)}</td>'
                   f'<td class="text-end text-nowrap">{escape(write(fen))}</td>'
                   for count, fen in figures.counts_and_amounts())


@pass_context
def figure_rows(context: Context, lines: Iterable[Line]) -> Markup:
    """The reconciliation lines' rows, a header cell with the line's name and each count
    beside its amount, as a template loop would draw them: a province's report has a few
    hundred lines of eleven cells, which the loop drew at three times the cost (issue 13)."""
    write = money_writer(context)
    return Markup("".join(  # noqa: S704 - names and amounts go through escape(); counts are ints
        f'<tr><th scope="row">{escape(line.name)}</th>{_figure_cells(write, line.figures)}</tr>'
        for line in lines))


@pass_context
def figure_cells(context: Context, figures: Figures) -> Markup:
    """One line's cells without its header cell (figure_rows), for a table's total."""
    return Markup(_figure_cells(money_writer(context), figures))  # noqa: S704 - as above


def register(bp: Blueprint) -> None:
    """Template filters of the subsidy pages, installed with the blueprint."""
    bp.add_app_template_filter(option_list, "option_list")
    bp.add_app_template_filter(figure_rows, "figure_rows")
    bp.add_app_template_filter(figure_cells, "figure_cells")
    for name, table in (("subsidy_status", STATUS_LABELS), ("subsidy_kind", KIND_LABELS),
                        ("subsidy_payee", PAYEE_LABELS), ("subsidy_outcome", OUTCOME_LABELS)):
        bp.add_app_template_filter(_label(table), name)
    # translated once per rendering: a batch lists the same few states in every row
    bp.add_app_template_filter(
        pass_context(lambda context, d: translated(context, status_label(d))),
        "decision_status")
    # "Not granted" translated once per rendering, not once a refused row
    bp.add_app_template_filter(
        pass_context(lambda context, d: money_fen(d.granted_fen) if d.granted
                     else translated(context, NOT_GRANTED)),
        "decision_amount")
