"""What a trainee reads about their subsidies and vouchers, beyond the labels of `display`:
what a decision's status means for them, who is paid, and the states of a voucher.

Lazy msgids, rendered in the reader's language; the decision notice freezes them in Chinese.
A status is always said in words (never only by a colour), with what happens next."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from trainhub.core.errors import N_
from trainhub.core.i18n import translate
from trainhub.subsidies import display, engine, explain
from trainhub.subsidies.models import Decision

Status = engine.DecisionStatus

_STATUS_TEXTS = {
    Status.COMPUTED.value: _l("Computed from your training record; the training institution "
                              "has not claimed it yet."),
    Status.SUBMITTED.value: _l("The training institution has claimed it; the Disabled "
                               "Persons' Federation is reviewing the claim."),
    Status.APPROVED.value: _l("Approved by the Disabled Persons' Federation; it will be paid "
                              "soon."),
    Status.REJECTED.value: _l("Nothing is paid; the federation's reason is given below."),
}
# Said after the status label "Not granted": the sentence does not repeat it.
NOT_GRANTED = _l("A condition was not met; the reasons are given below.")

VOUCHER_STATUS_LABELS = {
    "issued": _l("Issued, not yet claimed"),
    "claimed": _l("Claimed, ready to use"),
    "redeemed": _l("Used for an enrolment"),
    "settled": _l("Settled against the training-fee subsidy"),
    "expired": _l("Expired"),
    "cancelled": _l("Cancelled by the federation"),
}


def kind_label(kind: str) -> str:
    return str(display.KIND_LABELS.get(kind, kind))


def status_label(decision: Decision) -> str:
    return str(display.status_label(decision))


def status_text(decision: Decision) -> str:
    """What the status means for the trainee, in a sentence."""
    if decision.status == Status.PAID:
        if decision.payment is not None:
            return translate(N_("Paid on %(date)s."), date=decision.payment.paid_on)
        return gettext("Paid.")
    if decision.status == Status.COMPUTED and not decision.eligible:
        return str(NOT_GRANTED)
    return str(_STATUS_TEXTS.get(decision.status, ""))


def payee_text(decision: Decision) -> str:
    if decision.payee == engine.Payee.INSTITUTION:
        return gettext("The training institution, %(name)s, which advanced the cost of your "
                       "training", name=decision.institution.name)
    return gettext("You")


def amount_text(decision: Decision) -> str:
    """The amount granted, or "Not granted" (never the amount of a refused or rejected
    decision): the officers' pages say it the same way (display.amount_text)."""
    return display.amount_text(decision)


def why(decision: Decision, explained: explain.Explanation) -> explain.Explanation:
    """Why this amount, or why nothing: the rules' explanation; for a claim the federation
    rejected, that nothing is paid and the federation's reason (said here, once), not the
    amount the rules had computed."""
    if decision.status != Status.REJECTED:
        return explained
    return explain.Explanation(
        gettext(explain.REFUSED[engine.SubsidyKind(decision.kind)]),
        (gettext("The Disabled Persons' Federation rejected the claim: %(reason)s",
                 reason=decision.rejection_reason),))
