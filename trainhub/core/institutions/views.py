"""Officers register the institutions of their region and open their staff accounts."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from trainhub.core import policy
from trainhub.core.accounts import management
from trainhub.core.accounts.models import Role, User
from trainhub.core.accounts.services import settings_from
from trainhub.core.errors import N_, NotFound
from trainhub.core.forms import attempt
from trainhub.core.institutions import service
from trainhub.core.institutions.forms import ORG_TYPE_LABELS, InstitutionForm, StaffAccountForm
from trainhub.core.organisations import Institution
from trainhub.core.regions import Region, region_names
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

bp = Blueprint("institutions", __name__, url_prefix="/institutions")


def _scope() -> str:
    return policy.officer_region(current_user) or "36"


def _county_choices() -> list[SelectChoice]:
    names = region_names()
    counties = db.session.scalars(select(Region).where(
        Region.code.startswith(_scope()), Region.level == "county").order_by(Region.code))
    return [SelectChoice("", gettext("Choose…"))] + [
        SelectChoice(r.code, r.name, optgroup=names.get(r.code[:4])) for r in counties]


def _input(form: InstitutionForm) -> service.InstitutionInput:
    return service.InstitutionInput(
        name=form.name.data or "", credit_code=form.credit_code.data or "",
        org_type=form.org_type.data or "", region_code=form.region_code.data or "",
        registered_on=form.registered_on.data, address=form.address.data or "",
        contact_name=form.contact_name.data or "", contact_phone=form.contact_phone.data or "")


def _load(institution_id: int) -> Institution:
    found = db.session.get(Institution, institution_id)
    if found is None:
        raise NotFound("The page or record was not found, or it is outside your scope.")
    policy.require(current_user, "institutions.manage", found)
    return found


def _save(form: InstitutionForm, found: Institution | None) -> Institution:
    if found is None:
        return service.create_institution(_input(form), local_today())
    service.update_institution(found, _input(form), local_today())
    return found


@bp.get("/")
@policy.permission("institutions.manage")
def index() -> str:
    rows = db.session.scalars(select(Institution).where(
        Institution.region_code.startswith(_scope())).order_by(Institution.region_code,
                                                               Institution.name)).all()
    return render_template("institutions/index.html", rows=rows, names=region_names(),
                           type_labels=ORG_TYPE_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:institution_id>/edit", methods=["GET", "POST"])
@policy.permission("institutions.manage")
def edit(institution_id: int | None = None) -> ResponseReturnValue:
    found = _load(institution_id) if institution_id else None
    form = InstitutionForm(obj=found)
    form.region_code.choices = _county_choices()
    if form.validate_on_submit():
        policy.require(current_user, "institutions.manage",
                       Institution(region_code=form.region_code.data))
        saved = attempt(lambda: _save(form, found), N_("The institution has been saved."),
                        form=form)
        if saved:
            return redirect(url_for("institutions.show", institution_id=saved.result.id))
    status = 400 if request.method == "POST" else 200
    return render_template("institutions/form.html", form=form, institution=found), status


@bp.get("/<int:institution_id>")
@policy.permission("institutions.manage")
def show(institution_id: int) -> str:
    return _page(_load(institution_id))


def _page(found: Institution, staff_form: StaffAccountForm | None = None) -> str:
    """The institution's page; a staff account form refused on a POST is shown again as
    sent, with its errors."""
    staff = db.session.scalars(select(User).where(User.institution_id == found.id)
                               .order_by(User.username)).all()
    return render_template("institutions/show.html", institution=found, staff=staff,
                           names=region_names(), type_labels=ORG_TYPE_LABELS,
                           staff_form=staff_form or StaffAccountForm())


@bp.post("/<int:institution_id>/staff")
@policy.permission("institutions.manage")
def add_staff(institution_id: int) -> ResponseReturnValue:
    found = _load(institution_id)
    form = StaffAccountForm()
    if not form.validate_on_submit():
        return _page(found, staff_form=form), 400
    issued = attempt(lambda: management.create_account(management.NewAccount(
        username=form.username.data or "", display_name=form.display_name.data or "",
        role=Role.INSTITUTION_STAFF, institution_id=found.id),
        settings_from(current_app.config)), form=form)
    if not issued:
        return _page(found, staff_form=form), 400
    user, password = issued.result
    return render_template("admin/password_issued.html", user=user, password=password)
