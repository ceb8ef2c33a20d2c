"""Delegations (代表队): the table of every delegation's entries, and a city's own page,
where its officers enter contestants by ID number (in the POST body, never in a URL),
withdraw and substitute them before the deadline, and read the reasons for any refusal or
cancellation."""

from __future__ import annotations

from collections.abc import Sequence

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from trainhub.competitions import admission, loaders, registration, tables
from trainhub.competitions.catalog import ACTIVE_ENTRY
from trainhub.competitions.forms import RegisterForm, SubstituteForm
from trainhub.competitions.models import Competition, Delegation, Entry, Event
from trainhub.competitions.views import bp
from trainhub.core import policy
from trainhub.core.errors import N_, DomainError, NotFound
from trainhub.core.forms import attempt, refuse
from trainhub.core.people.models import Person
from trainhub.core.regions import region_names
from trainhub.core.throttle import id_lookups
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

REGISTER = "competitions.register"
ORGANISE = "competitions.organise"


@bp.get("/<int:competition_id>/delegations")
@policy.permission("competitions.view")
def delegation_table(competition_id: int) -> str:
    made = loaders.competition(competition_id, "competitions.view")
    table = tables.delegation_table(made.events, loaders.delegations_of(made),
                                    loaders.entries_of(made))
    organiser = policy.may(current_user, ORGANISE, made)
    # Contestants' names: for the organiser and each delegation's own officers only.
    named = {row.delegation.id for row in table.rows
             if organiser or policy.may(current_user, REGISTER, row.delegation)}
    return render_template("competitions/delegation_table.html", competition=made,
                           table=table, named=named, names=region_names())


def _register_form(event: Event) -> RegisterForm:
    form = RegisterForm(prefix=f"e{event.id}", formdata=None)
    while len(form.numbers) < event.team_size:
        form.numbers.append_entry()
    return _labelled(form)


def _labelled(form: RegisterForm) -> RegisterForm:
    """A team's fields are told apart by their labels, not only by their position."""
    if len(form.numbers) > 1:
        for n, field in enumerate(form.numbers, start=1):
            field.label.text = gettext("Contestant %(n)s: resident ID or disability "
                                       "certificate number", n=n)
    return form


def _substitute_form(entry: Entry, posted: SubstituteForm | None = None) -> SubstituteForm:
    form = posted or SubstituteForm(prefix=f"s{entry.id}", formdata=None)
    form.leaving.offer([SelectChoice(m.person_id, m.person.name) for m in entry.members])
    return form


def _page(made: Competition, city: loaders.City, *,
          registering: tuple[int, RegisterForm] | None = None,
          substituting: tuple[int, SubstituteForm] | None = None) -> ResponseReturnValue:
    """The city's page; after a refused form, that form again with its message (400)."""
    delegation = loaders.delegation(made, city.region_code)
    entries = loaders.entries_of(made, delegation.id) if delegation else []
    today = local_today()
    open_now = {e.id for e in made.events if registration.registration_open(e, today)}
    cells = tables.cells_of(made.events, entries)
    register_forms = {c.event.id: _register_form(c.event) for c in cells
                      if c.event.id in open_now and c.places_left}
    swap_forms = {e.id: _substitute_form(e) for e in entries
                  if e.event_id in open_now and e.status in ACTIVE_ENTRY}
    posted: RegisterForm | SubstituteForm | None = None
    if registering:
        register_forms[registering[0]] = posted = _labelled(registering[1])
    if substituting:
        swap_forms[substituting[0]] = posted = substituting[1]
    return render_template(
        "competitions/delegation.html", competition=made, city=city, delegation=delegation,
        cells=cells, open_now=open_now, names=region_names(), register_forms=register_forms,
        swap_forms=swap_forms, posted=posted,
        rules={e.id: admission.rules_of(e) for e in made.events}), 400 if posted else 200


def _city(competition_id: int, region_code: str) -> tuple[Competition, loaders.City]:
    made = loaders.competition(competition_id, "competitions.view")
    city = loaders.city(region_code)
    policy.require(current_user, REGISTER, city)
    return made, city


