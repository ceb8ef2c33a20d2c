"""Self-service password reset (issue 15, item 2; ASVS 2.5): a link sent to the account's
own e-mail address or mobile number.

The link carries a random 32-byte token; only its SHA-256 is kept. It lasts 30 minutes,
works once, and ends when a newer one is asked for, when the password is reset, or when
the account's contact details change. The person asking always gets the same answer;
only the audit log says whether an account matched. Services flush and audit; the caller
commits."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, func, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainhub.core.accounts import contact, lockout, services
from trainhub.core.accounts.models import User
from trainhub.core.audit.labels import register
from trainhub.core.audit.models import Outcome
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, DomainError
from trainhub.core.outbox import delivery
from trainhub.core.outbox.models import Channel
from trainhub.core.timeutil import utcnow
from trainhub.core.types import UTCDateTime
from trainhub.extensions import Model, db

PURPOSE = "password_reset"

register(group=_l("Accounts and sign-in"), actions={
    "password_reset.request": _l("Password reset asked for"),
    "password_reset.complete": _l("Password reset with a link"),
}, values={"reason": {
    "no_contact": _l("no address for this channel"),
    "too_many_requests": _l("too many requests in an hour"),
    "unknown_token": _l("unknown link"), "token_used": _l("link already used"),
    "token_expired": _l("link expired"), "token_superseded": _l("a newer link was asked for"),
    "token_ended": _l("link no longer valid"), "weak_password": _l("password refused"),
}})


class LinkNotValid(DomainError):
    """One message for every dead link: unknown, used, expired, superseded."""

    def __init__(self) -> None:
        super().__init__(N_("This link is not valid any more: it has expired, has been used, "
                            "or a newer one was sent. Ask for a new link."))


class PasswordResetToken(Model):
    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Why it ended unused: "superseded" (a newer link), "reset", "contact_change".
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_reason: Mapped[str | None] = mapped_column(String(16))

    user: Mapped[User] = relationship()


@dataclass(frozen=True)
class ResetSettings:
    lifetime: timedelta = timedelta(minutes=30)
    max_per_hour: int = 3


def settings_from(config: Mapping[str, Any]) -> ResetSettings:
    return ResetSettings(lifetime=config.get("PASSWORD_RESET_LIFETIME", timedelta(minutes=30)),
                         max_per_hour=int(config.get("PASSWORD_RESET_MAX_PER_HOUR", 3)))


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _refuse_request(reason: str, user: User | None = None, **details: object) -> None:
    record("password_reset.request", outcome=Outcome.DENIED, actor=user,
           object_type="user" if user else "", object_id=user.id if user else "",
           region_code=services.user_region(user) if user else None,
           details={"reason": reason, **details})


def _sent_within_hour(user: User, now: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(PasswordResetToken).where(
        PasswordResetToken.user_id == user.id,
        PasswordResetToken.created_at > now - timedelta(hours=1))) or 0


def end_live_tokens(user: User, reason: str, now: datetime) -> int:
    """End every unused, unexpired link of the account; how many."""
    result = db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None),
               PasswordResetToken.ended_at.is_(None), PasswordResetToken.expires_at > now)
        .values(ended_at=now, ended_reason=reason)
        .execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


def request_reset(username: str, channel: Channel, link_for: Any, settings: ResetSettings,
                  now: datetime) -> int | None:
    """Send a reset link to the account's address on `channel`, if there is an account, it
    may sign in, has such an address and has not had too many links this hour. Returns the
    outbox message's id, None when nothing is sent (audited either way, with the reason).
    `link_for(token)` makes the link's absolute URL."""
    user = services.find_user(username)
    if user is None:
        _refuse_request("unknown_user", channel=channel.value)
        return None
    if not user.is_active_account or (user.expires_at and user.expires_at <= now):
        _refuse_request("inactive", user, channel=channel.value)
        return None
    address = contact.address_for(user, channel)
    if not address:
        _refuse_request("no_contact", user, channel=channel.value)
        return None
    if _sent_within_hour(user, now) >= settings.max_per_hour:
        _refuse_request("too_many_requests", user, channel=channel.value)
        return None
    end_live_tokens(user, "superseded", now)
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordResetToken(user_id=user.id, token_hash=_sha256(token),
                                      channel=channel.value, created_at=now,
                                      expires_at=now + settings.lifetime))
    subject, body = _message(user, channel, link_for(token), settings.lifetime)
    message = delivery.add(channel, address, body, purpose=PURPOSE, user_id=user.id,
                           expires_at=now + settings.lifetime, subject=subject)
    record("password_reset.request", actor=user, object_type="user", object_id=user.id,
           region_code=services.user_region(user),
           details={"channel": channel.value, "message": message.id})
    return message.id


