"""The security administrator's pages: who holds which role, and the security parameters.

Routes on the admin blueprint (/admin/...); each page opens to the security administrator
only (policy: security.roles, security.settings).
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import IntegerField
from wtforms.validators import InputRequired

from trainhub.core import policy
from trainhub.core.accounts import roles, security_settings
from trainhub.core.accounts.models import Role, User
from trainhub.core.accounts.services import settings_from
from trainhub.core.admin import audit_labels  # noqa: F401 - names of the codes recorded here
from trainhub.core.admin.views import bp
from trainhub.core.errors import N_, NotFound
from trainhub.core.forms import BaseForm, attempt
from trainhub.extensions import db


@bp.get("/roles", endpoint="roles")
@policy.permission("security.roles")
def roles_page() -> str:
    rows = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("admin/roles.html", users=rows,
                           assignable=roles.assignable_roles(current_user),
                           unscoped=roles.UNSCOPED)


@bp.post("/users/<int:user_id>/role")
@policy.permission("security.roles")
def change_role(user_id: int) -> ResponseReturnValue:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("The page or record was not found, or it is outside your scope.")
    try:
        new_role = Role(request.form.get("role", ""))
    except ValueError:
        flash(gettext("Choose a role."), "error")
        return redirect(url_for("admin.roles")), 303
    attempt(lambda: roles.change_role(user, new_role, by=current_user),
            N_("The role has been changed. The account's sessions and API tokens have ended."))
    return redirect(url_for("admin.roles")), 303


class SecuritySettingsForm(BaseForm):
    """One whole-number field per parameter (security_settings.KNOBS)."""


for _knob in security_settings.KNOBS:
    setattr(SecuritySettingsForm, _knob.key, IntegerField(
        _knob.label, validators=[InputRequired()],
        description=_l("From %(low)s to %(high)s.", low=_knob.low, high=_knob.high),
        render_kw={"inputmode": "numeric", "min": _knob.low, "max": _knob.high}))


@bp.route("/security", methods=["GET", "POST"], endpoint="security_settings")
@policy.permission("security.settings")
def security_settings_page() -> ResponseReturnValue:
    settings = settings_from(current_app.config)
    form = SecuritySettingsForm(data=security_settings.current_values(settings))
    if form.validate_on_submit():
        new = {knob.key: int(getattr(form, knob.key).data) for knob in security_settings.KNOBS}
        done = attempt(lambda: security_settings.update_values(new, settings, current_user),
                       N_("The security settings have been saved."), form=form)
        if done:
            return redirect(url_for("admin.security_settings")), 303
    status = 400 if request.method == "POST" else 200
    return render_template("admin/security_settings.html", form=form,
                           knobs=security_settings.KNOBS), status
