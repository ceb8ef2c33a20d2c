"""The person table. ID, certificate and phone numbers are encrypted at rest."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainhub.core.regions import Region
from trainhub.core.timeutil import utcnow
from trainhub.core.types import EncryptedText, UTCDateTime
from trainhub.extensions import Model


class EmploymentStatus(StrEnum):
    UNEMPLOYED = "unemployed"
    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    STUDENT = "student"


ACCESSIBILITY_NEEDS = (
    "needs_braille",
    "needs_large_print",
    "needs_sign_language",
    "needs_wheelchair_access",
    "needs_screen_reader",
)


class Person(Model):
    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint("sex IN ('M', 'F')", name="sex_known"),
        CheckConstraint(
            "disability_category IS NULL OR disability_category BETWEEN 1 AND 7",
            name="category_range",
        ),
        CheckConstraint(
            "disability_grade IS NULL OR disability_grade BETWEEN 1 AND 4", name="grade_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    # Derived from the resident ID; kept as columns so age and sex rules need no decryption.
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    id_number: Mapped[str] = mapped_column(EncryptedText("people.id_number"))
    id_number_index: Mapped[str] = mapped_column(String(64), unique=True)
    # The search by the last four characters a masked number shows (issue 16): a keyed
    # index of them, not the characters in clear, because beside the birth date, sex and
    # household county kept in clear they would complete most numbers. Null once
    # anonymised.
    id_tail_index: Mapped[str | None] = mapped_column(String(32), index=True)
    cert_number: Mapped[str | None] = mapped_column(EncryptedText("people.cert_number"))
    cert_number_index: Mapped[str | None] = mapped_column(String(64), unique=True)
    disability_category: Mapped[int | None] = mapped_column(Integer)
    disability_grade: Mapped[int | None] = mapped_column(Integer)
    phone: Mapped[str | None] = mapped_column(EncryptedText("people.phone"))
    household_region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    employment_status: Mapped[str] = mapped_column(
        String(16), default=EmploymentStatus.UNEMPLOYED.value
    )
    needs_braille: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_large_print: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_sign_language: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_wheelchair_access: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_screen_reader: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Set when retention ended and the identifying fields were blanked (core.privacy).
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    household_region: Mapped[Region] = relationship()

    def accessibility_needs(self) -> list[str]:
        return [need for need in ACCESSIBILITY_NEEDS if getattr(self, need)]
