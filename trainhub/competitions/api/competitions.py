"""Competitions and events under /api/v1: the list and one competition (with its events and
delegations), a new competition of the token owner's federation, a new event with its
eligibility rules and marking scheme, one event, corrections of a competition and of an
event (the whole object, as on creation), and the close of registration with the draw of
stations and anonymous codes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from trainhub.competitions import creation, drawing, editing, loaders
from trainhub.competitions.api import READ, WRITE, Dumped, bp
from trainhub.competitions.api.inputs import CompetitionIn, CompetitionQuery, EventIn
from trainhub.competitions.api.outputs import CompetitionOut, CompetitionPage, EventOut
from trainhub.competitions.api.present import competition_out, event_out
from trainhub.competitions.creation import CompetitionInput, EventInput
from trainhub.competitions.models import Competition
from trainhub.competitions.schemes import AspectInput
from trainhub.core import policy
from trainhub.core.api import offset, page
from trainhub.core.errors import N_, DomainError
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

VIEW = "competitions.view"
ORGANISE = "competitions.organise"


@bp.get("/competitions")
@bp.input(CompetitionQuery, location="query", arg_name="query")
@bp.output(CompetitionPage)
@bp.doc(operation_id="listCompetitions",
        summary="Every competition, newest first (every city's officers register for "
                "them), with its events", **READ)
@policy.permission(VIEW)
def list_competitions(query: dict[str, Any]) -> dict[str, Any]:
    total = db.session.scalar(select(func.count()).select_from(Competition)) or 0
    rows = db.session.scalars(
        select(Competition).options(selectinload(Competition.events))
        .order_by(Competition.starts_on.desc(), Competition.id)
        .limit(query["per_page"]).offset(offset(query))).all()
    return page([competition_out(c) for c in rows], total, query)


@bp.get("/competitions/<int:competition_id>")
@bp.output(CompetitionOut)
@bp.doc(operation_id="getCompetition",
        summary="One competition with its events and delegations", **READ)
@policy.permission(VIEW)
def get_competition(competition_id: int) -> Dumped:
    made = loaders.competition(competition_id, VIEW)
    return competition_out(made, loaders.delegations_of(made))


@bp.post("/competitions")
@bp.input(CompetitionIn, location="json", arg_name="body")
@bp.output(CompetitionOut, status_code=201)
@bp.doc(operation_id="createCompetition",
        summary="A new competition of the token owner's federation (province, city or "
                "county): registration opens, then closes, before it starts", **WRITE)
@policy.permission(ORGANISE)
def create_competition(body: dict[str, Any]) -> Dumped:
    made = creation.create_competition(current_user.region_code,
                                       _competition_input(body), current_user)
    db.session.commit()
    return competition_out(loaders.competition(made.id, VIEW), [])


def _competition_input(body: dict[str, Any]) -> CompetitionInput:
    return CompetitionInput(
        name=body["name"], starts_on=body["starts_on"], ends_on=body["ends_on"],
        registration_opens=body["registration_opens"],
        registration_closes=body["registration_closes"], venue=body["venue"])


@bp.put("/competitions/<int:competition_id>")
@bp.input(CompetitionIn, location="json", arg_name="body")
@bp.output(CompetitionOut)
@bp.doc(operation_id="updateCompetition",
        summary="Correct a competition, sending the whole of it as on creation: its dates "
                "until it starts, its name and venue until it ends. The registration window "
                "no longer changes once an event is drawn or cancelled (409), and cannot "
                "close before today once entries have been made (400); a refusal changes "
                "nothing. Each change is audited with its old and new values", **WRITE)
@policy.permission(ORGANISE)
def update_competition(competition_id: int, body: dict[str, Any]) -> Dumped:
    made = loaders.competition(competition_id, ORGANISE)
    editing.update_competition(made, _competition_input(body), current_user, local_today())
    db.session.commit()
    return competition_out(loaders.competition(made.id, VIEW), loaders.delegations_of(made))


AWARD_TWICE = N_("Each award is given one share.")


def _event_input(body: dict[str, Any]) -> EventInput:
    ratio = body["award_rule"] == "ratio"
    awards = [share["award"] for share in body["award_ratios"]]
    if len(awards) != len(set(awards)):  # the form has one field per award; a body may not
        raise DomainError(AWARD_TWICE)
    return EventInput(
        name=body["name"], occupation=body["occupation"], team_size=body["team_size"],
        quota=body["quota"], categories=tuple(body["categories"]),
        grades=tuple(body["grades"]), age_reference_date=body["age_reference_date"],
        aspects=tuple(AspectInput(code=a["code"].strip(), title=a["title"], kind=a["kind"],
                                  scale=a["scale"], max_mark=Decimal(a["max_mark"]),
                                  step=Decimal(a["step"])) for a in body["aspects"]),
        exclude_title_holders=body["exclude_title_holders"], award_rule=body["award_rule"],
        award_ratios=tuple((s["award"], Decimal(s["percent"])) for s in body["award_ratios"])
        if ratio else ())


@bp.post("/competitions/<int:competition_id>/events")
@bp.input(EventIn, location="json", arg_name="body")
@bp.output(EventOut, status_code=201)
@bp.doc(operation_id="createCompetitionEvent",
        summary="A new event (项目) with its eligibility rules and marking scheme; a scheme "
                "the services refuse (a maximum not a multiple of the step, a code used "
                "twice…) is a 400 naming the aspect", **WRITE)
@policy.permission(ORGANISE)
def create_event(competition_id: int, body: dict[str, Any]) -> Dumped:
    made = loaders.competition(competition_id, ORGANISE)
    added = creation.add_event(made, _event_input(body))
    db.session.commit()
    return event_out(loaders.event(added.id, VIEW))


@bp.put("/competitions/events/<int:event_id>")
@bp.input(EventIn, location="json", arg_name="body")
@bp.output(EventOut)
@bp.doc(operation_id="updateCompetitionEvent",
        summary="Correct an event while it is open (neither drawn nor cancelled: 409 "
                "after), sending the whole of it as on creation; the scheme is replaced when "
                "it differs. The quota cannot go below the entries a delegation already has, "
                "the team size no longer changes once an entry exists (409), and new "
                "eligibility rules must still admit every registered or confirmed entry "
                "(400 naming how many and why: refuse them first); a refusal changes nothing. "
                "Each change is audited with its old and new values", **WRITE)
@policy.permission(ORGANISE)
def update_event(event_id: int, body: dict[str, Any]) -> Dumped:
    found = loaders.event(event_id, ORGANISE)
    editing.update_event(found, _event_input(body), current_user)
    db.session.commit()
    return event_out(loaders.event(event_id, VIEW))


@bp.get("/competitions/events/<int:event_id>")
@bp.output(EventOut)
@bp.doc(operation_id="getCompetitionEvent",
        summary="One event: its scheme, eligibility rules (with the age limits in force on "
                "the reference date), status and entries counted by status", **READ)
@policy.permission(VIEW)
def get_event(event_id: int) -> Dumped:
    return event_out(loaders.event(event_id, VIEW))


@bp.post("/competitions/events/<int:event_id>/draw")
@bp.output(EventOut)
@bp.doc(operation_id="drawCompetitionEvent",
        summary="Close registration and draw (after the window): an event with fewer "
                "confirmed entries than the minimum is cancelled (status cancelled, with "
                "the note its entrants read); otherwise stations (工位号) and anonymous codes "
                "(加密号) are drawn from a recorded seed", **WRITE)
@policy.permission(ORGANISE)
def draw_event(event_id: int) -> Dumped:
    found = loaders.event(event_id, ORGANISE)
    drawing.draw(found, current_user, local_today())
    db.session.commit()
    return event_out(loaders.event(event_id, VIEW))
