"""Sign-in lock-out in two layers (等保 login-failure handling without handing strangers a
way to lock staff out):

- per (account, address): 5 failures within 15 minutes lock that account *from that
  address* for 30 minutes; the owner signing in from elsewhere is unaffected;
- per account: a higher ceiling (LOGIN_ACCOUNT_MAX_FAILURES, 20) of failures from any
  address locks the account everywhere, against guessing spread over many addresses.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from trainhub.core.accounts.factor_models import LoginThrottle
from trainhub.core.accounts.models import User
from trainhub.core.audit.models import Outcome
from trainhub.core.audit.service import record
from trainhub.extensions import db

# Failures older than this are forgotten by the per-address count.
FAILURE_WINDOW = timedelta(minutes=15)
ACCOUNT_CEILING = 20


def _throttle(user: User, address: str) -> LoginThrottle | None:
    return db.session.scalar(select(LoginThrottle).where(
        LoginThrottle.user_id == user.id, LoginThrottle.client_address == address[:64]))


def is_locked(user: User, address: str, now: datetime) -> bool:
    if user.locked_until and user.locked_until > now:
        return True
    row = _throttle(user, address)
    return bool(row and row.locked_until and row.locked_until > now)


def register_failure(user: User, address: str, max_failures: int, lock_duration: timedelta,
                     now: datetime, ceiling: int = ACCOUNT_CEILING,
                     region_code: str | None = None) -> None:
    """Count a wrong password for the account and for (account, address); lock either when
    it reaches its limit. Audited."""
    row = _row_for(user, address, now)
    # Counted with UPDATEs so that parallel guesses cannot each read a stale count.
    db.session.execute(update(User).where(User.id == user.id)
                       .values(failed_logins=User.failed_logins + 1))
    db.session.execute(update(LoginThrottle).where(LoginThrottle.id == row.id)
                       .values(failures=LoginThrottle.failures + 1, updated_at=now))
    db.session.refresh(user, ["failed_logins"])
    db.session.refresh(row, ["failures"])
    record("auth.login", outcome=Outcome.FAILURE, actor=user, object_type="user",
           object_id=user.id, region_code=region_code,
           details={"reason": "bad_password", "failed_logins": row.failures})
    if row.failures >= max_failures:
        row.locked_until, row.failures = now + lock_duration, 0
        _audit_lock(user, row.locked_until, "address", region_code)
    if user.failed_logins >= ceiling:
        user.locked_until, user.failed_logins = now + lock_duration, 0
        _audit_lock(user, user.locked_until, "account", region_code)


def _row_for(user: User, address: str, now: datetime) -> LoginThrottle:
    row = _throttle(user, address)
    if row is None:
        try:
            with db.session.begin_nested():  # another request may insert it first
                row = LoginThrottle(user_id=user.id, client_address=address[:64],
                                    failures=0, updated_at=now)
                db.session.add(row)
        except IntegrityError:
            row = _throttle(user, address)
            assert row is not None
    elif now - row.updated_at > FAILURE_WINDOW and not (
            row.locked_until and row.locked_until > now):
        row.failures = 0
        db.session.flush()
    return row


def _audit_lock(user: User, until: datetime, scope: str, region_code: str | None) -> None:
    record("auth.lockout", outcome=Outcome.SUCCESS, actor=user, object_type="user",
           object_id=user.id, region_code=region_code,
           details={"locked_until": until.isoformat(), "scope": scope})


def clear(user: User, address: str) -> None:
    """A successful sign-in forgets the failures counted from its address."""
    user.failed_logins = 0
    user.locked_until = None
    db.session.execute(delete(LoginThrottle).where(
        LoginThrottle.user_id == user.id, LoginThrottle.client_address == address[:64]))


def unlock_everywhere(user: User) -> None:
    """An administrator's unlock: the account and every address."""
    user.failed_logins = 0
    user.locked_until = None
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.user_id == user.id))
