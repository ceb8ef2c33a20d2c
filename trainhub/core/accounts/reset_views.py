"""Pages of the self-service password reset and of the account's contact details.

Routes on the accounts blueprint: /password/forgot (ask for a link), /password/reset/<token>
(the link: the token goes into the signed session and the browser on to a page without it,
so it leaves no trace in the Referer or the address bar), /password/reset (choose the new
password), /account/contact (the addresses a link may be sent to)."""

from __future__ import annotations

import time

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from trainhub.core import policy
from trainhub.core.accounts import reset, services, signin_flow
from trainhub.core.accounts.reset_forms import CHANNEL_LABELS, ForgotPasswordForm, ResetPasswordForm
from trainhub.core.accounts.views import bp
from trainhub.core.errors import N_
from trainhub.core.outbox import delivery, senders
from trainhub.core.outbox.models import Channel
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db, limiter

SESSION_TOKEN = "password_reset_token"  # noqa: S105 - a session key, not a secret
SENT = N_("If an account with this username has an address of this kind, a message with a "
          "link is on its way. The link works once, for 30 minutes.")


def _per_address() -> str:
    return str(current_app.config["PASSWORD_RESET_RATE_LIMIT"])


def _per_account() -> str:
    return str(current_app.config["PASSWORD_RESET_ACCOUNT_RATE_LIMIT"])


def _account_key() -> str:
    """Counted per account name asked for, whatever the address asking (and whether or not
    the account exists, so the 429 tells nothing either)."""
    return "password-reset:" + (request.form.get("username") or "").strip().lower()[:64]


def _link_for(token: str) -> str:
    path = url_for("accounts.reset_link", token=token)
    base = current_app.config.get("PUBLIC_BASE_URL")
    return str(base).rstrip("/") + path if base else url_for(
        "accounts.reset_link", token=token, _external=True)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _wait_until(started: float) -> None:
    """Every answer to a request takes the same minimum time: the work done for an account
    that exists (a token, a message, a job) must not show in the timing."""
    floor = float(current_app.config.get("PASSWORD_RESET_ANSWER_SECONDS") or 0)
    remaining = floor - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_per_address, methods=["POST"])
@limiter.limit(_per_account, key_func=_account_key, methods=["POST"])
@policy.public
def forgot_password() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.change_password"))
    available = senders.channels(current_app.config)
    form = ForgotPasswordForm()
    form.channel.choices = [(c.value, CHANNEL_LABELS[c.value]) for c in available]
    if available and not form.channel.data:
        form.channel.data = available[0].value
    status = 200
    if available and form.validate_on_submit():
        started = time.monotonic()
        message_id = reset.request_reset(
            form.username.data or "", Channel(form.channel.data),
            _link_for, reset.settings_from(current_app.config), utcnow())
        db.session.commit()
        flash(gettext(SENT), "info")
        response = redirect(url_for("accounts.login"))
        if message_id is not None:
            delivery.schedule(message_id, response)
        _wait_until(started)
        return response
    if form.is_submitted():
        status = 400
    return _no_store(make_response(render_template(
        "accounts/forgot_password.html", form=form, available=available), status))


@bp.get("/password/reset/<token>")
@policy.public
def reset_link(token: str) -> Response:
    session[SESSION_TOKEN] = token[:100]
    return redirect(url_for("accounts.reset_password"))


def _dead_link(message: str) -> Response:
    session.pop(SESSION_TOKEN, None)
    return _no_store(make_response(render_template(
        "accounts/reset_link_invalid.html", message=message), 400))


@bp.route("/password/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@policy.public
def reset_password() -> ResponseReturnValue:
    token = str(session.get(SESSION_TOKEN) or "")
    try:
        row = reset.live_token(token, utcnow())
    except reset.LinkNotValid as dead:
        db.session.commit()  # the refusal's audit row
        return _dead_link(gettext(dead.message))
    username = row.user.username
    form = ResetPasswordForm()
    status = 200
    if form.validate_on_submit():
        done = _complete(token, form)
        if isinstance(done, Response):
            return done
        status = 400
    elif form.is_submitted():
        status = 400
    return _no_store(make_response(render_template(
        "accounts/reset_password.html", form=form, username=username), status))


def _complete(token: str, form: ResetPasswordForm) -> Response | None:
    """Reset, and go on as after a password at sign-in: the second step still applies."""
    settings = services.settings_from(current_app.config)
    now = utcnow()
    try:
        user = reset.complete_reset(token, form.new_password.data or "", settings, now)
    except reset.LinkNotValid as dead:
        db.session.commit()
        return _dead_link(gettext(dead.message))
    except services.WeakPassword as weak:
        db.session.rollback()
        reset.refused_password(reset.live_token(token, now).user)
        db.session.commit()
        form.new_password.errors = [gettext(p) for p in weak.problems]
        return None
    db.session.commit()
    response = signin_flow.after_password(user, None)  # clears the session, token and all
    flash(gettext("Your password has been reset. Your other sessions and API tokens have "
                  "been ended."), "success")
    return response

