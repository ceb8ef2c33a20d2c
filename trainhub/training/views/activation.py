"""Staff of a batch hand an activation code to an enrolled person without an account."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from trainhub.core import policy
from trainhub.core.accounts import activation
from trainhub.core.accounts.claims import claim_settings_from
from trainhub.core.forms import attempt
from trainhub.core.timeutil import utcnow
from trainhub.training import accounts, loaders
from trainhub.training.views import bp


@bp.post("/enrolments/<int:enrolment_id>/activation-code")
@policy.permission("training.batches.run")
def issue_activation_code(enrolment_id: int) -> ResponseReturnValue:
    found = loaders.enrolment(enrolment_id, "training.batches.run")
    issued = attempt(lambda: accounts.issue_code(found, current_user,
                                                 claim_settings_from(current_app.config),
                                                 utcnow()))
    if not issued:
        return redirect(url_for("training.roster", batch_id=found.batch_id))
    row, code = issued.result
    # Shown in this response only (no redirect, nothing in the session): the page is for
    # signed-in staff, so it is sent with Cache-Control: no-store.
    return render_template("training/activation_code.html", enrolment=found,
                           code=activation.grouped(code), expires_at=row.expires_at,
                           spelled=", ".join(" ".join(group)
                                             for group in activation.grouped(code).split("-")),
                           activate_url=_public_url("accounts.activate"))


def _public_url(endpoint: str) -> str:
    """The address to write on the slip; PUBLIC_BASE_URL fixes the host in production, so a
    forged Host header cannot put another site's address on it."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return str(base).rstrip("/") + url_for(endpoint)
    return url_for(endpoint, _external=True)
