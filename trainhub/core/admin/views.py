"""Account administration: list, create, reset a password, disable or enable, unlock."""

from __future__ import annotations

from datetime import datetime, time

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from trainhub.core import policy
from trainhub.core.accounts import management, roles
from trainhub.core.accounts.factor_models import SecondFactor
from trainhub.core.accounts.models import Role, User
from trainhub.core.accounts.services import settings_from
from trainhub.core.admin.forms import NewAccountForm
from trainhub.core.display import ROLE_LABELS
from trainhub.core.errors import NotFound
from trainhub.core.forms import attempt
from trainhub.core.organisations import Enterprise, Institution
from trainhub.core.people.services import find_person_by_number
from trainhub.core.regions import Region, region_names
from trainhub.core.timeutil import LOCAL_TZ, utcnow
from trainhub.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@policy.permission("users.manage")
def users() -> str:
    stmt = select(User)
    # ?locked=1: only the accounts locked now (the home page's count links here)
    locked = request.args.get("locked") == "1"
    if locked:
        stmt = stmt.where(User.locked_until > utcnow())
    rows = db.session.scalars(
        stmt.options(selectinload(User.institution), selectinload(User.enterprise))
        .order_by(User.role, User.username)
    ).all()
    manageable = {u.id for u in rows if policy.may(current_user, "users.manage", u)}
    # Accounts with an authenticator app, whose reset page the list links to.
    with_factor = set(db.session.scalars(select(SecondFactor.user_id)))
    return render_template("admin/users.html", users=rows, names=region_names(),
                           manageable=manageable, with_factor=with_factor, locked=locked)


def _fill_choices(form: NewAccountForm) -> None:
    blank = SelectChoice("", gettext("Choose…"))
    form.role.choices = [blank] + [SelectChoice(r.value, ROLE_LABELS[r.value])
                                   for r in roles.roles_given_by(current_user)]
    regions = db.session.scalars(select(Region).order_by(Region.code)).all()
    form.region_code.choices = [blank] + [
        SelectChoice(r.code, ("　" * (len(r.code) // 2 - 1)) + r.name) for r in regions
    ]
    form.institution_id.choices = [blank] + [
        SelectChoice(str(i.id), i.name)
        for i in db.session.scalars(select(Institution).order_by(Institution.name))
    ]
    form.enterprise_id.choices = [blank] + [
        SelectChoice(str(e.id), e.name)
        for e in db.session.scalars(select(Enterprise).order_by(Enterprise.name))
    ]


def _new_account(form: NewAccountForm) -> management.NewAccount:
    person = (find_person_by_number(form.person_number.data)
              if form.person_number.data else None)
    expires = form.expires_on.data
    return management.NewAccount(
        username=form.username.data or "",
        display_name=form.display_name.data or "",
        role=Role(form.role.data),
        region_code=form.region_code.data or None,
        institution_id=int(form.institution_id.data) if form.institution_id.data else None,
        enterprise_id=int(form.enterprise_id.data) if form.enterprise_id.data else None,
        person_id=person.id if person else None,
        expires_at=datetime.combine(expires, time.max, tzinfo=LOCAL_TZ) if expires else None,
    )


@bp.route("/users/new", methods=["GET", "POST"])
@policy.permission("users.manage")
def new_user() -> ResponseReturnValue:
    form = NewAccountForm()
    _fill_choices(form)
    if form.validate_on_submit():
        issued = attempt(lambda: management.create_account(
            _new_account(form), settings_from(current_app.config), by=current_user),
            form=form)
        if issued:
            user, password = issued.result
            return render_template("admin/password_issued.html", user=user, password=password)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/new_user.html", form=form), status


def _load(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("The page or record was not found, or it is outside your scope.")
    policy.require(current_user, "users.manage", user)
    return user


@bp.post("/users/<int:user_id>/reset-password")
@policy.permission("users.manage")
def reset_password(user_id: int) -> str:
    user = _load(user_id)
    password = management.reset_password(user, settings_from(current_app.config))
    db.session.commit()
    return render_template("admin/password_issued.html", user=user, password=password)


@bp.post("/users/<int:user_id>/active")
@policy.permission("users.manage")
def set_active(user_id: int) -> ResponseReturnValue:
    user = _load(user_id)
    management.set_active(user, request.form.get("active") == "1", by=current_user)
    db.session.commit()
    flash(gettext("The account has been updated."), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/unlock")
@policy.permission("users.manage")
def unlock(user_id: int) -> ResponseReturnValue:
    management.unlock(_load(user_id))
    db.session.commit()
    flash(gettext("The account has been unlocked."), "success")
    return redirect(url_for("admin.users"))


# The security administrator's pages are routes on this blueprint too.
from trainhub.core.admin import security_views  # noqa: E402,F401
