"""Organisers correct a competition or an event after creating them, on the create forms
filled in with what is stored. What may still change is editing.py's to decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from trainhub.competitions import creation, editing, loaders
from trainhub.competitions.catalog import AWARD_NAMES
from trainhub.competitions.forms import CompetitionForm, EventForm
from trainhub.competitions.models import Event
from trainhub.competitions.views import bp
from trainhub.competitions.views.events import event_input, form_page, with_another_row
from trainhub.competitions.views.organise import competition_input
from trainhub.core import policy
from trainhub.core.forms import attempt, validate_all
from trainhub.core.regions import region_names
from trainhub.core.timeutil import local_today

ORGANISE = "competitions.organise"
SHARE_FIELDS = ("first_share", "second_share", "third_share")  # in the order of AWARD_NAMES


def _saved(changes: dict[str, Any], done: str) -> None:
    if changes:
        flash(done, "success")
    else:
        flash(gettext("Nothing was changed."), "info")


@bp.route("/<int:competition_id>/edit", methods=["GET", "POST"])
@policy.permission(ORGANISE)
def edit_competition(competition_id: int) -> ResponseReturnValue:
    made = loaders.competition(competition_id, ORGANISE)
    form = CompetitionForm(obj=made)  # what was posted, if anything, wins over what is stored
    checked = request.method == "POST" and validate_all(
        form, lambda: creation.check_competition(competition_input(form)))
    if checked and (changes := attempt(
            lambda: editing.update_competition(made, competition_input(form), current_user,
                                               local_today()), form=form)):
        _saved(changes.result, gettext("The competition has been corrected."))
        return redirect(url_for("competitions.competition", competition_id=made.id))
    status = 400 if request.method == "POST" else 200
    return render_template("competitions/competition_form.html", form=form, editing=made,
                           region=region_names().get(made.region_code, "")), status


def _stored(event: Event) -> dict[str, Any]:
    """The event as its form shows it."""
    shares = {name: Decimal(share) for name, share in event.award_ratios}
    team = event.team_size > 1
    return {
        "name": event.name, "occupation": event.occupation,
        "entry_type": "team" if team else "individual",
        "team_size": event.team_size if team else None, "quota": event.quota,
        "categories": list(event.categories), "grades": list(event.grades),
        "age_reference_date": event.age_reference_date,
        "exclude_title_holders": event.exclude_title_holders, "award_rule": event.award_rule,
        **{field: shares.get(name) for field, name in zip(SHARE_FIELDS, AWARD_NAMES,
                                                          strict=True)},
        "aspects": [{"code": a.code, "title": a.title, "kind": a.kind, "scale": a.scale or "",
                     "max_mark": a.max_mark, "step": a.step} for a in event.aspects]}


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@policy.permission(ORGANISE)
def edit_event(event_id: int) -> ResponseReturnValue:
    found = loaders.event(event_id, ORGANISE)
    made = found.competition
    if request.method == "GET":
        return form_page(EventForm(data=_stored(found)), made, editing=found)
    form = EventForm()
    if request.form.get("add_aspect"):
        return with_another_row(form, made, found)
    checked = validate_all(form, lambda: creation.check_event(event_input(form)))
    if checked and (changes := attempt(
            lambda: editing.update_event(found, event_input(form), current_user), form=form)):
        _saved(changes.result, gettext("The event has been corrected."))
        return redirect(url_for("competitions.event", event_id=found.id))
    return form_page(form, made, 400, editing=found)
