from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainhub.core import policy
from trainhub.core.accounts.models import User
from trainhub.core.regions import region_names
from trainhub.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@policy.permission("users.manage")
def users() -> str:
    rows = db.session.scalars(
        select(User)
        .options(selectinload(User.institution), selectinload(User.enterprise))
        .order_by(User.role, User.username)
    ).all()
    return render_template("admin/users.html", users=rows, names=region_names())
