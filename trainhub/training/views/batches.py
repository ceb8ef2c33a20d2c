"""Batches for institutions and officers: create, plan sessions, submit, approve (开班审批),
open, start, complete, settle, cancel."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from trainhub.bases.certification import bases_of
from trainhub.bases.lifecycle import effective_status
from trainhub.bases.models import Base
from trainhub.core import policy
from trainhub.core.errors import N_, NotFound
from trainhub.core.forms import ReasonForm, attempt, validate_all
from trainhub.core.forms import choices as _choices
from trainhub.core.i18n import translate
from trainhub.core.inputs import bounded_int
from trainhub.core.regions import region_names
from trainhub.core.timeutil import from_local, local_today, utcnow
from trainhub.core.web import page_number
from trainhub.extensions import db
from trainhub.training import batches, enrolment, loaders, plausibility, search
from trainhub.training.catalog import EDITABLE_BATCH, BatchStatus, EnrolmentStatus
from trainhub.training.display import (
    BATCH_STATUS_LABELS,
    CATEGORY_LABELS,
    SESSION_MODE_LABELS,
)
from trainhub.training.forms import (
    BatchForm,
    CapacityForm,
    ReviewBatchForm,
    SessionForm,
    fen,
)
from trainhub.training.models import Batch, Demand, Enrolment
from trainhub.training.views import bp

PER_PAGE = 50


def _batch_input(form: BatchForm) -> batches.BatchInput:
    return batches.BatchInput(
        title=form.title.data or "", category=form.category.data or "",
        occupation=form.occupation.data or "", training_type=form.training_type.data or "",
        certificate_type=form.certificate_type.data or "",
        certificate_level=form.certificate_level.data or None,
        delivery=form.delivery.data or "", delivery_models=tuple(form.delivery_models.data or ()),
        provisions=tuple(form.provisions.data or ()), start_date=form.start_date.data,
        end_date=form.end_date.data, capacity=form.capacity.data or 0,
        fee_fen=fen(form.fee.data), admission=form.admission.data or "",
        venue=form.venue.data or "", description=form.description.data or "",
        jiangxi_household_only=bool(form.jiangxi_household_only.data),
        open_to_family_members=bool(form.open_to_family_members.data))


def _own_bases() -> list[Base]:
    today = local_today()
    return [b for b in bases_of(current_user.institution_id)
            if effective_status(b, today) == "valid"]


def _offer_categories(form: BatchForm, bases: list[Base]) -> None:
    """Only the categories the bases are certified for: a batch for another would be
    refused."""
    form.category.validate_choice = False  # the service says why another is refused
    form.category.choices = [SelectChoice(c, CATEGORY_LABELS[c])
                             for c in batches.categories_for(bases)]


def _base_choices(bases: list[Base]) -> list[tuple[int, str]]:
    return [SelectChoice(b.id, translate(N_("%(number)s (valid until %(date)s)"),
                                         number=b.certificate_number, date=b.valid_until))
            for b in bases]


@bp.get("/batches")
@policy.permission("training.batches.view")
def batch_list() -> str:
    status = request.args.get("status", "")
    status = status if status in BATCH_STATUS_LABELS else ""
    keyword = " ".join(search.words(request.args.get("q", "")[:search.MAX_LENGTH]))
    page = page_number(request.args)
    rows, total = loaders.batch_page(current_user, status or None, PER_PAGE, page,
                                     keyword=keyword)
    return render_template(
        "training/batches.html", rows=rows, status=status, keyword=keyword,
        names=region_names(), page=page, pages=max(1, -(-total // PER_PAGE)), total=total,
        status_labels=BATCH_STATUS_LABELS,
        query={k: v for k, v in (("status", status), ("q", keyword)) if v},
        may_create=policy.may(current_user, "training.batches.run"))


@bp.route("/batches/new", methods=["GET", "POST"])
@policy.permission("training.batches.run")
def new_batch() -> ResponseReturnValue:
    own = _own_bases()
    demand = _demand_taken()
    form = BatchForm()
    form.base_id.choices = _base_choices(own)
    _offer_categories(form, own)
    if request.method == "GET" and demand is not None:
        form.title.data = demand.title
        form.occupation.data, form.category.data = demand.occupation, demand.category
        form.delivery_models.data = ["order"]
    chosen = next((b for b in own if b.id == form.base_id.data), None)
    if request.method == "POST" and validate_all(form, lambda: batches.check_batch(
            chosen, _batch_input(form), local_today(), demand)):
        base = chosen
        if base is None:
            raise NotFound(loaders.NOT_FOUND)
        created = attempt(
            lambda: batches.create_batch(base, _batch_input(form), current_user,
                                         local_today(), demand=demand),
            N_("The batch has been saved as a draft. Plan its sessions, then submit it for "
               "approval."), form=form)
        if created:
            return redirect(url_for("training.batch", batch_id=created.result.id))
    status = 400 if request.method == "POST" else 200
    return render_template("training/batch_form.html", form=form, batch=None, demand=demand,
                           no_base=not own), status


def _demand_taken() -> Demand | None:
    raw = request.values.get("demand", type=bounded_int)
    return loaders.demand(raw, "training.demands.view") if raw else None


@bp.route("/batches/<int:batch_id>/edit", methods=["GET", "POST"])
@policy.permission("training.batches.run")
def edit_batch(batch_id: int) -> ResponseReturnValue:
    found = loaders.batch(batch_id, "training.batches.run")
    form = BatchForm(obj=found if request.method == "GET" else None)
    form.base_id.choices = [SelectChoice(found.base_id, found.base.certificate_number)]
    _offer_categories(form, [found.base])
    if request.method == "GET":
        form.fee.data = found.fee_fen / 100
        form.certificate_level.data = found.certificate_level or ""
    if request.method == "POST" and validate_all(form, lambda: batches.check_batch(
            found.base, _batch_input(form), local_today())) and attempt(
            lambda: batches.update_batch(found, _batch_input(form), local_today()),
            N_("The batch has been updated."), form=form):
        return redirect(url_for("training.batch", batch_id=found.id))
    status = 400 if request.method == "POST" else 200
    return render_template("training/batch_form.html", form=form, batch=found, demand=None,
                           no_base=False), status


def _counts(found: Batch) -> dict[str, int]:
    rows = db.session.execute(select(Enrolment.status, func.count()).where(
        Enrolment.batch_id == found.id).group_by(Enrolment.status))
    return {status: int(n) for status, n in rows}


@bp.get("/batches/<int:batch_id>")
@policy.permission("training.batches.view")
def batch(batch_id: int) -> str:
    return _page(loaders.batch(batch_id, "training.batches.view"))


def _page(found: Batch, session_form: SessionForm | None = None,
          capacity_form: CapacityForm | None = None,
          review_form: ReviewBatchForm | None = None,
          reason_form: ReasonForm | None = None) -> str:
    """The batch's page; a session, capacity, review or cancellation form refused on a POST
    is shown again as sent, with its errors, in place of an empty one."""
    may = {action: policy.may(current_user, action, found)
           for action in ("training.batches.run", "training.batches.approve")}
    return render_template(
        "training/batch.html", batch=found, may=may, counts=_counts(found),
        names=region_names(), session_form=_session_form(found, session_form),
        review_form=review_form or ReviewBatchForm(formdata=None),
        reason_form=reason_form or ReasonForm(formdata=None),
        capacity_form=capacity_form or CapacityForm(capacity=found.capacity),
        editable=found.status in EDITABLE_BATCH, now=utcnow(), today=local_today(),
        enrolment_statuses=EnrolmentStatus, warnings=_warnings(found))


def _warnings(found: Batch) -> list[str]:
    """What the plan hardly means, while it can still be changed or approved."""
    if found.status not in (*EDITABLE_BATCH, BatchStatus.SUBMITTED):
        return []
    return [translate(w.msgid, **w.params) for w in plausibility.batch_warnings(found)]


def _back(found: Batch) -> ResponseReturnValue:
    return redirect(url_for("training.batch", batch_id=found.id))


def _act(batch_id: int, action: str, operation: Callable[[Batch], Any],
         success: str) -> ResponseReturnValue:
    found = loaders.batch(batch_id, action)
    attempt(lambda: operation(found), success)
    return _back(found)


def _session_form(found: Batch, form: SessionForm | None = None) -> SessionForm:
    """The session form offering only the modes the batch's delivery allows."""
    form = form or SessionForm()
    allowed = batches.session_modes(found)
    form.mode.choices = [c for c in _choices(SESSION_MODE_LABELS) if c.value in allowed]
    return form


