"""Sign-in, sessions, password changes, API tokens. Services flush and audit; never commit."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from trainhub.core.accounts import credentials, lockout, security_settings
from trainhub.core.accounts.models import TOKEN_ROLES, ApiToken, Role, User, UserSession
from trainhub.core.accounts.passwords import hash_password, password_problems, verify_password
from trainhub.core.audit.models import Outcome
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, DomainError
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

# One message for an unknown user, a wrong password and a locked account, so that
# the answer never tells an attacker which accounts exist.
LOGIN_FAILED = N_(
    "The username or password is incorrect. After 5 failed attempts the account is locked "
    "for 30 minutes."
)

# Verified against when the username is unknown, so both paths cost the same time.
_DUMMY_HASH = hash_password("dummy-password-for-timing-1!")


class LoginFailed(DomainError):
    status_code = 401

    def __init__(self) -> None:
        super().__init__(LOGIN_FAILED)


class WeakPassword(DomainError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0])
        self.problems = problems


@dataclass(frozen=True)
class SecuritySettings:
    max_failures: int = 5  # per (account, address)
    account_max_failures: int = 20  # per account, from any address
    lock_duration: timedelta = timedelta(minutes=30)
    idle_timeout: timedelta = timedelta(minutes=30)
    absolute_timeout: timedelta = timedelta(hours=12)
    password_max_age: timedelta = timedelta(days=90)
    argon2_time_cost: int = 3
    argon2_memory_cost: int = 65536


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def user_region(user: User) -> str | None:
    """The region an account's events belong to in the audit log."""
    if user.region_code:
        return user.region_code
    if user.institution is not None:
        return user.institution.region_code
    if user.enterprise is not None:
        return user.enterprise.region_code
    if user.person is not None:
        return user.person.household_region_code
    return None


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


def authenticate(username: str, password: str, settings: SecuritySettings,
                 client_address: str = "") -> User:
    """Check credentials and the lock-out; record the attempt. Raises LoginFailed."""
    now = utcnow()
    user = find_user(username)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        record("auth.login", outcome=Outcome.FAILURE, details={"reason": "unknown_user"})
        raise LoginFailed()
    # Hashed even when the account is locked: the same work, so the same time, as for an
    # unknown user (a quick answer told which accounts exist and are locked).
    password_ok = verify_password(user.password_hash, password)
    if lockout.is_locked(user, client_address, now):
        record("auth.login", outcome=Outcome.DENIED, actor=user, object_type="user",
               object_id=user.id, region_code=user_region(user), details={"reason": "locked"})
        raise LoginFailed()
    if not password_ok:
        lockout.register_failure(user, client_address, settings.max_failures,
                                 settings.lock_duration, now, settings.account_max_failures,
                                 region_code=user_region(user))
        raise LoginFailed()
    if not user.is_active_account or (user.expires_at and user.expires_at <= now):
        record("auth.login", outcome=Outcome.DENIED, actor=user, object_type="user",
               object_id=user.id, region_code=user_region(user), details={"reason": "inactive"})
        raise LoginFailed()
    lockout.clear(user, client_address)
    user.last_login_at = now
    return user


