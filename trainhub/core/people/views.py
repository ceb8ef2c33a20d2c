"""Person records for officers, and a trainee's own record."""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from trainhub.core import idnumbers, policy
from trainhub.core.errors import N_, Checks, DomainError, NotFound
from trainhub.core.forms import attempt
from trainhub.core.people import services, timeline
from trainhub.core.people.forms import (
    EMPLOYMENT_LABELS,
    NEED_LABELS,
    IdSearchForm,
    NewPersonForm,
    PeopleFilter,
    PersonForm,
    UnmaskForm,
)
from trainhub.core.people.models import ACCESSIBILITY_NEEDS, EmploymentStatus, Person
from trainhub.core.privacy import consent
from trainhub.core.privacy.models import Method
from trainhub.core.regions import Region, region_names
from trainhub.core.timeutil import local_today
from trainhub.core.web import page_number
from trainhub.extensions import db

bp = Blueprint("people", __name__, url_prefix="/people")

NUMBER_LIKE = re.compile(r"[0-9X]+")

PAGE_SIZE = 30


def _region_choices() -> list[SelectChoice]:
    """Counties inside the officer's scope, grouped by city."""
    scope = policy.officer_region(current_user) or "36"
    regions = db.session.scalars(
        select(Region).where(Region.code.startswith(scope), Region.level == "county")
        .order_by(Region.code)
    ).all()
    names = region_names()
    return [SelectChoice("", gettext("Choose…"))] + [
        SelectChoice(r.code, r.name, optgroup=names.get(r.code[:4])) for r in regions
    ]


def _input(form: PersonForm) -> services.PersonInput:
    return services.PersonInput(
        name=form.name.data or "",
        id_number=form.id_number.data or "",
        cert_number=form.cert_number.data or None,
        phone=form.phone.data or None,
        household_region_code=form.household_region_code.data or "",
        employment_status=EmploymentStatus(form.employment_status.data),
        needs=frozenset(n for n in ACCESSIBILITY_NEEDS if getattr(form, n).data),
    )


def _load(person_id: int, action: str) -> Person:
    person = db.session.get(Person, person_id, options=[selectinload(Person.household_region)])
    if person is None:
        raise NotFound("The page or record was not found, or it is outside your scope.")
    policy.require(current_user, action, person)
    return person


def _create(data: services.PersonInput, consented: bool,
            guardian: consent.Guardian | None) -> Person:
    """The record holds ID and disability data: it needs the person's signed paper consent,
    recorded with it. Every problem is answered at once (the numbers and the consent)."""
    checks = Checks()
    created = None
    try:
        created = services.create_person(data, local_today())
        consent.check_guardian(created.birth_date, guardian)  # under 18: the guardian's
    except DomainError as error:
        checks.extend(error)
    if not consented:
        checks.extend(consent.ConsentMissing(consent.MISSING_PAPER))
    checks.done()
    assert created is not None
    consent.give(created, current_user, Method.PAPER, guardian=guardian)
    return created


def _save(form: PersonForm, person: Person) -> Person:
    """Validate through the service (attempt() puts its message on the field it names)."""
    return services.update_person(person, _input(form), local_today())


@bp.get("/")
@policy.permission("people.list")
def index() -> ResponseReturnValue:
    filters = PeopleFilter(request.args)
    if not filters.validate():  # said on its field; the list stays the whole scope's
        return _index(IdSearchForm(formdata=None), filters, valid=False), 400
    return _index(IdSearchForm(formdata=None), filters)


