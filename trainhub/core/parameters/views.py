"""Parameter pages: what is in force, each parameter's history, and adding dated values."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from trainhub.core import policy
from trainhub.core.errors import N_, Checks, Conflict, DomainError, NotFound
from trainhub.core.forms import attempt, validate_all
from trainhub.core.parameters import impact, service, values
from trainhub.core.parameters.defaults import DEFAULTS
from trainhub.core.parameters.forms import (
    DOMAIN_LABELS,
    DOMAIN_ORDER,
    KEY_LABELS,
    KIND_LABELS,
    UNIT_LABELS,
    ValueForm,
    value_form,
)
from trainhub.core.parameters.models import PROVINCE, Parameter, ParameterValue
from trainhub.core.regions import Region, RegionLevel, region_names
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

bp = Blueprint("parameters", __name__, url_prefix="/parameters")

NOT_FOUND = N_("The page or record was not found, or it is outside your scope.")


def _load(key: str) -> Parameter:
    try:
        return service.get_parameter(key)
    except NotFound:
        raise NotFound(NOT_FOUND) from None


def _load_value(value_id: int) -> ParameterValue:
    row = db.session.get(ParameterValue, value_id,
                         options=[selectinload(ParameterValue.parameter)])
    if row is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, "parameters.edit", row)
    return row


def _scope_choices() -> list[SelectChoice]:
    """The province and the cities the user may set values for."""
    cities = db.session.scalars(select(Region).where(Region.level == RegionLevel.CITY.value)
                                .order_by(Region.code)).all()
    choices = [SelectChoice(PROVINCE, gettext("Whole province"))]
    choices += [SelectChoice(c.code, c.name) for c in cities]
    return [c for c in choices
            if policy.may(current_user, "parameters.edit", ParameterValue(region_code=c.value))]


def _as_input(parameter: Parameter, version: service.ParameterVersion | None) -> str:
    """A value as the form shows it: yuan for amounts, indented JSON."""
    if version is None:
        return ""
    if parameter.unit == "fen":
        return values.fen_to_yuan(int(str(version.value)))
    return values.pretty(parameter.value_type, version.value)


def _stored_text(parameter: Parameter, typed: str) -> str:
    return str(values.yuan_to_fen(typed)) if parameter.unit == "fen" else typed


def _rules(parameter: Parameter, form: ValueForm, scope: str | None,
           except_id: int = 0) -> None:
    """Every rule the value typed breaks, each on its field, in one answer."""
    checks = Checks()
    text: str | None = None
    try:
        text = _stored_text(parameter, form.value.data or "")
    except DomainError as error:
        checks.extend(error)
    service.check_value(parameter, text, form.effective_from.data, scope, except_id, checks)
    checks.done()


def _preview(parameter: Parameter, text: str, form: ValueForm,
             scope: str) -> list[impact.ImpactRow]:
    """The open decisions a new value would change (nothing when the user confirmed)."""
    change = service.proposed_change(parameter.key, text, form.effective_from.data, scope)
    impact.check(change)
    return [] if request.form.get("confirmed") else impact.preview(change)


def _render_show(parameter: Parameter, form: ValueForm | None, status: int = 200,
                 impact_rows: list[impact.ImpactRow] | None = None) -> ResponseReturnValue:
    rows = service.history(parameter.key)
    today = local_today()
    current = service.current(parameter, today)
    editable = {r.id for r in rows
                if not r.is_used and policy.may(current_user, "parameters.edit", r)}
    return render_template(
        "parameters/show.html", parameter=parameter, rows=rows, current=current, form=form,
        impact_rows=impact_rows or [],
        editable=editable, today=today, names=region_names(), parse=values.parse,
        pretty=values.pretty,
        domain_labels=DOMAIN_LABELS, unit_labels=UNIT_LABELS, key_labels=KEY_LABELS,
        kind_labels=KIND_LABELS), status


def _add_form(parameter: Parameter) -> ValueForm | None:
    if not policy.may(current_user, "parameters.edit"):
        return None
    form = value_form(parameter)
    form.region_code.choices = _scope_choices()
    if request.method == "GET":
        own = policy.officer_region(current_user)
        scope = own if own and len(own) == 4 else PROVINCE
        form.region_code.data = scope
        try:  # start from the value in force there
            form.value.data = _as_input(
                parameter, service.value_with_source(parameter.key, local_today(), scope))
        except DomainError:
            form.value.data = ""
    return form


@bp.get("/")
@policy.permission("parameters.view")
def index() -> str:
    today = local_today()
    groups: dict[str, list[service.Current]] = {domain: [] for domain in DOMAIN_ORDER}
    position = {spec.key: i for i, spec in enumerate(DEFAULTS)}  # the order they were declared
    for current in sorted(service.overview(today),
                          key=lambda c: (position.get(c.parameter.key, len(position)),
                                         c.parameter.key)):
        groups.setdefault(current.parameter.domain, []).append(current)
    return render_template(
        "parameters/index.html", groups=[(d, rows) for d, rows in groups.items() if rows],
        today=today, names=region_names(), domain_labels=DOMAIN_LABELS,
        unit_labels=UNIT_LABELS, pretty=values.pretty)


@bp.get("/<key>")
@policy.permission("parameters.view")
def show(key: str) -> ResponseReturnValue:
    parameter = _load(key)
    return _render_show(parameter, _add_form(parameter))


@bp.post("/<key>/values")
@policy.permission("parameters.edit")
def add_value(key: str) -> ResponseReturnValue:
    parameter = _load(key)
    scope = request.form.get("region_code") or PROVINCE
    policy.require(current_user, "parameters.edit",
                   ParameterValue(parameter_id=parameter.id, region_code=scope))
    form = _add_form(parameter)
    assert form is not None  # the user may edit: checked just above
    if validate_all(form, lambda: _rules(parameter, form, scope)):
        text = _stored_text(parameter, form.value.data or "")
        # Decisions still open would change: show old and new before anything is saved.
        previewed = attempt(lambda: _preview(parameter, text, form, scope), form=form)
        if previewed and previewed.result:
            return _render_show(parameter, form, 200, impact_rows=previewed.result)
        if previewed and attempt(
                lambda: service.add_value(parameter.key, text, form.effective_from.data,
                                          scope, form.note.data, current_user),
                N_("The new value has been saved."), form=form) is not None:
            return redirect(url_for("parameters.show", key=parameter.key))
    return _render_show(parameter, form, 400)


@bp.route("/values/<int:value_id>/edit", methods=["GET", "POST"])
@policy.permission("parameters.edit")
def edit_value(value_id: int) -> ResponseReturnValue:
    row = _load_value(value_id)
    parameter = row.parameter
    if row.is_used:
        raise Conflict(service.USED_MESSAGE)
    form = value_form(parameter, obj=None if request.method == "POST" else row)
    del form.region_code
    if request.method == "GET":
        form.value.data = _as_input(parameter, service.version_of(row))
    elif validate_all(form, lambda: _rules(parameter, form, row.region_code, row.id)) \
            and attempt(
            lambda: service.edit_value(row, _stored_text(parameter, form.value.data or ""),
                                       form.effective_from.data, form.note.data, current_user),
            N_("The value has been corrected."), form=form):
        return redirect(url_for("parameters.show", key=parameter.key))
    status = 400 if request.method == "POST" else 200
    return render_template("parameters/edit.html", parameter=parameter, row=row, form=form,
                           names=region_names(), unit_labels=UNIT_LABELS), status
