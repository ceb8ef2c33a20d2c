"""Tables of the over-quota reward: an enterprise's declaration for a year, its declared
employees with a disability, its evidence files, each review step, and the claims that keep
a person counted at one enterprise only in a year.

The engine's answer is stored as the subsidy decisions store theirs: what it was given
(`inputs`, the persons by row, never their ID numbers), the amount in fen and the result
with its trace and the dated parameters used (`RewardResult.as_dict()`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainhub.core.organisations import Enterprise
from trainhub.core.timeutil import utcnow
from trainhub.core.types import EncryptedText, UTCDateTime
from trainhub.extensions import Model

JSONValue = JSON().with_variant(JSONB(), "postgresql")


class DeclarationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for the county
    COUNTY_REVIEWED = "county_reviewed"  # passed on by the county, waiting for the city
    CITY_REVIEWED = "city_reviewed"  # passed on by the city: the notice comes next
    IN_NOTICE = "in_notice"
    APPROVED = "approved"
    PAID = "paid"
    RETURNED = "returned"  # back to the enterprise with a reason; editable again


class ReviewLevel(StrEnum):
    COUNTY = "county"
    CITY = "city"


class ReviewDecision(StrEnum):
    PASS = "pass"  # noqa: S105 - a decision, not a password
    RETURN = "return"


class RewardDeclaration(Model):
    __tablename__ = "reward_declarations"
    __table_args__ = (
        # One declaration an enterprise a year: a returned one is corrected, not doubled.
        UniqueConstraint("enterprise_id", "year"),
        CheckConstraint("amount_fen IS NULL OR amount_fen >= 0", name="amount_not_negative"),
        CheckConstraint("staff_count > 0", name="staff_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    # The enterprise's county when declared: decides who reviews and which minimum wage.
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    # 在职职工总数, the year's average: possibly fractional.
    staff_count: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    status: Mapped[str] = mapped_column(String(16), default=DeclarationStatus.DRAFT.value,
                                        index=True)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    # The engine's answer at submission (None before).
    inputs: Mapped[dict[str, Any] | None] = mapped_column(JSONValue)
    amount_fen: Mapped[int | None] = mapped_column(Integer)
    rewarded_persons: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONValue)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # 公示: the enterprise and the amount are public between these days (never the persons).
    notice_starts_on: Mapped[date | None] = mapped_column(Date)
    notice_ends_on: Mapped[date | None] = mapped_column(Date)
    # The budget year the approval is charged to (the local year of the approval).
    budget_year: Mapped[int | None] = mapped_column(Integer, index=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    payment_reference: Mapped[str] = mapped_column(String(64), default="")
    # The reward notice's verification code (core.documents), issued with the approval.
    verification_code: Mapped[str | None] = mapped_column(String(64), unique=True)

    enterprise: Mapped[Enterprise] = relationship()
    employees: Mapped[list[DeclaredEmployee]] = relationship(
        back_populates="declaration", order_by="DeclaredEmployee.id",
        cascade="all, delete-orphan")
    evidence: Mapped[list[RewardEvidence]] = relationship(
        back_populates="declaration", order_by="RewardEvidence.id",
        cascade="all, delete-orphan")
    reviews: Mapped[list[RewardReview]] = relationship(
        back_populates="declaration", order_by="RewardReview.id")
    objections: Mapped[list[RewardObjection]] = relationship(
        back_populates="declaration", order_by="RewardObjection.id")


class DeclaredEmployee(Model):
    """One employee with a disability as the enterprise declares them. The ID number is
    encrypted and found by its blind index (as a person's); sex and birth date are read
    from it once, so that the working-age rule needs no decryption."""

    __tablename__ = "reward_employees"
    __table_args__ = (
        CheckConstraint("insurance_months BETWEEN 0 AND 12", name="insurance_months_range"),
        CheckConstraint("monthly_wage_fen >= 0", name="wage_not_negative"),
        CheckConstraint("grade BETWEEN 1 AND 4", name="grade_range"),
        CheckConstraint("sex IN ('M', 'F')", name="sex_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("reward_declarations.id"),
                                                index=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(EncryptedText("reward_employees.id_number"))
    id_number_index: Mapped[str] = mapped_column(String(64), index=True)
    cert_number: Mapped[str] = mapped_column(EncryptedText("reward_employees.cert_number"))
    grade: Mapped[int] = mapped_column(Integer)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    certificate_valid_from: Mapped[date] = mapped_column(Date)
    certificate_valid_until: Mapped[date | None] = mapped_column(Date)  # None: 长期
    contract_start: Mapped[date] = mapped_column(Date)
    contract_end: Mapped[date | None] = mapped_column(Date)  # None: 无固定期限
    insurance_months: Mapped[int] = mapped_column(Integer)
    monthly_wage_fen: Mapped[int] = mapped_column(Integer)

    declaration: Mapped[RewardDeclaration] = relationship(back_populates="employees")


class PersonClaim(Model):
    """A person counted for a reward year, by their blind index: taken when a declaration
    is submitted, given back when it is returned. The unique key is what keeps a person at
    one enterprise a year even when two enterprises submit at the same moment."""

    __tablename__ = "reward_person_claims"
    __table_args__ = (UniqueConstraint("year", "id_number_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    id_number_index: Mapped[str] = mapped_column(String(64))
    declaration_id: Mapped[int] = mapped_column(ForeignKey("reward_declarations.id"),
                                                index=True)


class RewardEvidence(Model):
    """An uploaded PDF/JPEG/PNG (trainhub.core.files), stored under a generated name."""

    __tablename__ = "reward_evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("reward_declarations.id"),
                                                index=True)
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    declaration: Mapped[RewardDeclaration] = relationship(back_populates="evidence")


class RewardReview(Model):
    """One level's decision: passed on, or returned to the enterprise with the reason."""

    __tablename__ = "reward_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("reward_declarations.id"),
                                                index=True)
    level: Mapped[str] = mapped_column(String(8))
    decision: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    declaration: Mapped[RewardDeclaration] = relationship(back_populates="reviews")


class RewardObjection(Model):
    """An objection received during the public notice; an open one blocks the approval, an
    upheld one returns the declaration to the enterprise."""

    __tablename__ = "reward_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("reward_declarations.id"),
                                                index=True)
    received_on: Mapped[date] = mapped_column(Date)
    raised_by: Mapped[str] = mapped_column(String(100), default="")
    content: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    resolution: Mapped[str | None] = mapped_column(Text)
    upheld: Mapped[bool | None] = mapped_column()
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    declaration: Mapped[RewardDeclaration] = relationship(back_populates="objections")


class RewardBudget(Model):
    """A region's yearly budget for over-quota rewards, kept as the subsidies keep theirs
    (a row per region and year; an approval must fit every row covering its county), in a
    table of its own so that neither domain's sums ever read the other's rows."""

    __tablename__ = "reward_budgets"
    __table_args__ = (UniqueConstraint("region_code", "year"),
                      CheckConstraint("amount_fen >= 0", name="amount_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
