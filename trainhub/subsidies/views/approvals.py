"""The officers' approval queue: claims submitted in their region, filtered by institution,
batch and kind, approved in bulk (all or nothing against the budgets), and the approved
decisions still to be paid, each with its payment form."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from trainhub.core import kept, policy
from trainhub.core.errors import N_
from trainhub.core.forms import attempt
from trainhub.core.i18n import money_fen
from trainhub.core.inputs import bounded_int
from trainhub.core.timeutil import local_today
from trainhub.core.web import page_number
from trainhub.subsidies import decisions, display, loaders
from trainhub.subsidies.forms import ApprovalForm, PaymentForm
from trainhub.subsidies.views import bp

APPROVE = "subsidies.approve"
# each list a page at a time, with its own pager (issue 13: two lists of 100 rows, one with a
# payment form a row, were most of an officer's slowest page)
PER_LIST = 50
# the ?…= of each list's page; the approval and payment forms send them back, so a form
# refused comes back on the page it was sent from
PAGES = ("awaiting_page", "payment_page")
Status = decisions.Status
WAITING = (Status.SUBMITTED, Status.APPROVED)


def parse_filters(args: Any) -> loaders.QueueFilters:
    """Unknown or malformed values are ignored: a filter only ever narrows the list."""
    kind = args.get("kind", "")
    return loaders.QueueFilters(
        institution_id=args.get("institution", type=bounded_int) or None,
        batch_id=args.get("batch", type=bounded_int) or None,
        kind=kind if kind in display.KIND_LABELS else None)


@bp.get("/approvals")
@policy.permission(APPROVE)
def approvals() -> str:
    return queue_page(parse_filters(request.args))


def queue_page(filters: loaders.QueueFilters, approval_form: ApprovalForm | None = None,
               paying: tuple[int, PaymentForm] | None = None) -> str:
    """The queue; a bulk approval refused on a POST comes back with the same claims ticked,
    a payment refused in its row with what was typed, the errors summed up at the top."""
    asked = {name: page_number(request.values, name) for name in PAGES}
    # the queue's sizes and its institutions are kept under the region's decisions' version:
    # read once for both
    with kept.read_together(current_user.region_code or ""):
        sizes = loaders.queue_sizes(current_user, WAITING, filters)
        lists = loaders.queues(current_user, filters, PER_LIST, [
            (Status.SUBMITTED, asked["awaiting_page"], sizes[Status.SUBMITTED.value]),
            (Status.APPROVED, asked["payment_page"], sizes[Status.APPROVED.value])])
        institutions, batches = loaders.queue_choices(current_user, WAITING, filters)
    submitted, submitted_total = lists[Status.SUBMITTED.value]
    approved, approved_total = lists[Status.APPROVED.value]
    awaiting_page = _shown(asked["awaiting_page"], submitted_total)
    payment_page = _shown(asked["payment_page"], approved_total)
    return render_template(
        "subsidies/approvals.html", filters=filters, submitted=submitted,
        submitted_total=submitted_total, approved=approved, approved_total=approved_total,
        awaiting_page=awaiting_page, awaiting_pages=_pages(submitted_total),
        payment_page=payment_page, payment_pages=_pages(approved_total),
        pages={"awaiting_page": awaiting_page, "payment_page": payment_page},
        institutions=institutions, batches=batches, kinds=display.KIND_LABELS,
        payees={d.id: d.payee_name for d in approved},
        approval_form=approval_form or ApprovalForm(formdata=None),
        payment_form=PaymentForm(formdata=None, paid_on=local_today()), paying=paying)


def _pages(total: int) -> int:
    return max(1, -(-total // PER_LIST))


def _shown(page: int, total: int) -> int:
    """The page shown: one beyond the last shows the last (loaders.queues)."""
    return min(page, _pages(total))


@bp.post("/approvals")
@policy.permission(APPROVE)
def approve_chosen() -> ResponseReturnValue:
    filters = parse_filters(request.form)
    form = ApprovalForm()
    if form.validate_on_submit():
        chosen = loaders.chosen(form.decision.data or [], APPROVE)
        if attempt(lambda: decisions.approve(chosen, current_user, local_today()),
                   N_("%(count)s claims have been approved, %(amount)s in all."), form=form,
                   count=len(chosen), amount=money_fen(sum(d.amount_fen for d in chosen))):
            # back on the pages the claims were ticked on
            query = filters.query()
            query.update({name: n for name in PAGES
                          if (n := page_number(request.form, name)) > 1})
            return redirect(url_for("subsidies.approvals", **query))
    return queue_page(filters, approval_form=form), 400
