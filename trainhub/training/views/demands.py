"""企业下单: enterprises post and manage their demands; institutions and officers read them."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from trainhub.core import policy
from trainhub.core.errors import N_, NotFound
from trainhub.core.forms import attempt, validate_all
from trainhub.core.organisations import Enterprise
from trainhub.core.regions import Region, region_names
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.training import demands, followup, loaders
from trainhub.training.forms import DemandForm, fen
from trainhub.training.models import Demand
from trainhub.training.views import bp


def _counties() -> list[tuple[str, str]]:
    names = region_names()
    rows = db.session.scalars(select(Region.code).where(db.func.length(Region.code) == 6)
                              .order_by(Region.code))
    return [SelectChoice(code, f"{names.get(code[:4], '')} {names[code]}") for code in rows]


def _input(form: DemandForm) -> demands.DemandInput:
    return demands.DemandInput(
        title=form.title.data or "", occupation=form.occupation.data or "",
        category=form.category.data or "", head_count=form.head_count.data or 0,
        skills_required=form.skills_required.data or "", region_code=form.region_code.data or "",
        location=form.location.data or "", monthly_wage_fen=fen(form.monthly_wage.data),
        hire_commitment=form.hire_commitment.data or 0, deadline=form.deadline.data)


@bp.get("/demands")
@policy.permission("training.demands.view")
def demand_list() -> str:
    stmt = demands.visible_demands(current_user, local_today()).options(
        selectinload(Demand.enterprise), selectinload(Demand.batches))
    rows = db.session.scalars(stmt.order_by(Demand.deadline, Demand.id).limit(500)).all()
    return render_template("training/demands.html", rows=rows, names=region_names(),
                           may_post=policy.may(current_user, "training.demands.post"),
                           may_take=policy.may(current_user, "training.batches.run"))


@bp.route("/demands/new", methods=["GET", "POST"])
@policy.permission("training.demands.post")
def new_demand() -> ResponseReturnValue:
    enterprise = db.session.get(Enterprise, current_user.enterprise_id)
    if enterprise is None:
        raise NotFound(loaders.NOT_FOUND)
    form = DemandForm()
    form.region_code.choices = _counties()
    if request.method == "GET":
        form.region_code.data = enterprise.region_code
    if request.method == "POST" and validate_all(
            form, lambda: demands.check_demand(_input(form), local_today())):
        created = attempt(
            lambda: demands.post_demand(enterprise, _input(form), current_user, local_today()),
            N_("Your demand has been posted; certified institutions can now take it."),
            form=form)
        if created:
            return redirect(url_for("training.demand", demand_id=created.result.id))
    status = 400 if request.method == "POST" else 200
    return render_template("training/demand_form.html", form=form, demand=None), status


@bp.route("/demands/<int:demand_id>/edit", methods=["GET", "POST"])
@policy.permission("training.demands.post")
def edit_demand(demand_id: int) -> ResponseReturnValue:
    found = loaders.demand(demand_id, "training.demands.post")
    form = DemandForm(obj=found if request.method == "GET" else None)
    form.region_code.choices = _counties()
    if request.method == "GET":
        form.monthly_wage.data = found.monthly_wage_fen / 100
    if request.method == "POST" and validate_all(
            form, lambda: demands.check_demand(_input(form), local_today())) and attempt(
            lambda: demands.update_demand(found, _input(form), local_today()),
            N_("The demand has been updated."), form=form):
        return redirect(url_for("training.demand", demand_id=found.id))
    status = 400 if request.method == "POST" else 200
    return render_template("training/demand_form.html", form=form, demand=found), status


@bp.get("/demands/<int:demand_id>")
@policy.permission("training.demands.view")
def demand(demand_id: int) -> str:
    found = loaders.demand(demand_id, "training.demands.view")
    may_edit = policy.may(current_user, "training.demands.post", found)
    # The ordering enterprise follows up the graduates of the batches it ordered.
    graduates = db.session.scalars(loaders.graduates_of(found)).all() if may_edit else []
    return render_template(
        "training/demand.html", demand=found, names=region_names(), may_edit=may_edit,
        graduates=graduates, today=local_today(),
        due=followup.due_dates(graduates),
        may_take=policy.may(current_user, "training.batches.run") and found.status == "open")


@bp.post("/demands/<int:demand_id>/close")
@policy.permission("training.demands.post")
def close_demand(demand_id: int) -> ResponseReturnValue:
    found = loaders.demand(demand_id, "training.demands.post")
    attempt(lambda: demands.close_demand(found), N_("The demand has been closed."))
    return redirect(url_for("training.demand", demand_id=found.id))