def _message(user: User, channel: Channel, link: str, lifetime: timedelta) -> tuple[str, str]:
    minutes = int(lifetime.total_seconds() // 60)
    if channel == Channel.SMS:
        return "", gettext("TrainHub: to reset your password, open %(link)s within "
                           "%(minutes)s minutes. Not you? Ignore this message.",
                           link=link, minutes=minutes)
    return gettext("TrainHub: reset your password"), gettext(
        "Someone asked to reset the password of the TrainHub account %(username)s.\n\n"
        "To choose a new password, open this link within %(minutes)s minutes. It works "
        "once:\n\n%(link)s\n\nIf it was not you, ignore this message: your password stays "
        "as it is.", username=user.username, link=link, minutes=minutes)


def _refuse_link(reason: str, user: User | None = None) -> LinkNotValid:
    record("password_reset.complete", outcome=Outcome.DENIED, actor=user,
           object_type="user" if user else "", object_id=user.id if user else "",
           region_code=services.user_region(user) if user else None,
           details={"reason": reason})
    return LinkNotValid()


def live_token(token: str, now: datetime) -> PasswordResetToken:
    """The link's row if it may still be used; otherwise LinkNotValid (audited)."""
    row = db.session.scalar(select(PasswordResetToken).where(
        PasswordResetToken.token_hash == _sha256(token or "")))
    if row is None:
        raise _refuse_link("unknown_token")
    user = row.user
    if row.used_at is not None:
        raise _refuse_link("token_used", user)
    if row.ended_at is not None:
        raise _refuse_link("token_superseded" if row.ended_reason == "superseded"
                           else "token_ended", user)
    if row.expires_at <= now:
        raise _refuse_link("token_expired", user)
    if not user.is_active_account or (user.expires_at and user.expires_at <= now):
        raise _refuse_link("inactive", user)
    return row


def complete_reset(token: str, new_password: str, settings: services.SecuritySettings,
                   now: datetime) -> User:
    """Set the new password through the rules of a change (strength, history), use up the
    link, end the account's sessions, API tokens and other links, clear its lock-out."""
    row = live_token(token, now)
    user = row.user
    # Claimed first, with a condition: of two requests with one link, one wins.
    claimed = db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == row.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise _refuse_link("token_used", user)
    # Raises WeakPassword before changing anything: the caller rolls back (the claim) and
    # records refused_password().
    services.set_password(user, new_password, settings)  # also revokes the API tokens
    end_live_tokens(user, "reset", now)
    ended = services.revoke_all_sessions(user, "password_change")
    lockout.unlock_everywhere(user)
    record("password_reset.complete", actor=user, object_type="user", object_id=user.id,
           region_code=services.user_region(user),
           details={"channel": row.channel, "sessions_ended": ended})
    return user


def refused_password(user: User) -> None:
    """Audit a new password the rules refused (after the caller's rollback)."""
    record("password_reset.complete", outcome=Outcome.FAILURE, actor=user, object_type="user",
           object_id=user.id, region_code=services.user_region(user),
           details={"reason": "weak_password"})
