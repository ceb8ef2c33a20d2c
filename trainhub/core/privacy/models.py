"""Consent records, kept apart from the account and the person record (SECURITY.md §2:
"stored apart from the general terms")."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from trainhub.core.timeutil import utcnow
from trainhub.core.types import UTCDateTime
from trainhub.extensions import Model


class Method(StrEnum):
    ONLINE = "online"  # the person ticked the box on a page of their own
    PAPER = "paper"  # the person signed the notice; staff recorded it


# The one purpose asked today: disability and ID data for training and subsidies.
SENSITIVE_TRAINING = "sensitive_training"


class Consent(Model):
    """One person's 单独同意 to one purpose under one version of the notice. Withdrawal
    keeps the row (when it was given stays provable) and stamps it."""

    __tablename__ = "privacy_consents"
    __table_args__ = (
        CheckConstraint("method IN ('online', 'paper')", name="method_known"),
        Index("ix_privacy_consents_person_purpose", "person_id", "purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    purpose: Mapped[str] = mapped_column(String(32))
    notice_version: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(8))
    # Who recorded it: the person's own account, or the staff member holding the paper.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # For a person under 18: the parent or guardian who agreed (PIPL Art. 31), and how
    # they are related (consent.GUARDIAN_RELATIONS).
    guardian_name: Mapped[str | None] = mapped_column(String(64))
    guardian_relation: Mapped[str | None] = mapped_column(String(16))