def _index(search_form: IdSearchForm, filters: PeopleFilter | None = None,
           valid: bool = True) -> str:
    """The list of people (those the name and tail filters keep), with the search by number
    as sent (and its errors) after a search that found nobody or was refused."""
    filters = filters or PeopleFilter(formdata=None)
    page = page_number(request.args)
    name, tail = (filters.name.data, filters.tail.data) if valid else (None, None)
    stmt = services.search(current_user, name, tail)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    people = db.session.scalars(
        stmt.order_by(Person.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template("people/index.html", people=people, total=total, page=page,
                           pages=max(1, -(-total // PAGE_SIZE)), names=region_names(),
                           search_form=search_form, filters=filters,
                           filtered=bool(name or tail),
                           query={k: v for k, v in (("name", name), ("tail", tail)) if v})


@bp.post("/search")
@policy.permission("people.list")
def search() -> ResponseReturnValue:
    # POST keeps ID numbers out of URLs, logs and browser history.
    form = IdSearchForm()
    if not form.validate_on_submit():
        return _index(form), 400
    typed = idnumbers.normalize(form.number.data or "")
    # A name or the 4 characters a mask shows, typed in this box: the search that finds
    # them, whose filter may stay in the URL (a whole number never goes there).
    if not NUMBER_LIKE.fullmatch(typed):
        return redirect(url_for("people.index", name=form.number.data))
    if len(typed) == services.TAIL:
        return redirect(url_for("people.index", tail=typed))
    person = services.find_by_id_number(current_user, typed)
    if person is not None:
        return redirect(url_for("people.show", person_id=person.id))
    flash(gettext("Nobody with this number is registered in your region."), "info")
    return _index(form)  # the number stays, to correct a typing slip


@bp.route("/new", methods=["GET", "POST"])
@policy.permission("people.create")
def create() -> ResponseReturnValue:
    form = NewPersonForm()
    form.household_region_code.choices = _region_choices()
    if form.validate_on_submit():
        policy.require(current_user, "people.create",
                       Person(household_region_code=form.household_region_code.data))
        guardian = consent.guardian_from(form.guardian_name.data, form.guardian_relation.data)
        created = attempt(lambda: _create(_input(form), bool(form.consent.data), guardian),
                          N_("The person has been registered."),
                          form=form)
        if created:
            return redirect(url_for("people.show", person_id=created.result.id))
    status = 400 if request.method == "POST" else 200
    return render_template("people/form.html", form=form, person=None,
                           need_labels=NEED_LABELS), status


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@policy.permission("people.edit")
def edit(person_id: int) -> ResponseReturnValue:
    person = _load(person_id, "people.edit")
    form = PersonForm(obj=person)
    form.household_region_code.choices = _region_choices()
    if form.validate_on_submit():
        policy.require(current_user, "people.edit",
                       Person(household_region_code=form.household_region_code.data))
        if attempt(lambda: _save(form, person), N_("The record has been updated."),
                   form=form):
            return redirect(url_for("people.show", person_id=person.id))
    if request.method == "GET":
        # The edit form shows the full numbers, so opening it counts as an unmasked view.
        services.unmask(person, "edit record")
        db.session.commit()
    status = 400 if request.method == "POST" else 200
    return render_template("people/form.html", form=form, person=person,
                           need_labels=NEED_LABELS), status


def _render_person(person: Person, full: dict[str, str | None] | None = None,
                   unmask_form: UnmaskForm | None = None) -> str:
    return render_template(
        "people/show.html", person=person, shown=services.display(person, local_today(), full),
        names=region_names(),
        unmask_form=unmask_form or UnmaskForm(), need_labels=NEED_LABELS,
        employment_labels=EMPLOYMENT_LABELS,
        may_unmask=policy.may(current_user, "people.unmask", person),
        may_edit=policy.may(current_user, "people.edit", person), unmasked=full is not None,
        history=timeline.lines(person, current_user),
    )


@bp.get("/<int:person_id>")
@policy.permission("people.view")
def show(person_id: int) -> str:
    person = _load(person_id, "people.view")
    services.record_view(person, current_user)
    db.session.commit()
    return _render_person(person)


@bp.post("/<int:person_id>/unmask")
@policy.permission("people.unmask")
def unmask(person_id: int) -> ResponseReturnValue:
    person = _load(person_id, "people.unmask")
    form = UnmaskForm()
    if not form.validate_on_submit():
        return _render_person(person, unmask_form=form), 400
    full = services.unmask(person, form.purpose.data or "")
    db.session.commit()
    return _render_person(person, full=full)


@bp.get("/me")
@policy.permission("people.me")
def me() -> ResponseReturnValue:
    if current_user.person_id is None:
        raise NotFound("The page or record was not found, or it is outside your scope.")
    return _render_person(_load(current_user.person_id, "people.view"))
