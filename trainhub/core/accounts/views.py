"""Sign in, sign out, change password, manage API tokens."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from trainhub.core import policy
from trainhub.core.accounts import services, signin_flow
from trainhub.core.accounts.credentials import TOKEN_END_LABELS
from trainhub.core.accounts.forms import ChangePasswordForm, LoginForm, TokenForm
from trainhub.core.accounts.models import ApiToken
from trainhub.core.errors import DomainError, NotFound
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db, limiter

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@policy.public
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        settings = services.settings_from(current_app.config)
        try:  # not attempt(): a failed sign-in commits its count and audit row, answers 401
            user = services.authenticate(form.username.data or "", form.password.data or "",
                                         settings, g.client_address)
        except services.LoginFailed as failure:
            db.session.commit()  # the failure count and its audit row must persist
            flash(gettext(failure.message), "error")
            status = 401
        else:  # the session opens now, or after the second step
            return signin_flow.after_password(user, request.args.get("next"))
    elif request.method == "POST":
        status = 400
    if request.args.get("expired"):
        flash(gettext("Your session has expired. Please sign in again."), "info")
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@policy.signed_in
def logout() -> Response:
    row = g.get("user_session")
    if row is not None:
        services.end_session(row)
        db.session.commit()
    session.clear()
    flash(gettext("You have signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@policy.signed_in
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        settings = services.settings_from(current_app.config)
        try:  # not attempt(): a wrong current password commits its audit row
            services.change_password(current_user, form.current_password.data or "",
                                     form.new_password.data or "", settings,
                                     keep=g.get("user_session"))
        except DomainError as error:  # one answer: the current password, the new one
            found = error.each
            if all(isinstance(p, services.WeakPassword) for p in found):
                db.session.rollback()
            else:
                db.session.commit()  # keeps the audit row of the failed attempt
            for problem in found:
                if isinstance(problem, services.WeakPassword):
                    form.new_password.errors = [gettext(p) for p in problem.problems]
                else:
                    form.current_password.errors = [gettext(problem.message)]
            status = 400
        else:
            db.session.commit()
            flash(gettext("Your password has been changed. Other sessions were signed out."),
                  "success")
            return redirect(url_for("home.index"))
    elif request.method == "POST":
        status = 400
    must_change = services.password_expired(current_user,
                                            services.settings_from(current_app.config))
    return render_template("accounts/change_password.html", form=form,
                           must_change=must_change), status


@bp.route("/account/tokens", methods=["GET", "POST"])
@policy.permission("account.api_tokens")
def tokens() -> ResponseReturnValue:
    form = TokenForm()
    new_secret = None
    status = 200
    if form.validate_on_submit():
        _token, new_secret = services.issue_token(
            current_user, form.name.data or "", timedelta(days=form.lifetime_days.data or 0))
        db.session.commit()
        form = TokenForm(formdata=None)
    elif request.method == "POST":
        status = 400
    rows = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id)
        .order_by(ApiToken.created_at.desc())
    ).all()
    return render_template("accounts/tokens.html", form=form, tokens=rows,
                           new_secret=new_secret, now=utcnow(),
                           revoked_labels=TOKEN_END_LABELS), status


@bp.post("/account/tokens/<int:token_id>/revoke")
@policy.permission("account.api_tokens")
def revoke_token(token_id: int) -> Response:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("The token was not found.")
    policy.require(current_user, "account.api_tokens", token)
    services.revoke_token(token, by=current_user)
    db.session.commit()
    flash(gettext("The token has been revoked."), "success")
    return redirect(url_for("accounts.tokens"))


# The password reset's and contact details' pages are on this blueprint too; imported last,
# once `bp` exists (they import it).
from trainhub.core.accounts import contact_views, reset_views  # noqa: E402, F401, I001
