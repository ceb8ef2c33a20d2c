"""What a trainee reads about their subsidies and vouchers, beyond the labels of `display`:
what a decision's status means for them, who is paid, and the states of a voucher.

Lazy msgids, rendered in the reader's language; the decision notice freezes them in Chinese.
A status is always said in words (never only by a colour), with what happens next."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from trainhub.subsidies import display, engine
from trainhub.subsidies.models import Decision

Status = engine.DecisionStatus

_STATUS_TEXTS = {
    Status.COMPUTED.value: _l("Computed from your training record; the training institution "
                              "has not claimed it yet."),
    Status.SUBMITTED.value: _l("The training institution has claimed it; the Disabled "
                               "Persons' Federation is reviewing the claim."),
    Status.APPROVED.value: _l("Approved by the Disabled Persons' Federation; it will be paid "
                              "soon."),
    Status.REJECTED.value: _l("Rejected by the Disabled Persons' Federation; the reason is "
                              "given below."),
}
NOT_GRANTED = _l("Not granted: a condition was not met. The reasons are given below.")

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
            return gettext("Paid on %(date)s.", date=decision.payment.paid_on.isoformat())
        return gettext("Paid.")
    if decision.status == Status.COMPUTED and not decision.eligible:
        return str(NOT_GRANTED)
    return str(_STATUS_TEXTS.get(decision.status, ""))


def payee_text(decision: Decision) -> str:
    if decision.payee == engine.Payee.INSTITUTION:
        return gettext("The training institution, %(name)s, which advanced the cost of your "
                       "training", name=decision.institution.name)
    return gettext("You")
