"""Institutions and enterprises: the organisations accounts belong to.

The base-certification and training domains add their own tables that point here; this
module holds only what scoping an account needs.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from trainhub.core.regions import Region
from trainhub.core.timeutil import utcnow
from trainhub.core.types import UTCDateTime
from trainhub.extensions import Model


class _Organisation:
    """What every organisation has: a name, a validated credit code, a region."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @declared_attr
    def region(cls) -> Mapped[Region]:
        return relationship()


class Institution(_Organisation, Model):
    """A training school, company or NGO that may run training."""

    __tablename__ = "institutions"

    org_type: Mapped[str] = mapped_column(String(12), default="school")  # school/company/ngo
    registered_on: Mapped[date | None] = mapped_column(Date)  # legal registration date
    address: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(64), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")


class Enterprise(_Organisation, Model):
    """An employer that orders training and hires graduates."""

    __tablename__ = "enterprises"
