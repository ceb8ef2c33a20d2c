"""The home page of each role: what waits for the user, counted by each domain's `waiting`
module in a few aggregate statements (however many rows there are), each count linking to
the list it summarises; officers also see their region's key figures. A visitor who is not
signed in gets the public front door (trainhub.public) instead."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, select

from trainhub import public
from trainhub.bases import waiting as bases_waiting
from trainhub.bases.coverage import CityRow, CountyRow, Coverage, coverage
from trainhub.competitions import waiting as competitions_waiting
from trainhub.core import kept, policy
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import Role, User
from trainhub.core.audit import waiting as audit_waiting
from trainhub.core.people import versions as people_versions
from trainhub.core.people.models import Person
from trainhub.core.regions import region_names
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db
from trainhub.rewards import waiting as rewards_waiting
from trainhub.subsidies import waiting as subsidies_waiting
from trainhub.training import waiting as training_waiting

bp = Blueprint("home", __name__)

SESSION_TIMEOUTS = {"idle_timeout", "absolute_timeout"}


@bp.get("/")
@policy.public  # the front door for visitors; signed in, the same checks as @signed_in
def index() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        if g.get("session_end_reason") in SESSION_TIMEOUTS:
            # Their session has just ended: told so on the sign-in page, as on any other.
            return redirect(url_for("accounts.login", next=request.path, expired="1"))
        return public.front_door()
    if accounts.password_expired(current_user, accounts.settings_from(current_app.config)):
        return redirect(url_for("accounts.change_password"))
    role = current_user.role_enum
    context: dict[str, object] = {"role": role, "names": region_names()}
    if role == Role.FEDERATION_OFFICER:
        context.update(_officer(current_user))
    elif role == Role.INSTITUTION_STAFF:
        context.update(
            bases=bases_waiting.for_staff(current_user),
            training=training_waiting.for_staff(current_user, utcnow()),
            subsidies=subsidies_waiting.for_staff(current_user),
        )
    elif role == Role.ENTERPRISE_CONTACT:
        context["orders"] = training_waiting.for_enterprise(current_user)
        context["rewards"] = rewards_waiting.for_enterprise(current_user)
    elif role == Role.TRAINEE:
        person_id = current_user.person_id
        context.update(
            person=db.session.get(Person, person_id),
            training=training_waiting.for_trainee(person_id, utcnow()),
            subsidies=subsidies_waiting.for_trainee(person_id),
            competitions=competitions_waiting.for_trainee(person_id),
        )
    elif role in (Role.JUDGE, Role.CHIEF_JUDGE):
        context["judging"] = competitions_waiting.for_judge(current_user)
    elif role == Role.ADMIN:
        context["locked"] = (
            db.session.scalar(
                select(func.count()).select_from(User).where(User.locked_until > utcnow())
            )
            or 0
        )
    elif role == Role.AUDIT_ADMIN:
        context.update(
            audit=audit_waiting.state(current_user, local_today()), today=local_today().isoformat()
        )
    template = "judge" if role in (Role.JUDGE, Role.CHIEF_JUDGE) else role.value
    return render_template(f"home/{template}.html", **context)


@bp.get("/guide")
@policy.public
def guide() -> str:
    """The policy in plain words and a guide for each kind of user (办事指南)."""
    return public.guide()


def _officer(user: Any) -> dict[str, object]:
    # five figures kept under their region's versions (people, training twice, decisions
    # twice): one read of the versions serves them all
    with kept.read_together(user.region_code or ""):
        return _officer_figures(user)


def _officer_figures(user: Any) -> dict[str, object]:
    today = local_today()
    report = coverage(user.region_code, today, with_specialties=False)
    return {
        "people_count": people_versions.visible_count(user),
        "subregions": _subregions(report, user.region_code),
        "keeps_judges": policy.may(user, "competitions.judges"),
        "bases": bases_waiting.for_officer(user),
        "training": training_waiting.for_officer(user),
        "subsidies": subsidies_waiting.for_officer(user),
        "vouchers": subsidies_waiting.vouchers_of_region(user.region_code, today),
        "competitions": competitions_waiting.for_officer(user),
        "rewards": rewards_waiting.for_officer(user, today),
        "year": today.year,
        "coverage": report.totals,
        "trainees": training_waiting.trainees_in_year(user, today.year),
        "budgets": subsidies_waiting.budget_figures(user.region_code, today.year),
    }


def _subregions(report: Coverage, region_code: str) -> list[CityRow] | list[CountyRow]:
    """The regions directly under the officer's, read from the coverage report, which has
    just read every region of theirs: a province's cities, a city's counties, none under a
    county."""
    if len(region_code) == 2:
        return report.cities
    if len(region_code) == 4 and report.cities:
        return report.cities[0].counties
    return []
