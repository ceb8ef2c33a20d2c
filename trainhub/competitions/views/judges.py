"""Judges for organisers: the registry (judge and chief-judge accounts with their home city,
institution and specialties), assignment to events with one chief judge each, and the
conflicts of interest (回避): per judge, the entries they must not mark and why. This page is
the organiser's; judges never see contestants' names."""

from __future__ import annotations

import re
from collections.abc import Sequence

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from trainhub.competitions import judging, loaders
from trainhub.competitions.catalog import EntryStatus
from trainhub.competitions.forms import AssignForm, JudgeForm
from trainhub.competitions.models import Entry, Event, Judge
from trainhub.competitions.views import bp
from trainhub.core import policy
from trainhub.core.accounts.models import User
from trainhub.core.errors import N_, NotFound
from trainhub.core.forms import attempt
from trainhub.core.organisations import Institution
from trainhub.core.regions import region_names
from trainhub.extensions import db

ORGANISE = "competitions.organise"
REGISTRY = "competitions.judges"
SPECIALTY_SEPARATORS = re.compile(r"[,，、;；\n]+")


def _judge_form() -> JudgeForm:
    form = JudgeForm()
    unregistered = db.session.scalars(
        select(User).where(User.role.in_([r.value for r in judging.JUDGE_ROLES]),
                           User.id.not_in(select(Judge.user_id)))
        .order_by(User.display_name)).all()
    form.user_id.choices = [SelectChoice(u.id, f"{u.display_name}（{u.username}）")
                            for u in unregistered]
    form.home_city.choices = [SelectChoice(c.code, c.name) for c in loaders.cities()]
    form.institution_id.choices = [SelectChoice("", gettext("None")), *(
        SelectChoice(str(i.id), i.name)
        for i in db.session.scalars(select(Institution).order_by(Institution.name)))]
    return form


def _registry(form: JudgeForm, status: int = 200) -> ResponseReturnValue:
    found = loaders.judges()
    institutions = {i.id: i.name for i in db.session.scalars(select(Institution).where(
        Institution.id.in_({j.institution_id for j in found if j.institution_id})))}
    return render_template("competitions/judges.html", judges=found, form=form,
                           names=region_names(), institutions=institutions), status


@bp.get("/judges")
@policy.permission(REGISTRY)
def judges() -> ResponseReturnValue:
    return _registry(_judge_form())


@bp.post("/judges")
@policy.permission(REGISTRY)
def register_judge() -> ResponseReturnValue:
    form = _judge_form()
    if form.validate_on_submit():
        account = db.session.get(User, form.user_id.data)
        if account is None:
            raise NotFound(loaders.NOT_FOUND)
        specialties = [s.strip() for s in SPECIALTY_SEPARATORS.split(form.specialties.data or "")
                       if s.strip()]
        if attempt(lambda: judging.register_judge(
                account, form.name.data or "", form.home_city.data or "",
                int(form.institution_id.data) if form.institution_id.data else None,
                specialties),
                N_("%(name)s is in the judges' registry."), form=form, name=form.name.data):
            return redirect(url_for("competitions.judges"))
    return _registry(form, 400)


def _assign_form(event: Event) -> AssignForm:
    form = AssignForm()
    assigned = {a.judge_id for a in event.assignments}
    names = region_names()
    form.judge_id.choices = [SelectChoice(j.id, f"{j.name}（{names.get(j.home_region_code, '')}）")
                             for j in loaders.judges() if j.id not in assigned]
    return form


def _conflicts(event: Event, found: judging.Conflicts) -> dict[int, list[tuple[Entry, str]]]:
    """Per judge, the confirmed entries they must not mark, with the reason's msgid."""
    entries = {e.id: e for e in event.entries if e.status == EntryStatus.CONFIRMED}
    by_judge: dict[int, list[tuple[Entry, str]]] = {}
    for (judge_id, entry_id), reason in found.reasons.items():
        by_judge.setdefault(judge_id, []).append((entries[entry_id], reason))
    return by_judge


def _marking_counts(event: Event, found: judging.Conflicts) -> dict[int, int]:
    """How many confirmed entries each (non-chief) judge marks."""
    counts: dict[int, int] = {}
    for judge_ids in judging.judges_by_entry(event, found).values():
        for judge_id in judge_ids:
            counts[judge_id] = counts.get(judge_id, 0) + 1
    return counts


def _event_page(event: Event, form: AssignForm, status: int = 200) -> ResponseReturnValue:
    confirmed: Sequence[Entry] = [e for e in event.entries
                                  if e.status == EntryStatus.CONFIRMED]
    found = judging.conflicts(event)
    return render_template(
        "competitions/event_judges.html", event=event, competition=event.competition,
        form=form, conflicts=_conflicts(event, found), marking=_marking_counts(event, found),
        confirmed=confirmed, names=region_names(),
        keeps_judges=policy.may(current_user, REGISTRY)), status


@bp.get("/events/<int:event_id>/judges")
@policy.permission(ORGANISE)
def event_judges(event_id: int) -> ResponseReturnValue:
    found = loaders.event(event_id, ORGANISE)
    return _event_page(found, _assign_form(found))


@bp.post("/events/<int:event_id>/judges")
@policy.permission(ORGANISE)
def assign_judge(event_id: int) -> ResponseReturnValue:
    found = loaders.event(event_id, ORGANISE)
    form = _assign_form(found)
    if not form.validate_on_submit():
        return _event_page(found, form, 400)  # the page again, with the choice made
    judge = db.session.get(Judge, form.judge_id.data)
    if judge is None:
        raise NotFound(loaders.NOT_FOUND)
    if not attempt(lambda: judging.assign(found, judge, bool(form.chief.data)),
                   N_("%(name)s is assigned to the event."), form=form, name=judge.name):
        return _event_page(found, form, 400)
    return redirect(url_for("competitions.event_judges", event_id=found.id))


@bp.post("/events/<int:event_id>/judges/<int:assignment_id>/remove")
@policy.permission(ORGANISE)
def unassign_judge(event_id: int, assignment_id: int) -> ResponseReturnValue:
    found = loaders.event(event_id, ORGANISE)
    assignment = next((a for a in found.assignments if a.id == assignment_id), None)
    if assignment is None:
        raise NotFound(loaders.NOT_FOUND)
    name = assignment.judge.name
    attempt(lambda: judging.unassign(found, assignment),
            N_("%(name)s is no longer assigned to the event."), name=name)
    return redirect(url_for("competitions.event_judges", event_id=found.id))
