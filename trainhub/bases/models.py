"""Tables of the base-certification domain."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainhub.core.organisations import Institution
from trainhub.core.timeutil import utcnow
from trainhub.core.types import UTCDateTime
from trainhub.extensions import Model


class BaseKind(StrEnum):
    TRAINING = "training"     # 残疾人职业技能培训基地
    INCUBATOR = "incubator"   # 残疾人创业孵化基地


class Level(StrEnum):
    COUNTY = "county"
    CITY = "city"
    PROVINCE = "province"


LEVEL_ORDER = (Level.COUNTY, Level.CITY, Level.PROVINCE)

SPECIALTIES = ("massage", "intangible_heritage", "ecommerce", "livestreaming", "handicraft",
               "agriculture", "general")


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    REJECTED = "rejected"
    NOTICE = "notice"          # 公示
    CERTIFIED = "certified"
    WITHDRAWN = "withdrawn"


class Decision(StrEnum):
    RECOMMEND = "recommend"
    RETURN = "return"
    REJECT = "reject"


class BaseStatus(StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"  # replaced by a renewal


class ReviewOutcome(StrEnum):
    PASS = "pass"  # noqa: S105 - an outcome, not a password
    RECTIFY = "rectify"
    REVOKE = "revoke"


class BaseApplication(Model):
    __tablename__ = "base_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    level_sought: Mapped[str] = mapped_column(String(10))
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The county the base serves: the institution's county; decides who reviews.
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=ApplicationStatus.DRAFT.value)
    current_level: Mapped[str | None] = mapped_column(String(10))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The criteria the answers were given against (a parameter value, frozen once used).
    criteria_value_id: Mapped[int | None] = mapped_column(Integer)
    renews_base_id: Mapped[int | None] = mapped_column(ForeignKey("bases.id", use_alter=True))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    institution: Mapped[Institution] = relationship()
    reviews: Mapped[list[Review]] = relationship(back_populates="application",
                                                 order_by="Review.id")
    evidence: Mapped[list[EvidenceFile]] = relationship(
        back_populates="application", order_by="EvidenceFile.id",
        primaryjoin="and_(EvidenceFile.application_id == BaseApplication.id, "
                    "EvidenceFile.review_id.is_(None))", viewonly=True)
    notice: Mapped[PublicNotice | None] = relationship(back_populates="application")


class Review(Model):
    """One level's decision on an application, with an optional site inspection."""

    __tablename__ = "base_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("base_applications.id"), index=True)
    level: Mapped[str] = mapped_column(String(10))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(10))
    comments: Mapped[str] = mapped_column(Text, default="")
    inspected_on: Mapped[date | None] = mapped_column(Date)
    inspectors: Mapped[str] = mapped_column(String(200), default="")
    findings: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[BaseApplication] = relationship(back_populates="reviews")
    photos: Mapped[list[EvidenceFile]] = relationship(back_populates="review")


class EvidenceFile(Model):
    """An uploaded PDF/JPEG/PNG, stored outside static/ under a generated name."""

    __tablename__ = "base_evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("base_applications.id"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("base_reviews.id"), index=True)
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[BaseApplication] = relationship(foreign_keys=[application_id])
    review: Mapped[Review | None] = relationship(back_populates="photos")


class PublicNotice(Model):
    """公示: the application is public for a number of days; objections block certification."""

    __tablename__ = "base_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("base_applications.id"),
                                                unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    application: Mapped[BaseApplication] = relationship(back_populates="notice")
    objections: Mapped[list[Objection]] = relationship(back_populates="notice",
                                                       order_by="Objection.id")


class Objection(Model):
    __tablename__ = "base_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("base_notices.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    raised_by: Mapped[str] = mapped_column(String(100), default="")
    content: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    resolution: Mapped[str | None] = mapped_column(Text)
    upheld: Mapped[bool | None] = mapped_column()
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    notice: Mapped[PublicNotice] = relationship(back_populates="objections")


class CertificateSequence(Model):
    """The last number issued per kind and year; incremented in the certifying transaction."""

    __tablename__ = "base_certificate_sequences"
    __table_args__ = (UniqueConstraint("kind", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Base(Model):
    """A certified base: what the certificate says, and its life after certification."""

    __tablename__ = "bases"
    __table_args__ = (UniqueConstraint("kind", "year", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("base_applications.id"),
                                                unique=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    level: Mapped[str] = mapped_column(String(10))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list)
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    certificate_number: Mapped[str] = mapped_column(String(40), unique=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(12), default=BaseStatus.VALID.value, index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    verification_code: Mapped[str] = mapped_column(String(64), unique=True)
    certified_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    certified_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    institution: Mapped[Institution] = relationship()
    application: Mapped[BaseApplication] = relationship(foreign_keys=[application_id])
    annual_reviews: Mapped[list[AnnualReview]] = relationship(
        back_populates="base", order_by="AnnualReview.year")
    residents: Mapped[list[ResidentEnterprise]] = relationship(
        back_populates="base", order_by="ResidentEnterprise.entry_date")

    def is_valid_on(self, day: date) -> bool:
        return self.status == BaseStatus.VALID and self.valid_from <= day <= self.valid_until


class AnnualReview(Model):
    """年度考核: a scored sheet and its outcome."""

    __tablename__ = "base_annual_reviews"
    __table_args__ = (UniqueConstraint("base_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    base_id: Mapped[int] = mapped_column(ForeignKey("bases.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    scores: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    total: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(10))
    rectify_by: Mapped[date | None] = mapped_column(Date)
    comments: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    base: Mapped[Base] = relationship(back_populates="annual_reviews")


class ResidentEnterprise(Model):
    """在孵企业: an enterprise founded by a disabled person, incubated at a base."""

    __tablename__ = "incubator_residents"

    id: Mapped[int] = mapped_column(primary_key=True)
    base_id: Mapped[int] = mapped_column(ForeignKey("bases.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    founder_name: Mapped[str] = mapped_column(String(64))
    founder_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    entry_date: Mapped[date] = mapped_column(Date)
    exit_date: Mapped[date | None] = mapped_column(Date)
    jobs_created: Mapped[int] = mapped_column(Integer, default=0)
    services: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    base: Mapped[Base] = relationship(back_populates="residents")
