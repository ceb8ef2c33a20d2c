"""Organisers' pages: the list of competitions, a new competition, a competition's page with
its events, delegations and arbitration group (仲裁组)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from trainhub.competitions import arbitration, creation, loaders
from trainhub.competitions.forms import ArbitratorForm, CompetitionForm
from trainhub.competitions.models import Competition, Entry, Event
from trainhub.competitions.views import bp
from trainhub.core import policy
from trainhub.core.accounts.models import User
from trainhub.core.display import ROLE_LABELS
from trainhub.core.errors import N_, NotFound
from trainhub.core.forms import attempt, validate_all
from trainhub.core.regions import region_names
from trainhub.extensions import db

ORGANISE = "competitions.organise"


@bp.get("/")
@policy.permission("competitions.view")
def competition_list() -> str:
    return render_template("competitions/competitions.html", rows=loaders.competitions(),
                           names=region_names(),
                           may_create=policy.may(current_user, ORGANISE),
                           keeps_judges=policy.may(current_user, "competitions.judges"),
                           own_city=_own_city())


def _own_city() -> str | None:
    """The city whose delegation the user registers, if they are a city's officer."""
    return current_user.region_code if policy.may(current_user, "competitions.register") \
        else None


def competition_input(form: CompetitionForm) -> creation.CompetitionInput:
    return creation.CompetitionInput(
        name=form.name.data or "", starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        registration_opens=form.registration_opens.data,
        registration_closes=form.registration_closes.data, venue=form.venue.data or "")


@bp.route("/new", methods=["GET", "POST"])
@policy.permission(ORGANISE)
def new_competition() -> ResponseReturnValue:
    form = CompetitionForm()
    # The organising federation is the officer's own: province, city or county.
    checked = request.method == "POST" and validate_all(
        form, lambda: creation.check_competition(competition_input(form)))
    if checked and (made := attempt(
            lambda: creation.create_competition(current_user.region_code,
                                                competition_input(form), current_user),
            N_("The competition has been created. Add its events."), form=form)):
        return redirect(url_for("competitions.competition", competition_id=made.result.id))
    status = 400 if request.method == "POST" else 200
    return render_template("competitions/competition_form.html", form=form,
                           region=region_names().get(current_user.region_code, "")), status


def _entry_counts(made: Competition) -> dict[int, dict[str, int]]:
    """Per event, entries by status (one statement)."""
    counts: dict[int, dict[str, int]] = {}
    for event_id, status, n in db.session.execute(
            select(Entry.event_id, Entry.status, func.count())
            .join(Event, Event.id == Entry.event_id)
            .where(Event.competition_id == made.id).group_by(Entry.event_id, Entry.status)):
        counts.setdefault(event_id, {})[status] = int(n)
    return counts


def _arbitrator_form(made: Competition) -> ArbitratorForm:
    form = ArbitratorForm()
    names = region_names()
    form.user_id.choices = [
        SelectChoice(u.id, f"{u.display_name}（{ROLE_LABELS.get(u.role, u.role)}"
                           f"{'，' + names.get(u.region_code, '') if u.region_code else ''}）")
        for u in arbitration.candidates(made)]
    return form


@bp.get("/<int:competition_id>")
@policy.permission("competitions.view")
def competition(competition_id: int) -> str:
    return _page(loaders.competition(competition_id, "competitions.view"))


def _page(made: Competition, arbitrator_form: ArbitratorForm | None = None) -> str:
    """The competition's page; an arbitrator form refused on a POST is shown again with the
    choice made and its errors."""
    organiser = policy.may(current_user, ORGANISE, made)
    return render_template(
        "competitions/competition.html", competition=made, counts=_entry_counts(made),
        names=region_names(), organiser=organiser, own_city=_own_city(),
        keeps_judges=policy.may(current_user, "competitions.judges"),
        delegations=loaders.delegations_of(made),
        arbitrator_form=arbitrator_form or (_arbitrator_form(made) if organiser else None))


def _back(made: Competition) -> ResponseReturnValue:
    return redirect(url_for("competitions.competition", competition_id=made.id,
                            _anchor="arbitration"))


@bp.post("/<int:competition_id>/arbitrators")
@policy.permission(ORGANISE)
def add_arbitrator(competition_id: int) -> ResponseReturnValue:
    made = loaders.competition(competition_id, ORGANISE)
    form = _arbitrator_form(made)  # a name not offered is refused as not a valid choice
    if not form.validate_on_submit():
        return _page(made, arbitrator_form=form), 400
    member = db.session.get(User, form.user_id.data)
    if member is None:
        raise NotFound(loaders.NOT_FOUND)
    if not attempt(lambda: arbitration.add(made, member),
                   N_("%(name)s has joined the arbitration group."), form=form,
                   name=member.display_name):
        return _page(made, arbitrator_form=form), 400
    return _back(made)


@bp.post("/<int:competition_id>/arbitrators/<int:member_id>/remove")
@policy.permission(ORGANISE)
def remove_arbitrator(competition_id: int, member_id: int) -> ResponseReturnValue:
    made = loaders.competition(competition_id, ORGANISE)
    member = next((a for a in made.arbitrators if a.id == member_id), None)
    if member is None:
        raise NotFound(loaders.NOT_FOUND)
    name = member.user.display_name
    attempt(lambda: arbitration.remove(made, member),
            N_("%(name)s has left the arbitration group."), name=name)
    return _back(made)
