"""The verification registry: one row per certificate or notice issued."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from trainhub.core.timeutil import utcnow
from trainhub.core.types import UTCDateTime
from trainhub.extensions import Model


class VerificationStatus(StrEnum):
    """Stored states. "expired" is never stored: it follows from `valid_until`."""

    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


EXPIRED = "expired"


class Verification(Model):
    __tablename__ = "verifications"
    __table_args__ = (
        CheckConstraint("status IN ('valid', 'suspended', 'revoked')", name="status_known"),
        CheckConstraint(
            "valid_from IS NULL OR valid_until IS NULL OR valid_until >= valid_from",
            name="validity_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, unguessable and free of personal data: it is printed on the document and
    # is the only key to the public page.
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    document_number: Mapped[str | None] = mapped_column(String(64), index=True)
    # The frozen copy of what was certified: [[label msgid, value], ...] in display order.
    facts: Mapped[list[list[str]]] = mapped_column(JSON)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=VerificationStatus.VALID.value)
    status_reason: Mapped[str | None] = mapped_column(String(200))
    # The issuing authority as printed (frozen, in Chinese), e.g. a county federation for a
    # county-level certificate; None: the provincial federation.
    issuer: Mapped[str | None] = mapped_column(String(80))
    # The issuing scope, so status changes land in the right officers' audit view.
    # Never shown on the public page.
    region_code: Mapped[str | None] = mapped_column(String(6), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
