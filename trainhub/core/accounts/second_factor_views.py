"""The second sign-in step, TOTP enrolment (during sign-in for a required role, or from the
account page), turning an optional factor off, and an administrator's reset.

Routes on the accounts blueprint. The two sign-in pages are public but serve only a browser
whose password was accepted moments ago (signin_flow.pending_user); anyone else is sent to
the sign-in page."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from trainhub.core import policy
from trainhub.core.accounts import remember, signin_flow, totp
from trainhub.core.accounts.factor_models import SecondFactor
from trainhub.core.accounts.models import User
from trainhub.core.accounts.second_factor_forms import (
    CodeForm,
    EnrolForm,
    RecoveryForm,
    ResetSecondFactorForm,
)
from trainhub.core.accounts.views import bp
from trainhub.core.audit.labels import register
from trainhub.core.errors import DomainError, NotFound
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db, limiter

register(group=_l("Accounts and sign-in"), actions={
    "auth.second_factor": _l("Second sign-in step"),
    "auth.second_factor_enrol": _l("Authenticator app set up"),
    "auth.second_factor_lockout": _l("Second step locked after wrong codes"),
    "auth.second_factor_reset": _l("Authenticator app reset by an administrator"),
    "auth.second_factor_disable": _l("Authenticator app turned off"),
    "auth.recovery_codes_regenerate": _l("New recovery codes made"),
})

WRONG_CODE = _l("The code is not correct.")


def _code_limit() -> str:
    return str(current_app.config.get("SECOND_FACTOR_RATE_LIMIT", "10 per minute"))


def _hash_costs() -> tuple[int, int]:
    config = current_app.config
    return config.get("ARGON2_TIME_COST", 3), config.get("ARGON2_MEMORY_COST", 65536)


def _back_to_login() -> Response:
    session.pop(signin_flow.PENDING, None)
    flash(gettext("Please sign in again."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_code_limit, methods=["POST"])
@policy.public
def second_step() -> ResponseReturnValue:
    user = signin_flow.pending_user()
    factor = totp.confirmed_factor(user) if user is not None else None
    if user is None or factor is None:
        return _back_to_login()
    use_recovery = "recovery_code" in request.form
    posted = request.method == "POST"
    code_form = CodeForm(formdata=request.form if posted and not use_recovery else None)
    recovery_form = RecoveryForm(formdata=request.form if posted and use_recovery else None)
    form = recovery_form if use_recovery else code_form
    if posted and form.validate():
        code = (recovery_form.recovery_code.data if use_recovery else code_form.code.data) or ""
        try:
            passed = totp.check(user, factor, code, utcnow(), recovery=use_recovery)
        except totp.SecondFactorLocked as locked:
            db.session.commit()
            session.pop(signin_flow.PENDING, None)
            flash(gettext(locked.message), "error")
            return redirect(url_for("accounts.login"))
        if passed:
            response = signin_flow.complete(user, signin_flow.pending_next())
            if not use_recovery and code_form.remember.data:
                remember.remember(response, user, factor)
            return response
        db.session.commit()  # the failure's count and audit row
        field = recovery_form.recovery_code if use_recovery else code_form.code
        field.errors = [str(WRONG_CODE)]
    status = 400 if posted else 200
    return render_template("accounts/second_step.html", form=code_form,
                           recovery_form=recovery_form), status


def _qr(user: User, factor: SecondFactor) -> Markup:
    import segno

    uri = totp.provisioning_uri(user, factor)
    title = gettext("QR code to scan with your authenticator app")
    # segno escapes the title; the rest is its own markup, with no user text in it
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, title=title))  # noqa: S704


def _enrolment(user: User, cancel_url: str) -> ResponseReturnValue | list[str]:
    """The enrolment page, or the new recovery codes once the first code is confirmed."""
    factor = totp.start_enrolment(user)
    db.session.commit()  # the secret stays the same if the page is loaded again
    form = EnrolForm()
    status = 200
    if form.validate_on_submit():
        try:
            return totp.confirm_enrolment(user, factor, form.code.data or "", utcnow(),
                                          _hash_costs())
        except DomainError as error:
            db.session.commit()  # the failed attempt's audit row
            form.code.errors = [gettext(error.message)]
    if request.method == "POST":
        status = 400
    secret = " ".join(factor.secret[i:i + 4] for i in range(0, len(factor.secret), 4))
    return render_template("accounts/enrol_totp.html", form=form, qr=_qr(user, factor),
                           secret=secret, required=totp.required_for(user),
                           cancel_url=cancel_url), status


@bp.route("/login/enrol", methods=["GET", "POST"])
@limiter.limit(_code_limit, methods=["POST"])
@policy.public
def enrol_pending() -> ResponseReturnValue:
    user = signin_flow.pending_user()
    if user is None:
        return _back_to_login()
    if totp.confirmed_factor(user) is not None:
        return redirect(url_for("accounts.second_step"))
    target = signin_flow.pending_next()
    result = _enrolment(user, url_for("accounts.login"))
    if not isinstance(result, list):
        return result
    signin_flow.open_session(user)  # commits the confirmation with the session
    return render_template("accounts/recovery_codes.html", codes=result, next_url=target)


@bp.route("/account/second-factor", methods=["GET", "POST"])
@limiter.limit(_code_limit, methods=["POST"])
@policy.signed_in
def second_factor() -> ResponseReturnValue:
    factor = totp.confirmed_factor(current_user)
    if factor is None:
        result = _enrolment(current_user, url_for("home.index"))
        if not isinstance(result, list):
            return result
        db.session.commit()
        return render_template("accounts/recovery_codes.html", codes=result,
                               next_url=url_for("accounts.second_factor"))
    return _factor_page(factor)


def _factor_page(factor: SecondFactor, form: EnrolForm | None = None,
                 regenerate_form: EnrolForm | None = None, status: int = 200
                 ) -> ResponseReturnValue:
    """The owner's page: the codes left, new codes, and (when optional) turning it off.
    Its two forms have their own field ids (the regeneration's carry a prefix)."""
    return render_template("accounts/second_factor.html", factor=factor,
                           required=totp.required_for(current_user),
                           remaining=totp.remaining_recovery_codes(current_user),
                           form=form or EnrolForm(formdata=None),
                           regenerate_form=regenerate_form or EnrolForm(
                               formdata=None, prefix=REGENERATE)), status


REGENERATE = "regenerate"


@bp.post("/account/second-factor/recovery-codes")
@limiter.limit(_code_limit)
@policy.signed_in
def regenerate_recovery_codes() -> ResponseReturnValue:
    factor = totp.confirmed_factor(current_user)
    if factor is None:
        return redirect(url_for("accounts.second_factor"))
    form = EnrolForm(prefix=REGENERATE)
    if form.validate_on_submit():
        try:
            codes = totp.regenerate_recovery_codes(current_user, factor, form.code.data or "",
                                                   utcnow(), _hash_costs())
        except DomainError as error:
            db.session.commit()  # the failed attempt's audit row
            form.code.errors = [gettext(error.message)]
        else:
            db.session.commit()
            return render_template("accounts/recovery_codes.html", codes=codes,
                                   next_url=url_for("accounts.second_factor"))
    return _factor_page(factor, regenerate_form=form, status=400)


@bp.post("/account/second-factor/disable")
@limiter.limit(_code_limit)
@policy.signed_in
def disable_second_factor() -> ResponseReturnValue:
    factor = totp.confirmed_factor(current_user)
    if factor is None:
        return redirect(url_for("accounts.second_factor"))
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            totp.disable(current_user, factor, form.code.data or "", utcnow())
        except DomainError as error:
            db.session.commit()  # the failed attempt's audit row
            form.code.errors = [gettext(error.message)]
        else:
            db.session.commit()
            flash(gettext("The authenticator app is turned off."), "success")
            return redirect(url_for("accounts.second_factor"))
    return _factor_page(factor, form=form, status=400)


@bp.route("/admin/users/<int:user_id>/second-factor", methods=["GET", "POST"])
@policy.permission("users.manage")
def reset_second_factor(user_id: int) -> ResponseReturnValue:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("The page or record was not found, or it is outside your scope.")
    policy.require(current_user, "users.manage", user)
    form = ResetSecondFactorForm()
    status = 200
    if form.validate_on_submit():
        try:
            totp.reset(user, by=current_user, reason=form.reason.data or "")
        except DomainError as error:
            db.session.rollback()
            form.reason.errors = [gettext(error.message)]
            status = 400
        else:
            db.session.commit()
            flash(gettext("The authenticator app of %(username)s has been reset.",
                          username=user.username), "success")
            return redirect(url_for("admin.users"))
    elif request.method == "POST":
        status = 400
    return render_template("accounts/reset_second_factor.html", form=form, user=user,
                           enrolled=totp.factor_of(user) is not None), status
