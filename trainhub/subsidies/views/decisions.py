"""A batch's subsidies and one decision: the institution computes and claims them, officers
covering the batch approve, reject and record the payment; everyone who sees the decision
reads its explanation, its trace step by step and its history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from trainhub.core import policy
from trainhub.core.errors import N_
from trainhub.core.forms import attempt, validate_all
from trainhub.core.regions import region_names
from trainhub.core.timeutil import local_today
from trainhub.core.web import page_number
from trainhub.subsidies import decisions, display, loaders
from trainhub.subsidies.forms import PaymentForm, RejectForm
from trainhub.subsidies.models import Decision
from trainhub.subsidies.views import bp
from trainhub.subsidies.views.approvals import queue_page
from trainhub.training.models import Batch

PER_PAGE = 50
VIEW, CLAIM, APPROVE = "subsidies.view", "subsidies.claim", "subsidies.approve"
Status = decisions.Status

display.register(bp)


@bp.get("/batches")
@policy.permission(VIEW)
def batches() -> str:
    """Completed batches the user sees, with how their subsidies stand."""
    page = page_number(request.args)
    rows, total = loaders.claim_batches(current_user, VIEW, PER_PAGE, page)
    counts = loaders.decision_counts([b.id for b in rows])
    return render_template("subsidies/batches.html", rows=rows, counts=counts, page=page,
                           pages=max(1, -(-total // PER_PAGE)), total=total,
                           names=region_names(), statuses=list(display.STATUS_LABELS))


@bp.get("/batches/<int:batch_id>")
@policy.permission(VIEW)
def batch(batch_id: int) -> str:
    found = loaders.batch(batch_id, VIEW)
    rows = loaders.listed_decisions(found)
    return render_template(
        "subsidies/batch.html", batch=found, rows=rows,
        payees={d.id: d.payee_name for d in rows},
        refusals={d.id: display.refusal(d) for d in rows},
        trainees=loaders.trainee_count(found), names=region_names(),
        may_claim=policy.may(current_user, CLAIM, found),
        may_approve=policy.may(current_user, APPROVE, found),
        open_count=sum(1 for d in rows if d.status == Status.COMPUTED and d.eligible))


def _back_to_batch(found: Batch) -> ResponseReturnValue:
    return redirect(url_for("subsidies.batch", batch_id=found.id))


@bp.post("/batches/<int:batch_id>/compute")
@policy.permission(CLAIM)
def compute(batch_id: int) -> ResponseReturnValue:
    found = loaders.batch(batch_id, CLAIM)
    if made := attempt(lambda: decisions.compute_batch(found, current_user, local_today())):
        flash(gettext("%(count)s decisions have been computed; approved and paid ones are "
                      "kept as they were.", count=len(made.result)), "success")
    return _back_to_batch(found)


@bp.post("/batches/<int:batch_id>/submit")
@policy.permission(CLAIM)
def submit(batch_id: int) -> ResponseReturnValue:
    found = loaders.batch(batch_id, CLAIM)
    computed = [d for d in loaders.decisions_of(found) if d.status == Status.COMPUTED]
    if not computed:
        flash(gettext("There is nothing to claim: compute the subsidies first."), "error")
        return _back_to_batch(found)
    if submitted := attempt(lambda: decisions.submit(computed, current_user, local_today())):
        flash(gettext("%(count)s claims have been submitted to the federation; refusals "
                      "stay with their reason.", count=submitted.result), "success")
    return _back_to_batch(found)


# --- one decision ------------------------------------------------------------------------

@bp.get("/decisions/<int:decision_id>")
@policy.permission(VIEW)
def decision(decision_id: int) -> str:
    return _page(loaders.decision(decision_id, VIEW))


def _page(found: Decision, reject_form: RejectForm | None = None,
          payment_form: PaymentForm | None = None) -> str:
    """The decision's page; a rejection or payment form refused on a POST is shown again as
    sent, with its errors, in place of an empty one."""
    labels = loaders.parameter_labels([found])
    return render_template(
        "subsidies/decision.html", decision=found, explanation=display.explanation(found),
        steps=display.steps_of(found, labels), used=display.parameters_used(found, labels),
        history=loaders.history(found), payee=decisions.payee_name(found),
        refusal=display.refusal(found), names=region_names(),
        may_approve=policy.may(current_user, APPROVE, found),
        reject_form=reject_form or RejectForm(),
        payment_form=payment_form or PaymentForm(paid_on=local_today()))


def _after(found: Decision) -> ResponseReturnValue:
    """Back to the approval queue when the action came from it, else to the decision."""
    if request.form.get("back") == "approvals":
        return redirect(url_for("subsidies.approvals"))
    return redirect(url_for("subsidies.decision", decision_id=found.id))


def _act(decision_id: int, operation: Callable[[Decision], Any],
         success: str) -> ResponseReturnValue:
    found = loaders.decision(decision_id, APPROVE)
    attempt(lambda: operation(found), success, name=found.person.name)
    return _after(found)


@bp.post("/decisions/<int:decision_id>/approve")
@policy.permission(APPROVE)
def approve(decision_id: int) -> ResponseReturnValue:
    return _act(decision_id,
                lambda found: decisions.approve([found], current_user, local_today()),
                N_("The subsidy of %(name)s has been approved."))


@bp.post("/decisions/<int:decision_id>/reject")
@policy.permission(APPROVE)
def reject(decision_id: int) -> ResponseReturnValue:
    found = loaders.decision(decision_id, APPROVE)
    form = RejectForm()
    # The queue has no rejection form: a refused one comes back on the decision's page.
    if form.validate_on_submit() and attempt(
            lambda: decisions.reject(found, current_user, form.reason.data or ""),
            N_("The subsidy of %(name)s has been rejected."), form=form,
            name=found.person.name):
        return _after(found)
    return _page(found, reject_form=form), 400


@bp.post("/decisions/<int:decision_id>/pay")
@policy.permission(APPROVE)
def pay(decision_id: int) -> ResponseReturnValue:
    found = loaders.decision(decision_id, APPROVE)
    form = PaymentForm()
    paid_on = form.paid_on.data
    if validate_all(form, lambda: decisions.check_payment(
            paid_on, form.reference.data or "", local_today())) and paid_on is not None \
            and attempt(
            lambda: decisions.pay(found, current_user, paid_on, form.reference.data or "",
                                  local_today()),
            N_("The payment of the subsidy of %(name)s has been recorded."), form=form,
            name=found.person.name):
        return _after(found)
    if request.form.get("back") == "approvals":  # the row of the queue it was sent from
        return queue_page(loaders.QueueFilters(), paying=(found.id, form)), 400
    return _page(found, payment_form=form), 400