def _session_rules(found: Batch, form: SessionForm) -> None:
    """The session's rules on what was given, even when a field failed (the form's own
    error on a field comes first), so that one answer says every problem."""
    if not (form.day.data and form.starts.data and form.ends.data):
        return
    batches.check_sessions(found, [*found.sessions, batches.SessionInput(
        starts_at=from_local(form.day.data, form.starts.data),
        ends_at=from_local(form.day.data, form.ends.data),
        hours=form.hours.data if form.hours.data is not None else Decimal(0),
        mode=form.mode.data or "", topic=form.topic.data or "")])


@bp.post("/batches/<int:batch_id>/sessions")
@policy.permission("training.batches.run")
def add_session(batch_id: int) -> ResponseReturnValue:
    found = loaders.batch(batch_id, "training.batches.run")
    form = _session_form(found)
    if not validate_all(form, lambda: _session_rules(found, form)):
        return _page(found, session_form=form), 400
    data = batches.SessionInput(
        starts_at=from_local(form.day.data, form.starts.data),
        ends_at=from_local(form.day.data, form.ends.data), hours=form.hours.data,
        mode=form.mode.data or "", topic=form.topic.data or "")
    if not attempt(lambda: batches.add_session(found, data), N_("The session has been added."),
                   form=form):
        return _page(found, session_form=form), 400
    return _back(found)