@bp.get("/<int:competition_id>/delegations/<region_code>")
@policy.permission(REGISTER)
def delegation(competition_id: int, region_code: str) -> ResponseReturnValue:
    made, city = _city(competition_id, region_code)
    return _page(made, city)


def people_by_number(numbers: Sequence[str], city: loaders.City,
                     form: RegisterForm | SubstituteForm) -> list[Person] | None:
    """The contestants typed in, found by their resident ID or certificate number among the
    people of the city; the lookups' audit rows are committed whatever comes next. None,
    with the refusals on the form, each on its field, when numbers are of nobody of the
    city (one answer, masked numbers)."""
    fields = ["number"] if isinstance(form, SubstituteForm) else None
    try:
        people = admission.contestants_by_number(numbers, city.region_code, fields)
    except DomainError as error:
        db.session.commit()
        refuse(error, form)
        return None
    db.session.commit()
    return people


@bp.post("/events/<int:event_id>/delegations/<region_code>/entries")
@id_lookups
@policy.permission(REGISTER)
def register_entry(event_id: int, region_code: str) -> ResponseReturnValue:
    found = loaders.event(event_id, "competitions.view")
    made, city = _city(found.competition_id, region_code)
    form = RegisterForm(prefix=f"e{found.id}")
    if form.validate_on_submit() and (people := people_by_number(
            [n.strip() for n in form.numbers.data], city, form)) is not None:

        def enter() -> list[Person]:
            team = registration.delegation_for(made, city.region_code)
            registration.register(found, team, people, current_user, local_today())
            return people

        if entered := attempt(enter, form=form):
            flash(gettext("%(names)s entered in %(event)s. The organiser confirms the entry.",
                          names="、".join(p.name for p in entered.result), event=found.name),
                  "success")
            return _back(made, city, found.id)
    return _page(made, city, registering=(found.id, form))


def _back(made: Competition, city: loaders.City, event_id: int) -> ResponseReturnValue:
    return redirect(url_for("competitions.delegation", competition_id=made.id,
                            region_code=city.region_code, _anchor=f"event-{event_id}"))


def _own_entry(entry_id: int) -> tuple[Entry, Delegation]:
    found = loaders.entry(entry_id)
    policy.require(current_user, REGISTER, found.delegation)
    return found, found.delegation


@bp.post("/entries/<int:entry_id>/withdraw")
@policy.permission(REGISTER)
def withdraw_entry(entry_id: int) -> ResponseReturnValue:
    found, team = _own_entry(entry_id)
    made, city = found.event.competition, loaders.city(team.region_code)
    names = "、".join(m.person.name for m in found.members)
    attempt(lambda: registration.withdraw(found, current_user, local_today()),
            N_("The entry of %(names)s is withdrawn."), names=names)
    return _back(made, city, found.event_id)


@bp.post("/entries/<int:entry_id>/substitute")
@id_lookups
@policy.permission(REGISTER)
def substitute_entry(entry_id: int) -> ResponseReturnValue:
    found, team = _own_entry(entry_id)
    made, city = found.event.competition, loaders.city(team.region_code)
    form = _substitute_form(found, SubstituteForm(prefix=f"s{found.id}"))
    if form.validate_on_submit():
        leaving = next((m.person for m in found.members if m.person_id == form.leaving.data),
                       None)
        if leaving is None:
            raise NotFound(loaders.NOT_FOUND)

        joining = people_by_number([(form.number.data or "").strip()], city, form)

        def substitute() -> Person:
            assert joining is not None
            registration.substitute(found, leaving, joining[0], current_user, local_today())
            return joining[0]

        if joining is not None and (joined := attempt(substitute, form=form)):
            flash(gettext("%(joining)s replaces %(leaving)s. The organiser confirms the entry "
                          "again.", joining=joined.result.name, leaving=leaving.name), "success")
            return _back(made, city, found.event_id)
    return _page(made, city, substituting=(found.id, form))