def start_session(user: User, client_address: str) -> str:
    """Open a server-side session; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user=user, token_hash=_sha256(token),
                               client_address=client_address[:64]))
    record("auth.login", actor=user, object_type="user", object_id=user.id,
           region_code=user_region(user))
    return token


def load_session(token: str, settings: SecuritySettings) -> tuple[UserSession | None, str]:
    """The live session for a cookie token, or None with the reason it ended."""
    # The user comes in the same statement: every signed-in page asks for both.
    row = db.session.scalar(select(UserSession).options(joinedload(UserSession.user))
                            .where(UserSession.token_hash == _sha256(token)))
    if row is None:
        return None, "unknown"
    if row.revoked_at is not None:
        return None, row.revoked_reason or "revoked"
    now = utcnow()
    reason = ""
    if now - row.created_at > settings.absolute_timeout:
        reason = "absolute_timeout"
    elif now - row.last_seen_at > settings.idle_timeout:
        reason = "idle_timeout"
    elif not row.user.is_active_account:
        reason = "inactive"
    if reason:
        _revoke(row, reason, now)
        record("auth.session_expired", actor=row.user, object_type="user",
               object_id=row.user_id, region_code=user_region(row.user),
               details={"reason": reason})
        return None, reason
    return row, ""


def touch_session(row: UserSession) -> bool:
    """Move last_seen forward; writes at most once a minute. True when it wrote."""
    now = utcnow()
    if now - row.last_seen_at < timedelta(minutes=1):
        return False
    row.last_seen_at = now
    return True


def _revoke(row: UserSession, reason: str, now: datetime) -> None:
    row.revoked_at = now
    row.revoked_reason = reason


def end_session(row: UserSession) -> None:
    _revoke(row, "logout", utcnow())
    record("auth.logout", actor=row.user, object_type="user", object_id=row.user_id,
           region_code=user_region(row.user))


def revoke_all_sessions(user: User, reason: str, keep: UserSession | None = None) -> int:
    stmt = (
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    return db.session.execute(stmt).rowcount  # type: ignore[attr-defined]


def password_expired(user: User, settings: SecuritySettings) -> bool:
    return user.must_change_password or (
        utcnow() - user.password_changed_at > settings.password_max_age
    )


def set_password(user: User, new_password: str, settings: SecuritySettings) -> None:
    problems = password_problems(new_password, user.username)
    if problems:
        raise WeakPassword(problems)
    if credentials.was_used_recently(user, new_password):
        raise WeakPassword([credentials.REUSED])
    credentials.remember_current(user)
    user.password_hash = hash_password(
        new_password, settings.argon2_time_cost, settings.argon2_memory_cost
    )
    user.password_changed_at = utcnow()
    user.must_change_password = False
    credentials.revoke_tokens(user, "password_change")


def change_password(
    user: User, current: str, new_password: str, settings: SecuritySettings,
    keep: UserSession | None,
) -> None:
    """Change a password and end every other session of the account. Every problem is
    answered together, each on its field: a wrong current password (its audit row is
    recorded: the caller commits it), and a new password that is weak or the same."""
    checks = Checks()
    if not verify_password(user.password_hash, current):
        record("account.password_change", outcome=Outcome.FAILURE, actor=user,
               object_type="user", object_id=user.id, region_code=user_region(user),
               details={"reason": "bad_current_password"})
        checks.add(N_("The current password is incorrect."), field="current_password")
    elif verify_password(user.password_hash, new_password):
        checks.add(N_("The new password must differ from the current one."),
                   field="current_password")
    problems = password_problems(new_password, user.username)
    if problems:
        checks.extend(WeakPassword(problems).on("new_password"))
    checks.done()
    set_password(user, new_password, settings)
    revoked = revoke_all_sessions(user, "password_change", keep=keep)
    record("account.password_change", actor=user, object_type="user", object_id=user.id,
           region_code=user_region(user), details={"sessions_ended": revoked})


def create_user(
    *, username: str, display_name: str, role: Role, password: str,
    settings: SecuritySettings, region_code: str | None = None,
    institution_id: int | None = None, enterprise_id: int | None = None,
    person_id: int | None = None, must_change_password: bool = False,
) -> User:
    username = username.strip().lower()
    exists = db.session.scalar(select(func.count()).where(User.username == username))
    if exists:
        raise DomainError("This username is already taken.")
    user = User(
        username=username, display_name=display_name, role=role.value, region_code=region_code,
        institution_id=institution_id, enterprise_id=enterprise_id, person_id=person_id,
        password_hash="",
    )
    set_password(user, password, settings)
    user.must_change_password = must_change_password
    db.session.add(user)
    db.session.flush()
    record("account.create", object_type="user", object_id=user.id,
           region_code=region_code, details={"username": username, "role": role.value})
    return user


# --- API tokens -------------------------------------------------------------------------



def issue_token(user: User, name: str, lifetime: timedelta | None = None) -> tuple[ApiToken, str]:
    """Create a token; the clear value is returned once and only its hash is stored. It
    lasts `lifetime` (90 days by default, a year at most)."""
    if user.role_enum not in TOKEN_ROLES:
        raise DomainError("This account cannot hold API tokens.")
    name = name.strip()
    if not name:
        raise DomainError("Give the token a name.")
    lifetime = credentials.token_lifetime(lifetime)
    secret = "thk_" + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name[:80], prefix=secret[:12], token_hash=_sha256(secret),
        expires_at=utcnow() + lifetime,
    )
    db.session.add(token)
    db.session.flush()
    record("api_token.create", actor=user, object_type="api_token", object_id=token.id,
           region_code=user_region(user), details={"name": token.name})
    return token, secret


def user_for_token(secret: str) -> User | None:
    # The owner comes in the same statement: every API call asks for both.
    token = db.session.scalar(
        select(ApiToken).options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == _sha256(secret.strip()))
    )
    now = utcnow()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    user = token.user
    if not user.is_active_account or (user.expires_at and user.expires_at <= now):
        return None
    # Written at most once a minute: an integration calling often must not turn every
    # read into a write.
    if token.last_used_at is None or now - token.last_used_at >= timedelta(minutes=1):
        token.last_used_at = now
    return user


def revoke_token(token: ApiToken, by: User) -> None:
    if token.revoked_at is not None:
        raise DomainError("This token is already revoked.")
    token.revoked_at = utcnow()
    token.revoked_reason = "owner"
    record("api_token.revoke", actor=by, object_type="api_token", object_id=token.id,
           region_code=user_region(token.user), details={"name": token.name})


def settings_from(config: Mapping[str, Any]) -> SecuritySettings:
    """Read the security settings out of a Flask config mapping; the values the security
    administrator saved in the application win."""
    get = config.get
    return security_settings.apply(SecuritySettings(
        max_failures=get("LOGIN_MAX_FAILURES", 5),
        account_max_failures=get("LOGIN_ACCOUNT_MAX_FAILURES", 20),
        lock_duration=get("LOGIN_LOCK_DURATION", timedelta(minutes=30)),
        idle_timeout=get("SESSION_IDLE_TIMEOUT", timedelta(minutes=30)),
        absolute_timeout=get("SESSION_ABSOLUTE_TIMEOUT", timedelta(hours=12)),
        password_max_age=get("PASSWORD_MAX_AGE", timedelta(days=90)),
        argon2_time_cost=get("ARGON2_TIME_COST", 3),
        argon2_memory_cost=get("ARGON2_MEMORY_COST", 65536),
    ))
