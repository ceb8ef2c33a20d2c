"""The submitted plan reports: a city's figures for a year as it sent them to the province,
kept as they were (never recomputed), one a city and year."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainhub.core.accounts.models import User
from trainhub.core.timeutil import utcnow
from trainhub.core.types import UTCDateTime
from trainhub.extensions import Model

JSONValue = JSON().with_variant(JSONB(), "postgresql")


class PlanReport(Model):
    """落实情况报送: the unique key is the last guard against a second submission."""

    __tablename__ = "plan_reports"
    __table_args__ = (UniqueConstraint("year", "region_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    # PlanFigures.as_json() on the day submitted.
    figures: Mapped[dict[str, Any]] = mapped_column(JSONValue)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    submitted_by: Mapped[User] = relationship()
