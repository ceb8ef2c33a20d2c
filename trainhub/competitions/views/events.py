"""Events (项目) for organisers: a new event with its eligibility rules and marking scheme;
the event's page with its entries, which the organiser confirms or refuses; the close of
registration and the draw of stations and anonymous codes."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from trainhub.competitions import admission, creation, drawing, loaders, registration
from trainhub.competitions.catalog import AWARD_NAMES
from trainhub.competitions.creation import EventInput
from trainhub.competitions.forms import MOST_ASPECTS, EventForm, ReasonForm
from trainhub.competitions.models import Competition, Entry, Event
from trainhub.competitions.schemes import AspectInput
from trainhub.competitions.views import bp
from trainhub.core import policy
from trainhub.core.errors import N_
from trainhub.core.forms import attempt, validate_all
from trainhub.core.parameters import service as parameters
from trainhub.core.regions import region_names
from trainhub.core.timeutil import local_today

ORGANISE = "competitions.organise"
AGE_KEYS = {"min": "competitions.age_min", "male": "competitions.age_max_male",
            "female": "competitions.age_max_female"}


def _aspects(form: EventForm) -> tuple[AspectInput, ...]:
    """The rows filled in; a missing maximum or step is left for the scheme to refuse."""
    return tuple(
        AspectInput(code=(row.code.data or "").strip(), title=row.title.data or "",
                    kind=row.kind.data or "", scale=row.scale.data or None,
                    max_mark=row.max_mark.data if row.max_mark.data is not None else Decimal(0),
                    step=row.step.data if row.step.data is not None else Decimal("0.5"))
        for row in (entry.form for entry in form.aspects) if not row.is_blank())


def event_input(form: EventForm) -> EventInput:
    shares = (form.first_share.data, form.second_share.data, form.third_share.data)
    return EventInput(
        name=form.name.data or "", occupation=form.occupation.data or "",
        team_size=(form.team_size.data or 0) if form.entry_type.data == "team" else 1,
        quota=form.quota.data or 0, categories=tuple(form.categories.data or ()),
        grades=tuple(form.grades.data or ()), age_reference_date=form.age_reference_date.data,
        aspects=_aspects(form), exclude_title_holders=bool(form.exclude_title_holders.data),
        award_rule=form.award_rule.data or "",
        award_ratios=tuple((name, share) for name, share in zip(AWARD_NAMES, shares,
                                                                strict=True)
                           if share is not None) if form.award_rule.data == "ratio" else ())


def form_page(form: EventForm, made: Competition, status: int = 200,
              focus: int | None = None, editing: Event | None = None) -> ResponseReturnValue:
    """The form (of a new event, or of the one `editing` corrects), with the age limits now
    in force (parameters) beside the reference date."""
    today = local_today()
    ages = {name: parameters.int_value(key, today, made.region_code)
            for name, key in AGE_KEYS.items()}
    form.age_reference_date.description = gettext(
        "On this date men must be %(min)s to %(male)s years old and women %(min)s to "
        "%(female)s (parameters “Lowest age of contestants” and “Highest age of men” and "
        "“of women”).", **ages)
    return render_template("competitions/event_form.html", form=form, competition=made,
                           focus=focus, editing=editing), status


def with_another_row(form: EventForm, made: Competition,
                     editing: Event | None = None) -> ResponseReturnValue:
    """"Add another aspect" posts the form back with one more blank row, saving nothing."""
    if len(form.aspects) < MOST_ASPECTS:
        form.aspects.append_entry()
    return form_page(form, made, focus=len(form.aspects) - 1, editing=editing)


@bp.route("/<int:competition_id>/events/new", methods=["GET", "POST"])
@policy.permission(ORGANISE)
def new_event(competition_id: int) -> ResponseReturnValue:
    made = loaders.competition(competition_id, ORGANISE)
    form = EventForm()
    if request.method == "GET":
        form.age_reference_date.data = made.starts_on
        return form_page(form, made)
    if request.form.get("add_aspect"):
        return with_another_row(form, made)
    checked = validate_all(form, lambda: creation.check_event(event_input(form)))
    if checked and (added := attempt(
            lambda: creation.add_event(made, event_input(form)),
            N_("The event has been added."), form=form)):
        return redirect(url_for("competitions.event", event_id=added.result.id))
    return form_page(form, made, 400)


@bp.get("/events/<int:event_id>")
@policy.permission("competitions.view")
def event(event_id: int) -> str:
    return _event_page(loaders.event(event_id, "competitions.view"))


def _event_page(found: Event, refusing: tuple[int, ReasonForm] | None = None) -> str:
    """The event's page; a refusal refused on a POST is shown again in its entry's row with
    the reason as typed, its errors summed up at the top."""
    made = found.competition
    today = local_today()
    return render_template(
        "competitions/event.html", event=found, competition=made, names=region_names(),
        organiser=policy.may(current_user, ORGANISE, made),
        reason_form=ReasonForm(formdata=None), refusing=refusing,
        ready_to_draw=registration.ready_to_draw(found, today),
        registration_open=registration.registration_open(found, today),
        minimum=parameters.int_value("competitions.min_entries", today, made.region_code),
        rules=admission.rules_of(found))


def _decide(entry_id: int, operation: Callable[[Entry], None],
            success: str) -> ResponseReturnValue:
    found = loaders.entry(entry_id)
    policy.require(current_user, ORGANISE, found.event.competition)
    attempt(lambda: operation(found), success, names=_names(found))
    return redirect(url_for("competitions.event", event_id=found.event_id, _anchor="entries"))


def _names(found: Entry) -> str:
    return "、".join(m.person.name for m in found.members)


@bp.post("/entries/<int:entry_id>/confirm")
@policy.permission(ORGANISE)
def confirm_entry(entry_id: int) -> ResponseReturnValue:
    return _decide(entry_id, lambda e: registration.decide(e, True, current_user),
                   N_("The entry of %(names)s is confirmed."))


@bp.post("/entries/<int:entry_id>/refuse")
@policy.permission(ORGANISE)
def refuse_entry(entry_id: int) -> ResponseReturnValue:
    found = loaders.entry(entry_id)
    policy.require(current_user, ORGANISE, found.event.competition)
    form = ReasonForm()
    if form.validate_on_submit() and attempt(
            lambda: registration.decide(found, False, current_user, form.reason.data or ""),
            N_("The entry of %(names)s is refused; the delegation sees the reason."),
            form=form, names=_names(found)):
        return redirect(url_for("competitions.event", event_id=found.event_id,
                                _anchor="entries"))
    return _event_page(found.event, (found.id, form)), 400


@bp.post("/events/<int:event_id>/draw")
@policy.permission(ORGANISE)
def draw(event_id: int) -> ResponseReturnValue:
    found = loaders.event(event_id, ORGANISE)
    if drawn := attempt(lambda: drawing.draw(found, current_user, local_today())):
        if drawn.result:
            flash(gettext("Registration is closed and %(count)s stations and codes have been "
                          "drawn.", count=len(drawn.result)), "success")
        else:
            flash(gettext("Registration is closed. Too few entries were confirmed: the event "
                          "is cancelled and the delegations can read why."), "info")
    return redirect(url_for("competitions.event", event_id=found.id))
