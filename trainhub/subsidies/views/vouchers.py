"""电子培训券 pages: officers issue vouchers to people of their region and list them; the
trainee claims theirs and, for a seat taken before the claim, uses one by hand (the list is
on "我的补贴", views/mine.py)."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from trainhub.core import policy
from trainhub.core.errors import N_, DomainError, NotFound
from trainhub.core.forms import BaseForm, ReasonForm, attempt, refuse
from trainhub.core.inputs import bounded_int
from trainhub.core.organisations import Institution
from trainhub.core.regions import region_names
from trainhub.core.timeutil import local_today
from trainhub.core.web import page_number
from trainhub.extensions import db
from trainhub.subsidies import loaders, plain
from trainhub.subsidies import vouchers as service
from trainhub.subsidies.models import Voucher
from trainhub.subsidies.views import bp
from trainhub.subsidies.views.mine import mine_page
from trainhub.subsidies.voucher_forms import IssueForm, VoucherFilter, fen
from trainhub.training.display import CATEGORY_LABELS
from trainhub.training.models import Enrolment

NOT_FOUND = "The page or record was not found, or it is outside your scope."
PER_PAGE = 50
MINE = "subsidies.mine"


def _own_voucher(voucher_id: int) -> Voucher:
    found = db.session.get(Voucher, voucher_id)
    # Another person's voucher is not found, not forbidden: its existence stays private.
    if found is None or not policy.may(current_user, MINE, found):
        raise NotFound(NOT_FOUND)
    return found


# --- officers --------------------------------------------------------------------------

@bp.get("/vouchers")
@policy.permission(service.ISSUE)
def vouchers() -> str:
    form = VoucherFilter(request.args)
    status = form.status.data if form.validate() else ""
    stmt = service.with_status(service.in_region(current_user.region_code), status or "",
                               local_today())
    total = db.session.scalar(select(func.count()).select_from(
        stmt.order_by(None).subquery())) or 0
    page = page_number(request.args)
    rows = db.session.scalars(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return render_template(
        "subsidies/vouchers.html", form=form, rows=rows, total=total, page=page,
        pages=max(1, -(-total // PER_PAGE)), today=local_today(),
        institutions=service.institution_names(rows), query=request.args.to_dict(),
        shown=service.shown_status, labels=plain.VOUCHER_STATUS_LABELS,
        cancellable=service.cancellable,
        region=region_names().get(current_user.region_code, ""))


def _institution_choices() -> list[SelectChoice]:
    names = region_names()
    rows = db.session.execute(select(Institution.id, Institution.name, Institution.region_code)
                              .order_by(Institution.region_code, Institution.name))
    return [SelectChoice(i, f"{name}（{names.get(region, region)}）")
            for i, name, region in rows]


@bp.route("/vouchers/new", methods=["GET", "POST"])
@policy.permission(service.ISSUE)
def issue_vouchers() -> ResponseReturnValue:
    form = IssueForm()
    form.institutions.choices = _institution_choices()
    if request.method == "GET":
        form.valid_from.data = local_today()
        form.valid_until.data = local_today() + timedelta(days=365)
    problems: list[service.Problem] = []
    if form.validate_on_submit():
        terms = service.Terms(fen(form.face_value.data), form.valid_from.data,
                              form.valid_until.data, tuple(form.categories.data or ()),
                              tuple(form.institutions.data or ()))

        def issue() -> list[service.Voucher]:
            try:
                return service.issue(form.numbers_list(), terms, current_user, local_today())
            except DomainError as refused:  # each line refused is shown under the form
                problems.extend(p for e in refused.each
                                if isinstance(e, service.IssueRefused) for p in e.problems)
                raise

        if made := attempt(issue, form=form):
            flash(ngettext("%(num)s voucher has been issued.", "%(num)s vouchers have been "
                           "issued.", len(made.result)), "success")
            return redirect(url_for("subsidies.vouchers"))
    status = 400 if request.method == "POST" else 200
    return render_template("subsidies/voucher_issue.html", form=form,
                           problems=problems), status


@bp.route("/vouchers/<int:voucher_id>/cancel", methods=["GET", "POST"])
@policy.permission(service.ISSUE)
def cancel_voucher(voucher_id: int) -> ResponseReturnValue:
    found = loaders.voucher_in_region(voucher_id)
    form = ReasonForm()
    if form.validate_on_submit() and attempt(
            lambda: service.cancel(found, current_user, form.reason.data or ""),
            N_("Voucher %(code)s has been cancelled; its holder reads why."),
            form=form, code=found.code):
        return redirect(url_for("subsidies.vouchers"))
    status = 400 if request.method == "POST" else 200
    return render_template("subsidies/voucher_cancel.html", voucher=found, form=form,
                           shown=service.shown_status(found, local_today()),
                           labels=plain.VOUCHER_STATUS_LABELS,
                           cancellable=service.cancellable(found)), status


# --- the trainee -----------------------------------------------------------------------

@bp.post("/mine/vouchers/<int:voucher_id>/claim")
@policy.permission(MINE)
def claim_voucher(voucher_id: int) -> ResponseReturnValue:
    found = _own_voucher(voucher_id)
    attempt(lambda: service.claim(found, local_today()),
            N_("Voucher %(code)s is yours. It is used automatically when you get a seat in a "
               "matching course."), code=found.code)
    return redirect(url_for(MINE))


@bp.post("/mine/vouchers/<int:voucher_id>/use")
@policy.permission(MINE)
def use_voucher(voucher_id: int) -> ResponseReturnValue:
    found = _own_voucher(voucher_id)
    enrolment_id = request.form.get("enrolment", type=bounded_int)
    enrolment = db.session.get(Enrolment, enrolment_id, options=[
        selectinload(Enrolment.batch)]) if enrolment_id else None
    refused = BaseForm(formdata=None)  # collects why, to show beside the seat chosen
    if enrolment is None or not policy.may(current_user, MINE, enrolment):
        refuse(DomainError("Choose one of your seats."), refused)
    elif attempt(lambda: service.use(found, enrolment, local_today()),
                 N_("Voucher %(code)s is used for “%(title)s”."), form=refused,
                 code=found.code, title=enrolment.batch.title):
        return redirect(url_for(MINE))
    return mine_page((found.id, enrolment_id, list(refused.form_errors))), 400


def category_names(codes: list[str]) -> str:
    """For the templates: the allowed categories, or "any"."""
    if not codes:
        return gettext("Any category")
    return "、".join(str(CATEGORY_LABELS.get(c, c)) for c in codes)


bp.add_app_template_global(category_names, "voucher_categories")
