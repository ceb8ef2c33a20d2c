""""Remember this device": a signed cookie that spares the second step for at most 12 hours.

The value names the account and the very factor (its id and confirmation time) and is signed
with the application's secret and dated, so the server verifies it without storing it; an
administrator's reset or a new enrolment makes every remembered device ask again. It only
replaces the code, never the password."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from trainhub.core.accounts.factor_models import SecondFactor
from trainhub.core.accounts.models import User

COOKIE = "trainhub_device"
LONGEST = timedelta(hours=12)
_SALT = "trainhub.remember-device"


def lifetime() -> timedelta:
    configured = current_app.config.get("SECOND_FACTOR_REMEMBER", LONGEST)
    return min(configured, LONGEST)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.secret_key), salt=_SALT)


def _claims(user: User, factor: SecondFactor) -> list[int]:
    assert factor.confirmed_at is not None
    return [user.id, factor.id, int(factor.confirmed_at.timestamp())]


def remember(response: Response, user: User, factor: SecondFactor) -> None:
    seconds = int(lifetime().total_seconds())
    response.set_cookie(COOKIE, _serializer().dumps(_claims(user, factor)), max_age=seconds,
                        path="/login", httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))


def recognises(user: User, factor: SecondFactor) -> bool:
    value = request.cookies.get(COOKIE)
    if not value:
        return False
    try:
        claims = _serializer().loads(value, max_age=int(lifetime().total_seconds()))
    except BadSignature:  # also SignatureExpired
        return False
    return bool(claims == _claims(user, factor))
