"""A new version of the notice asks for consent again (PIPL Art. 14: a change of the
purpose or the way of processing needs new consent). A signed-in trainee whose consent in
force names an older version is shown the new notice once per sign-in, before the page
they asked for: agreeing records consent to the new version; "not now" keeps the older
consent as it was and lets them continue (asked again at the next sign-in)."""

from __future__ import annotations

from flask import Flask, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from trainhub.core import policy
from trainhub.core.accounts.models import Role
from trainhub.core.errors import N_
from trainhub.core.forms import BaseForm, attempt
from trainhub.core.privacy import consent, notice
from trainhub.core.privacy import rules as _rules  # noqa: F401 - privacy.own, named below
from trainhub.core.privacy.forms import GuardianFields, consent_field
from trainhub.core.privacy.models import Method
from trainhub.core.privacy.views import _person, bp
from trainhub.core.redirects import safe_target
from trainhub.core.timeutil import local_today

# The notice version the trainee was asked about (or found agreed to) in this session.
SESSION_KEY = "privacy_notice_seen"
# Pages reachable without answering: the question itself, one's own data and consents,
# and leaving.
EXEMPT = frozenset(
    {
        "privacy.renew",
        "privacy.mine",
        "privacy.give",
        "privacy.withdraw",
        "privacy.copy_json",
        "privacy.copy_summary",
        "accounts.logout",
        "accounts.login",
        "static",
    }
)


class RenewForm(BaseForm, GuardianFields):
    consent = consent_field()


def _asks(version: str) -> bool:
    """Whether the signed-in trainee is to be asked about `version` now (one read of their
    consent per session, then the session remembers)."""
    if (
        not current_user.is_authenticated
        or current_user.role != Role.TRAINEE
        or current_user.person_id is None
        or session.get(SESSION_KEY) == version
    ):
        return False
    found = consent.active(current_user.person_id)
    if found is None or found.notice_version == version:
        session[SESSION_KEY] = version  # nothing to ask: none in force, or this one
        return False
    return True


def _ask_before_continuing() -> ResponseReturnValue | None:
    if (
        request.method != "GET"
        or request.endpoint is None
        or request.endpoint in EXEMPT
        or request.blueprint == "api"
    ):
        return None
    if not _asks(notice.CURRENT.version):
        return None
    target = request.full_path.rstrip("?")
    return redirect(url_for("privacy.renew", next=target))


def _page(form: RenewForm, status: int = 200) -> tuple[str, int]:
    current = notice.CURRENT
    # The label names the version shown (the field's own label was made at import).
    form.consent.label.text = gettext(
        "I have read the notice above (version %(version)s) and agree to the processing of "
        "my sensitive personal information for training and subsidies.",
        version=current.version,
    )
    return render_template(
        "privacy/renew.html",
        form=form,
        notice=current,
        active=consent.active(current_user.person_id),
        minor=consent.is_minor(_person().birth_date, local_today()),
        next=safe_target(request.values.get("next")) or url_for("home.index"),
    ), status


@bp.route("/renew", methods=["GET", "POST"])
@policy.permission("privacy.own")
def renew() -> ResponseReturnValue:
    form = RenewForm()
    target = safe_target(request.values.get("next")) or url_for("home.index")
    if request.method == "GET":
        return _page(RenewForm(formdata=None))
    if not form.validate_on_submit():
        return _page(form, 400)
    version = notice.CURRENT.version
    if request.form.get("answer") == "later":
        session[SESSION_KEY] = version  # asked once; the older consent stays as it was
        return redirect(target)
    if not form.consent.data:
        form.consent.errors = [*form.consent.errors, gettext(consent.MISSING_RENEWAL)]
        return _page(form, 400)
    person = _person()
    guardian = consent.guardian_from(form.guardian_name.data, form.guardian_relation.data)
    if not attempt(
        lambda: consent.give(person, current_user, Method.ONLINE, guardian=guardian),
        N_("Your consent to the new notice has been recorded."),
        form=form,
    ):
        return _page(form, 400)  # a person under 18: their guardian, named
    session[SESSION_KEY] = version
    return redirect(target)


def init_app(app: Flask) -> None:
    app.before_request(_ask_before_continuing)
