"""The demo's second factor: every demo account whose role requires one gets the same
published TOTP key, so developers (and the browser tests) pass the second step with any
authenticator app, or with `python -m pyotp`-style code: pyotp.TOTP(DEMO_TOTP_SECRET).now().
Like the demo password it is public; demo_guard keeps the demo out of production."""

from __future__ import annotations

from sqlalchemy import select

from trainhub.core.accounts import totp
from trainhub.core.accounts.factor_models import SecondFactor
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

DEMO_TOTP_SECRET = "TRAINHUBDEMOTOTPKEYFORDEVELOPERS"  # noqa: S105 - published on purpose


def enrol_demo_accounts() -> int:
    """Give each required-role account without a factor the demo key; returns how many."""
    enrolled = set(db.session.scalars(select(SecondFactor.user_id)))
    users = db.session.scalars(select(User).where(User.role.in_(totp.REQUIRED_ROLES)))
    count = 0
    for user in users:
        if user.id in enrolled:
            continue
        db.session.add(SecondFactor(user_id=user.id, secret=DEMO_TOTP_SECRET,
                                    confirmed_at=utcnow(), last_step=0, failed_codes=0))
        count += 1
    db.session.flush()
    return count


def enrol_demo_key(username: str) -> None:
    """Give one account the demo key (the tests' factories use it for any role)."""
    user = db.session.scalars(select(User).where(User.username == username)).one()
    db.session.add(SecondFactor(user_id=user.id, secret=DEMO_TOTP_SECRET,
                                confirmed_at=utcnow(), last_step=0, failed_codes=0))
    db.session.flush()


def demo_second_factor_note() -> str:
    return (f"Officers, administrators and chief judges also enter a code from an "
            f"authenticator app set up with the key {DEMO_TOTP_SECRET} (TOTP, SHA-1, 6 digits, "
            f"30 s).")
