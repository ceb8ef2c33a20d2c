"""What follows a change of credentials: the last passwords are remembered (as their argon2
hashes) so they cannot be chosen again, and the owner's API tokens are revoked.

A token is a password that never expires by itself; when the password changes (the owner
may suspect it was seen), the account is disabled or its role changes, every token made
under the old state ends with it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from trainhub.core.accounts.models import ApiToken, User
from trainhub.core.accounts.passwords import verify_password
from trainhub.core.errors import N_, DomainError
from trainhub.core.timeutil import utcnow
from trainhub.core.types import UTCDateTime
from trainhub.extensions import Model, db

# The current password and the ones before it: this many may not be chosen again.
REMEMBERED_PASSWORDS = 5
REUSED = N_("You have used this password recently: choose one that differs from your last "
            "5 passwords.")

TOKEN_DEFAULT_DAYS = 90
TOKEN_MAX_DAYS = 365
# How a token's end is shown to its owner, by ApiToken.revoked_reason.
TOKEN_END_LABELS = {
    "owner": _l("revoked"),
    "password_change": _l("revoked: password changed"),
    "disabled": _l("revoked: account disabled"),
    "role_change": _l("revoked: role changed"),
}


class PasswordHistory(Model):
    """A password an account had before its current one (argon2 hash only)."""

    __tablename__ = "password_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def _previous_hashes(user: User) -> list[str]:
    """The hashes of the passwords before the current one, newest first, as many as the
    rule remembers besides the current one."""
    if user.id is None:
        return []
    return list(db.session.scalars(
        select(PasswordHistory.password_hash).where(PasswordHistory.user_id == user.id)
        .order_by(PasswordHistory.replaced_at.desc(), PasswordHistory.id.desc())
        .limit(REMEMBERED_PASSWORDS - 1)
    ))


def was_used_recently(user: User, password: str) -> bool:
    """The password is the current one or one of the 4 before it."""
    hashes = ([user.password_hash] if user.password_hash else []) + _previous_hashes(user)
    return any(verify_password(stored, password) for stored in hashes)


def remember_current(user: User) -> None:
    """Keep the outgoing password's hash before it is replaced, and forget older ones."""
    if user.id is None or not user.password_hash:
        return
    db.session.add(PasswordHistory(user_id=user.id, password_hash=user.password_hash))
    db.session.flush()
    keep = select(PasswordHistory.id).where(PasswordHistory.user_id == user.id).order_by(
        PasswordHistory.replaced_at.desc(), PasswordHistory.id.desc(),
    ).limit(REMEMBERED_PASSWORDS - 1)
    db.session.execute(delete(PasswordHistory).where(
        PasswordHistory.user_id == user.id, PasswordHistory.id.not_in(keep.scalar_subquery()),
    ).execution_options(synchronize_session=False))


def revoke_tokens(user: User, reason: str) -> int:
    """End every live API token of the account; returns how many."""
    if user.id is None:
        return 0
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def token_lifetime(lifetime: timedelta | None) -> timedelta:
    """A token's lifetime: 90 days unless asked, never more than a year."""
    if lifetime is None:
        return timedelta(days=TOKEN_DEFAULT_DAYS)
    if not timedelta(0) < lifetime <= timedelta(days=TOKEN_MAX_DAYS):
        raise DomainError(N_("A token lasts from 1 to %(max)s days."), max=TOKEN_MAX_DAYS)
    return lifetime
