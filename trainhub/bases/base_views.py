"""Certified bases: the list, a base's page and certificate, yearly review, suspension,
revocation, renewal, and the enterprises an incubator hosts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from trainhub.bases import certification, lifecycle, loaders
from trainhub.bases.display import BASE_STATUS_LABELS, OUTCOME_LABELS
from trainhub.bases.forms import AnnualReviewForm, ResidentForm
from trainhub.bases.models import Base, ReviewOutcome
from trainhub.bases.views import bp
from trainhub.core import confirm, downloads, policy
from trainhub.core.confirm import Confirmation
from trainhub.core.documents import service as documents
from trainhub.core.errors import N_
from trainhub.core.forms import ReasonForm, attempt
from trainhub.core.regions import region_names
from trainhub.core.timeutil import local_today
from trainhub.core.web import page_number
from trainhub.extensions import db

PAGE_SIZE = 50


@bp.get("/")
@policy.permission("bases.view")
def index() -> str:
    # a page at a time: a province's 400 bases in one table took most of the page's time
    page = page_number(request.args)
    stmt = loaders.visible_bases(current_user)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(Base.region_code, Base.id).limit(PAGE_SIZE)
                              .offset((page - 1) * PAGE_SIZE)).all()
    today = local_today()
    return render_template("bases/index.html", rows=rows, today=today, names=region_names(),
                           status_of=lambda b: lifecycle.effective_status(b, today),
                           status_labels=BASE_STATUS_LABELS, total=total, page=page,
                           pages=max(1, -(-total // PAGE_SIZE)))


@bp.get("/<int:base_id>")
@policy.permission("bases.view")
def base(base_id: int) -> str:
    return _base_page(loaders.base(base_id, "bases.view"))


def _base_page(found: Base, reason_form: ReasonForm | None = None) -> str:
    """The base's page; a suspension or revocation refused for its reason comes back with
    the reason as typed and its error."""
    today = local_today()
    may = {action: policy.may(current_user, action, found)
           for action in ("bases.manage", "bases.residents")}
    may["renew"] = policy.may(current_user, "bases.apply", found)
    return render_template(
        "bases/base.html", base=found, today=today, names=region_names(), may=may,
        status=lifecycle.effective_status(found, today), status_labels=BASE_STATUS_LABELS,
        outcome_labels=OUTCOME_LABELS, reason_form=reason_form or ReasonForm(),
        verify_url=documents.verify_url(found.verification_code),
    )


@bp.get("/<int:base_id>/certificate.pdf")
@policy.permission("bases.view")
@downloads.document("base_certificate", "base_id", _l("Base certificate"))
def certificate(base_id: int) -> Response:
    found = loaders.base(base_id, "bases.view")
    response = Response(certification.certificate_pdf(found), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f"attachment; filename={certification.certificate_filename(found)}")
    return response


def _review_form(found: Base, formdata: Any = None) -> tuple[AnnualReviewForm, list[dict]]:
    sheet = lifecycle.review_sheet(found, local_today())

    class Form(AnnualReviewForm):
        pass

    for index, item in enumerate(sheet):
        setattr(Form, f"score_{index}", IntegerField(
            f"{item['item']} (0–{item['max_points']})",
            validators=[InputRequired(), NumberRange(min=0, max=int(item["max_points"]))]))
    return (Form(formdata=formdata) if formdata is not None else Form()), sheet


@bp.route("/<int:base_id>/annual-review", methods=["GET", "POST"])
@policy.permission("bases.manage")
def annual_review(base_id: int) -> ResponseReturnValue:
    found = loaders.base(base_id, "bases.manage")
    form, sheet = _review_form(found, request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.year.data = local_today().year
    if request.method == "POST" and form.validate_on_submit():
        data = lifecycle.AnnualReviewInput(
            year=form.year.data or 0,
            scores={item["item"]: getattr(form, f"score_{i}").data for i, item in
                    enumerate(sheet)},
            outcome=ReviewOutcome(form.outcome.data), rectify_by=form.rectify_by.data,
            comments=form.comments.data or "")
        if attempt(lambda: lifecycle.annual_review(found, data, current_user, local_today()),
                   N_("The yearly review has been recorded."), form=form):
            return redirect(url_for("bases.base", base_id=found.id))
    status = 400 if request.method == "POST" else 200
    return render_template("bases/annual_review.html", base=found, form=form,
                           sheet=sheet), status


def _status_change(base_id: int, operation: Any, success: str,
                   needs_reason: bool = True,
                   ask: Callable[[Base, ReasonForm], Confirmation] | None = None,
                   ) -> ResponseReturnValue:
    """`ask(base, form)`: the confirmation to read before the change (core.confirm)."""
    found = loaders.base(base_id, "bases.manage")
    form = ReasonForm()
    if needs_reason and not form.validate_on_submit():
        if ask is not None and confirm.confirmed():  # reason emptied on the confirmation
            return confirm.ask(ask(found, form), 400)
        return _base_page(found, form), 400
    if ask is not None and not confirm.confirmed():
        return confirm.ask(ask(found, form))
    if needs_reason:
        attempt(lambda: operation(found, form.reason.data or "", local_today()), success)
    else:
        attempt(lambda: operation(found, local_today()), success)
    return redirect(url_for("bases.base", base_id=found.id))


def _facts(base: Base) -> list[tuple[str, str]]:
    return [(gettext("Institution"), base.institution.name),
            (gettext("Certificate number"), base.certificate_number)]


def _ask_suspend(base: Base, form: ReasonForm) -> Confirmation:
    return Confirmation(
        heading=gettext("Suspend the base %(number)s?", number=base.certificate_number),
        effects=[gettext("The base is suspended: it no longer counts as a valid base, and "
                         "its certificate shows as suspended on the public verification "
                         "page, with the reason below."),
                 gettext("It stays suspended until an officer reinstates it."),
                 gettext("The suspension and its reason are recorded in the audit log.")],
        facts=_facts(base), form=form, confirm_label=gettext("Confirm: suspend the base"),
        back=url_for("bases.base", base_id=base.id))


def _ask_revoke(base: Base, form: ReasonForm) -> Confirmation:
    return Confirmation(
        heading=gettext("Revoke the certification of %(number)s?",
                        number=base.certificate_number),
        effects=[gettext("The certification is revoked for good: the base can neither be "
                         "reinstated nor renewed; certifying it again takes a new "
                         "application."),
                 gettext("Its certificate shows as revoked on the public verification page, "
                         "with the reason below."),
                 gettext("The revocation and its reason are recorded in the audit log.")],
        facts=_facts(base), form=form,
        confirm_label=gettext("Confirm: revoke the certification"),
        back=url_for("bases.base", base_id=base.id))


@bp.post("/<int:base_id>/suspend")
@policy.permission("bases.manage")
def suspend(base_id: int) -> ResponseReturnValue:
    return _status_change(base_id, lifecycle.suspend, N_("The base has been suspended."),
                          ask=_ask_suspend)


@bp.post("/<int:base_id>/reinstate")
@policy.permission("bases.manage")
def reinstate(base_id: int) -> ResponseReturnValue:
    return _status_change(base_id, lifecycle.reinstate, N_("The base has been reinstated."),
                          needs_reason=False)


@bp.post("/<int:base_id>/revoke")
@policy.permission("bases.manage")
def revoke(base_id: int) -> ResponseReturnValue:
    return _status_change(base_id, lifecycle.revoke, N_("The certification has been revoked."),
                          ask=_ask_revoke)


@bp.post("/<int:base_id>/renew")
@policy.permission("bases.apply")
def renew(base_id: int) -> ResponseReturnValue:
    found = loaders.base(base_id, "bases.apply")
    renewal = attempt(lambda: lifecycle.start_renewal(found, current_user, local_today()),
                      N_("A renewal application has been prepared from the previous one. "
                         "Check it, attach current evidence and submit it."))
    if not renewal:
        return redirect(url_for("bases.base", base_id=found.id))
    return redirect(url_for("bases.application", application_id=renewal.result.id))


@bp.route("/<int:base_id>/residents/new", methods=["GET", "POST"])
@bp.route("/<int:base_id>/residents/<int:resident_id>", methods=["GET", "POST"])
@policy.permission("bases.residents")
def resident(base_id: int, resident_id: int | None = None) -> ResponseReturnValue:
    found = loaders.base(base_id, "bases.residents")
    existing = loaders.resident(found, resident_id) if resident_id else None
    form = ResidentForm(obj=existing)
    if form.validate_on_submit():
        data = lifecycle.ResidentInput(
            name=form.name.data or "", founder_name=form.founder_name.data or "",
            entry_date=form.entry_date.data, exit_date=form.exit_date.data,
            jobs_created=form.jobs_created.data or 0, services=form.services.data or "")
        if attempt(lambda: lifecycle.save_resident(found, data, local_today(), existing),
                   N_("The resident enterprise has been saved."), form=form):
            return redirect(url_for("bases.base", base_id=found.id))
    status = 400 if request.method == "POST" else 200
    return render_template("bases/resident_form.html", base=found, form=form,
                           resident=existing), status
