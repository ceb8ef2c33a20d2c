"""The home page of each role; later modules add their own panels."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from trainhub.core import policy
from trainhub.core.accounts.models import Role
from trainhub.core.people.models import Person
from trainhub.core.people.services import visible_people
from trainhub.core.regions import Region, region_names
from trainhub.extensions import db

bp = Blueprint("home", __name__)


@bp.get("/")
@policy.signed_in
def index() -> str:
    role = current_user.role_enum
    context: dict[str, object] = {"role": role, "names": region_names()}
    if role == Role.FEDERATION_OFFICER:
        context["people_count"] = db.session.scalar(
            select(func.count()).select_from(visible_people(current_user).subquery())
        )
        context["subregions"] = db.session.scalars(
            select(Region).where(Region.parent_code == current_user.region_code)
            .order_by(Region.code)
        ).all()
        context["keeps_judges"] = policy.may(current_user, "competitions.judges")
    if role == Role.TRAINEE:
        context["person"] = db.session.get(Person, current_user.person_id)
    template = "judge" if role in (Role.JUDGE, Role.CHIEF_JUDGE) else role.value
    return render_template(f"home/{template}.html", **context)