@bp.post("/batches/<int:batch_id>/sessions/<int:session_id>/delete")
@policy.permission("training.batches.run")
def remove_session(batch_id: int, session_id: int) -> ResponseReturnValue:
    session = loaders.session(batch_id, session_id, "training.batches.run")
    return _act(batch_id, "training.batches.run",
                lambda found: batches.remove_session(found, session),
                N_("The session has been removed."))


@bp.post("/batches/<int:batch_id>/submit")
@policy.permission("training.batches.run")
def submit(batch_id: int) -> ResponseReturnValue:
    return _act(batch_id, "training.batches.run",
                lambda found: batches.submit(found, local_today()),
                N_("The batch has been submitted to the federation for approval."))


@bp.post("/batches/<int:batch_id>/approve")
@policy.permission("training.batches.approve")
def approve(batch_id: int) -> ResponseReturnValue:
    found = loaders.batch(batch_id, "training.batches.approve")
    form = ReviewBatchForm()
    if form.validate_on_submit() and attempt(
            lambda: batches.approve(found, current_user, local_today(), form.comment.data or ""),
            N_("The batch has been approved. The institution can now open enrolment."),
            form=form):
        return _back(found)
    return _page(found, review_form=form), 400


@bp.post("/batches/<int:batch_id>/return")
@policy.permission("training.batches.approve")
def send_back(batch_id: int) -> ResponseReturnValue:
    found = loaders.batch(batch_id, "training.batches.approve")
    form = ReviewBatchForm()
    reject = request.form.get("decision") == "reject"
    if form.validate_on_submit() and attempt(
            lambda: batches.send_back(found, reject, form.comment.data or ""),
            N_("The batch has been rejected.") if reject
            else N_("The batch has been returned to the institution for changes."),
            form=form):
        return _back(found)
    return _page(found, review_form=form), 400


@bp.post("/batches/<int:batch_id>/open")
@policy.permission("training.batches.run")
def open_enrolment(batch_id: int) -> ResponseReturnValue:
    return _act(batch_id, "training.batches.run", batches.open_enrolment,
                N_("Enrolment is open: trainees can now find the batch and apply."))


@bp.post("/batches/<int:batch_id>/start")
@policy.permission("training.batches.run")
def start(batch_id: int) -> ResponseReturnValue:
    return _act(batch_id, "training.batches.run",
                lambda found: batches.start(found, local_today()),
                N_("The batch has started. Enrolment is closed."))


@bp.post("/batches/<int:batch_id>/complete")
@policy.permission("training.batches.run")
def complete(batch_id: int) -> ResponseReturnValue:
    return _act(batch_id, "training.batches.run",
                lambda found: batches.complete(found, utcnow()),
                N_("The batch is completed. Record each trainee's result."))


@bp.post("/batches/<int:batch_id>/settle")
@policy.permission("training.batches.approve")
def settle(batch_id: int) -> ResponseReturnValue:
    return _act(batch_id, "training.batches.approve", batches.settle,
                N_("The batch has been settled."))


@bp.post("/batches/<int:batch_id>/cancel")
@policy.permission("training.batches.run")
def cancel(batch_id: int) -> ResponseReturnValue:
    found = loaders.batch(batch_id, "training.batches.run")
    form = ReasonForm()
    if form.validate_on_submit() and attempt(
            lambda: batches.cancel(found, form.reason.data or ""),
            N_("The batch has been cancelled."), form=form):
        return _back(found)
    return _page(found, reason_form=form), 400


@bp.post("/batches/<int:batch_id>/capacity")
@policy.permission("training.batches.run")
def change_capacity(batch_id: int) -> ResponseReturnValue:
    form = CapacityForm()
    found = loaders.batch(batch_id, "training.batches.run")
    if not form.validate_on_submit() or not attempt(
            lambda: enrolment.change_capacity(found, form.capacity.data or 0),
            N_("The capacity has been changed."), form=form):
        return _page(found, capacity_form=form), 400
    return _back(found)

