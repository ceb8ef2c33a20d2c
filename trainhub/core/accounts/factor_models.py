"""Tables of the second factor (TOTP and its recovery codes) and of sign-in throttling per
(account, address). Kept apart from models.py, whose User table they only point to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trainhub.core.timeutil import utcnow
from trainhub.core.types import EncryptedText, UTCDateTime
from trainhub.extensions import Model


class SecondFactor(Model):
    """An account's TOTP secret (encrypted at rest). Unconfirmed while enrolment awaits the
    first code; only a confirmed row is asked for at sign-in."""

    __tablename__ = "second_factors"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    secret: Mapped[str] = mapped_column(EncryptedText("second_factors.secret"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last time step accepted: a code is good once (RFC 6238 §5.2).
    last_step: Mapped[int] = mapped_column(Integer, default=0)
    failed_codes: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RecoveryCode(Model):
    """A single-use code for a lost authenticator; only its argon2 hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginThrottle(Model):
    """Failed sign-ins of one account from one address: the lock a stranger's guesses cause
    stays at the stranger's address."""

    __tablename__ = "login_throttles"
    __table_args__ = (UniqueConstraint("user_id", "client_address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    client_address: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
