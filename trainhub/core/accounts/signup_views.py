"""Trainees open their own account: by registering (/register) or with an activation code
from their training institution (/activate). Both are public, throttled per address (every
attempt, and separately the failed identity checks), and sign the new trainee in."""

from __future__ import annotations

from typing import Any

from flask import (
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from trainhub.core import policy
from trainhub.core.accounts import activation, claims, registration, services
from trainhub.core.accounts.forms import ActivationForm, RegistrationForm
from trainhub.core.accounts.models import User
from trainhub.core.accounts.views import bp
from trainhub.core.errors import DomainError, Problems
from trainhub.core.i18n import translate
from trainhub.core.privacy import consent
from trainhub.core.regions import Region, RegionLevel, region_names
from trainhub.core.security import SESSION_KEY
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db, limiter

CLAIM_SCOPE = "identity-claims"


def _claim_failed(response: Any) -> bool:
    """Only failed identity checks count against the address's failure limit, not typos
    in a checksum or a weak password."""
    return bool(g.get("identity_claim_failed"))


def _every_attempt() -> str:
    return str(current_app.config["REGISTRATION_RATE_LIMIT"])


def _failed_claims() -> str:
    return str(current_app.config["IDENTITY_CLAIM_FAILURE_LIMIT"])


def county_choices() -> list[SelectChoice]:
    """Every county of Jiangxi, grouped by city (a screen reader announces the group)."""
    counties = db.session.scalars(
        select(Region).where(Region.code.startswith("36"),
                             Region.level == RegionLevel.COUNTY.value).order_by(Region.code)
    ).all()
    names = region_names()
    return [SelectChoice("", gettext("Choose…"))] + [
        SelectChoice(c.code, c.name, optgroup=names.get(c.code[:4])) for c in counties]


def _sign_in(user: User) -> Response:
    session.clear()  # a fresh session on sign-in (no fixation)
    session[SESSION_KEY] = services.start_session(user, g.client_address)
    db.session.commit()
    flash(gettext("Welcome, %(name)s. Your account is ready, and you are signed in.",
                  name=user.display_name), "success")
    return redirect(url_for("home.index"))


def _attempt(form: FlaskForm, attempt: Any) -> tuple[User | None, dict[str, Any], int]:
    """Run the service; on a refusal, keep its audit row and put the message where the
    person will find it (the field, or above the form)."""
    try:  # not core.forms.attempt(): most refusals commit their audit row, some answer 409
        return attempt(), {}, 200
    except (claims.FieldProblem, Problems) as found:  # fields to correct, one or several
        db.session.rollback()
        for problem in found.each:
            field = getattr(form, problem.field or "")
            field.errors = [*field.errors, *(gettext(m) for m in getattr(
                problem, "messages", [problem.message]))]
        return None, {}, 400
    except claims.ClaimRefused as refusal:
        db.session.commit()  # the audit row is the attempt counter
        g.identity_claim_failed = True
        return None, {"problem": gettext(refusal.message)}, 400
    except claims.AlreadyHasAccount as known:
        db.session.commit()
        return None, {"problem": gettext(known.message), "has_account": True}, 409
    except activation.CodeNoLongerValid as spent:
        db.session.commit()
        return None, {"problem": gettext(spent.message)}, 400
    except DomainError as error:  # a clash with a request at the same moment
        db.session.rollback()
        return None, {"problem": translate(error.message, **error.params)}, error.status_code


def _guardian(form: Any) -> consent.Guardian | None:
    return consent.guardian_from(form.guardian_name.data, form.guardian_relation.data)


def _page(template: str, form: FlaskForm, status: int, **context: Any) -> Response:
    response = make_response(render_template(template, form=form, **context), status)
    # The form comes back with the ID number typed in it: never keep it in a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_every_attempt, methods=["POST"])
@limiter.shared_limit(_failed_claims, scope=CLAIM_SCOPE, methods=["POST"],
                      deduct_when=_claim_failed)
@policy.public
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegistrationForm()
    form.household_region_code.choices = county_choices()
    context: dict[str, Any] = {}
    status = 200
    if form.validate_on_submit():
        data = registration.RegistrationInput(
            name=form.name.data or "", id_number=form.id_number.data or "",
            cert_number=form.cert_number.data or "",
            household_region_code=form.household_region_code.data or "",
            username=form.username.data or "", password=form.password.data or "",
            consented=bool(form.consent.data), guardian=_guardian(form))
        config = current_app.config
        user, context, status = _attempt(form, lambda: registration.register(
            data, services.settings_from(config), claims.claim_settings_from(config),
            local_today(), utcnow()))
        if user is not None:
            return _sign_in(user)
    elif form.is_submitted():
        status = 400
    return _page("accounts/register.html", form, status, **context)


@bp.route("/activate", methods=["GET", "POST"])
@limiter.limit(_every_attempt, methods=["POST"])
@limiter.shared_limit(_failed_claims, scope=CLAIM_SCOPE, methods=["POST"],
                      deduct_when=_claim_failed)
@policy.public
def activate() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = ActivationForm()
    context: dict[str, Any] = {}
    status = 200
    if form.validate_on_submit():
        data = activation.ActivationInput(
            code=form.code.data or "", id_number=form.id_number.data or "",
            username=form.username.data or "", password=form.password.data or "",
            consented=bool(form.consent.data), guardian=_guardian(form))
        config = current_app.config
        user, context, status = _attempt(form, lambda: activation.activate(
            data, services.settings_from(config), claims.claim_settings_from(config),
            local_today(), utcnow()))
        if user is not None:
            return _sign_in(user)
    elif form.is_submitted():
        status = 400
    return _page("accounts/activate.html", form, status, **context)
