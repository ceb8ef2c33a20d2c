"""Between the password and the session: the second step a user is still owed.

After a good password an account that asks for a second factor gets no session yet, only a
short-lived mark in the signed Flask session naming it; every page but the second step (or,
for a required role not yet enrolled, the enrolment) treats the browser as signed out."""

from __future__ import annotations

import time
from typing import Any

from flask import g, redirect, session, url_for
from werkzeug.wrappers import Response

from trainhub.core.accounts import remember, services, totp
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.redirects import safe_target
from trainhub.core.security import SESSION_KEY
from trainhub.extensions import db

PENDING = "pending_sign_in"
PENDING_FOR = 600  # seconds: time to find the phone, or to scan and confirm at enrolment


def after_password(user: User, next_target: str | None) -> Response:
    target = safe_target(next_target) or url_for("home.index")
    if not totp.asks_second_step(user):
        return complete(user, target)
    factor = totp.confirmed_factor(user)
    if factor is not None and remember.recognises(user, factor):
        record("auth.second_factor", actor=user, object_type="user", object_id=user.id,
               details={"method": "remembered_device"})
        return complete(user, target)
    session.clear()  # a fresh session on sign-in (no fixation)
    session[PENDING] = {"uid": user.id, "at": int(time.time()), "next": target}
    db.session.commit()  # the last sign-in time and the cleared failure counts
    return redirect(url_for("accounts.second_step" if factor else "accounts.enrol_pending"))


def pending_user() -> User | None:
    """The account whose password was just accepted here, while the mark is fresh."""
    mark: Any = session.get(PENDING)
    if not isinstance(mark, dict) or time.time() - mark.get("at", 0) > PENDING_FOR:
        return None
    user = db.session.get(User, mark.get("uid"))
    return user if user is not None and user.is_active_account else None


def pending_next() -> str:
    mark: Any = session.get(PENDING) or {}
    return safe_target(mark.get("next")) or url_for("home.index")


def open_session(user: User) -> None:
    """Open the server-side session (audited as the sign-in) and commit."""
    session.clear()
    session[SESSION_KEY] = services.start_session(user, g.client_address)
    db.session.commit()


def complete(user: User, target: str) -> Response:
    open_session(user)
    return redirect(target)
