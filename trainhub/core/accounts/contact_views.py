"""/account/contact: the e-mail address and mobile number a password reset link may be sent
to, set by the account's holder after typing their current password (a session left open
must not be enough to redirect the account's resets elsewhere)."""

from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from trainhub.core import policy
from trainhub.core.accounts import contact, reset, services
from trainhub.core.accounts.passwords import verify_password
from trainhub.core.accounts.reset_forms import ContactForm
from trainhub.core.accounts.views import bp
from trainhub.core.audit.labels import register
from trainhub.core.audit.models import Outcome
from trainhub.core.audit.service import record
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db, limiter

register(group=_l("Accounts and sign-in"), actions={
    "account.contact_change": _l("Contact details for password reset changed"),
}, keys={"addresses": _l("Addresses changed")},
    values={"addresses": {"email": _l("E-mail address"), "phone": _l("Mobile number")}})


def _audit(outcome: Outcome = Outcome.SUCCESS, **details: object) -> None:
    record("account.contact_change", outcome=outcome, object_type="user",
           object_id=current_user.id, region_code=services.user_region(current_user),
           details=details)


@bp.route("/account/contact", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@policy.signed_in
def contact_details() -> ResponseReturnValue:
    saved = contact.contact_of(current_user)
    form = ContactForm(data={"email": saved.email if saved else "",
                             "phone": saved.phone if saved else ""})
    status = 200
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data or ""):
            _audit(Outcome.FAILURE, reason="bad_current_password")
            db.session.commit()
            form.current_password.errors = [gettext("The current password is incorrect.")]
            status = 400
        else:
            changed = contact.set_contact(current_user, (form.email.data or "").strip(),
                                          form.phone.data or "")
            if changed:  # a link already sent may have gone to the old address
                reset.end_live_tokens(current_user, "contact_change", utcnow())
                _audit(addresses=changed)
            db.session.commit()
            flash(gettext("Your contact details have been saved."), "success")
            return redirect(url_for("accounts.contact_details"))
    elif form.is_submitted():
        status = 400
    response = make_response(render_template("accounts/contact.html", form=form), status)
    response.headers["Cache-Control"] = "no-store"  # the page shows the addresses
    return response
