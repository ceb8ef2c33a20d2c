"""The second factor: TOTP (RFC 6238) with single-use recovery codes.

Required for the staff whose accounts reach many people's data (等保 level 3: two factors,
one cryptographic): federation officers, administrators (including the three separated
administrator roles) and chief judges. Optional for everyone else; once enrolled, asked
for at every sign-in. Services flush and audit; the caller commits."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import delete, select

from trainhub.core.accounts.factor_models import RecoveryCode, SecondFactor
from trainhub.core.accounts.models import User
from trainhub.core.accounts.passwords import hash_password, verify_password
from trainhub.core.accounts.services import user_region
from trainhub.core.audit.models import Outcome
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, DomainError
from trainhub.extensions import db

# Role values, not Role members: the separated administrator roles (三员分立) are listed
# before they exist so that they are covered the moment they are added to Role.
REQUIRED_ROLES = frozenset({"admin", "federation_officer", "chief_judge",
                            "system_admin", "security_admin", "audit_admin"})
ISSUER = "TrainHub"
RECOVERY_CODES = 10
# No 0/O, 1/I/L: read from paper and typed on a phone.
_RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MAX_CODE_FAILURES = 5
CODE_LOCK = timedelta(minutes=15)


class SecondFactorLocked(DomainError):
    def __init__(self) -> None:
        super().__init__(N_("Too many wrong codes. Wait 15 minutes, then sign in again."))


def required_for(user: User) -> bool:
    return user.role in REQUIRED_ROLES


def factor_of(user: User) -> SecondFactor | None:
    return db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == user.id))


def confirmed_factor(user: User) -> SecondFactor | None:
    factor = factor_of(user)
    return factor if factor is not None and factor.confirmed_at is not None else None


def asks_second_step(user: User) -> bool:
    return required_for(user) or confirmed_factor(user) is not None


def _audit(action: str, user: User, outcome: Outcome = Outcome.SUCCESS,
           actor: User | None = None, **details: object) -> None:
    record(action, outcome=outcome, actor=actor or user, object_type="user",
           object_id=user.id, region_code=user_region(user), details=details or None)


# --- enrolment -----------------------------------------------------------------------

def start_enrolment(user: User) -> SecondFactor:
    """The unconfirmed factor to scan: the same secret again until it is confirmed, so
    reloading the page does not invalidate what the phone already scanned."""
    factor = factor_of(user)
    if factor is not None and factor.confirmed_at is not None:
        raise DomainError(N_("The authenticator app is already set up."))
    if factor is None:
        factor = SecondFactor(user_id=user.id, secret=pyotp.random_base32(), last_step=0,
                              failed_codes=0)
        db.session.add(factor)
        db.session.flush()
    return factor


def provisioning_uri(user: User, factor: SecondFactor) -> str:
    return pyotp.TOTP(factor.secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def confirm_enrolment(user: User, factor: SecondFactor, code: str, now: datetime,
                      hash_costs: tuple[int, int]) -> list[str]:
    """Confirm with a first code; returns the new recovery codes (shown once)."""
    if not _matches(factor, code, now):
        _audit("auth.second_factor_enrol", user, Outcome.FAILURE, reason="bad_code")
        raise DomainError(N_("The code is not correct. Check the time on your phone and "
                             "enter the code the app shows now.")).on("code")
    factor.confirmed_at = now
    codes = new_recovery_codes(user, hash_costs)
    _audit("auth.second_factor_enrol", user)
    return codes


def new_recovery_codes(user: User, hash_costs: tuple[int, int]) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
             for _ in range(RECOVERY_CODES)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_password(code, *hash_costs)))
    db.session.flush()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


# --- the second step -----------------------------------------------------------------

def _matches(factor: SecondFactor, code: str, now: datetime) -> bool:
    """A 6-digit code of this step or the one either side (clock drift), never one already
    used: a step accepted once is spent, with every step before it."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(factor.secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if step > factor.last_step and hmac.compare_digest(totp.generate_otp(step), code):
            factor.last_step = step
            return True
    return False


def _use_recovery_code(user: User, code: str, now: datetime) -> bool:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(cleaned) != 10:
        return False
    unused = db.session.scalars(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))
    for row in unused:
        if verify_password(row.code_hash, cleaned):
            row.used_at = now
            return True
    return False


def check(user: User, factor: SecondFactor, code: str, now: datetime,
          recovery: bool = False) -> bool:
    """One attempt at the second step. True when it passes; audited either way. Raises
    SecondFactorLocked after MAX_CODE_FAILURES wrong codes in a row."""
    if factor.locked_until and factor.locked_until > now:
        raise SecondFactorLocked()
    method = "recovery_code" if recovery else "totp"
    ok = _use_recovery_code(user, code, now) if recovery else _matches(factor, code, now)
    if ok:
        factor.failed_codes = 0
        _audit("auth.second_factor", user, method=method)
        return True
    factor.failed_codes += 1
    _audit("auth.second_factor", user, Outcome.FAILURE, method=method,
           failed_codes=factor.failed_codes)
    if factor.failed_codes >= MAX_CODE_FAILURES:
        factor.failed_codes = 0
        factor.locked_until = now + CODE_LOCK
        _audit("auth.second_factor_lockout", user, locked_until=factor.locked_until.isoformat())
        raise SecondFactorLocked()
    return False


def remaining_recovery_codes(user: User) -> int:
    rows = db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))
    return len(rows.all())


# --- removal -------------------------------------------------------------------------

def _remove(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))


def reset(user: User, by: User, reason: str) -> None:
    """An administrator's reset (a lost phone): the user enrols again at the next sign-in."""
    reason = reason.strip()
    if not reason:
        raise DomainError(N_("Give the reason for the reset.")).on("reason")
    if factor_of(user) is None:
        raise DomainError(N_("This account has no authenticator app set up."))
    _remove(user)
    _audit("auth.second_factor_reset", user, actor=by, reason=reason[:500])


def regenerate_recovery_codes(user: User, factor: SecondFactor, code: str, now: datetime,
                              hash_costs: tuple[int, int]) -> list[str]:
    """New recovery codes for the owner, who proves the factor with a current code (a
    signed-in session alone is not enough: whoever holds the codes can pass the second
    step). The old codes stop working; shown once."""
    if not _matches(factor, code, now):
        _audit("auth.recovery_codes_regenerate", user, Outcome.FAILURE, reason="bad_code")
        raise DomainError(N_("The code is not correct.")).on("code")
    replaced = remaining_recovery_codes(user)
    codes = new_recovery_codes(user, hash_costs)
    _audit("auth.recovery_codes_regenerate", user, replaced_unused=replaced)
    return codes


def disable(user: User, factor: SecondFactor, code: str, now: datetime) -> None:
    """The owner turns an optional second factor off, proving it with a current code."""
    if required_for(user):
        raise DomainError(N_("Your role requires a second factor."))
    if not _matches(factor, code, now):
        _audit("auth.second_factor_disable", user, Outcome.FAILURE, reason="bad_code")
        raise DomainError(N_("The code is not correct.")).on("code")
    _remove(user)
    _audit("auth.second_factor_disable", user)
