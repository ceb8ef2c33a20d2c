"""Tables of the training domain: demands, batches and their sessions, enrolments,
attendance, completion results and employment follow-up."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainhub.bases.models import Base
from trainhub.core.organisations import Enterprise, Institution
from trainhub.core.people.models import Person
from trainhub.core.timeutil import utcnow
from trainhub.core.types import EncryptedText, UTCDateTime
from trainhub.extensions import Model
from trainhub.training.catalog import BatchStatus, DemandStatus, EnrolmentStatus


class Demand(Model):
    """企业下单: an employer's order for trained workers."""

    __tablename__ = "training_demands"
    __table_args__ = (
        CheckConstraint("head_count > 0", name="head_count_positive"),
        CheckConstraint("hire_commitment >= 0 AND hire_commitment <= head_count",
                        name="commitment_within_head_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    occupation: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(32))
    head_count: Mapped[int] = mapped_column(Integer)
    skills_required: Mapped[str] = mapped_column(Text, default="")
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    location: Mapped[str] = mapped_column(String(200), default="")
    monthly_wage_fen: Mapped[int] = mapped_column(Integer)
    hire_commitment: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=DemandStatus.OPEN.value, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    enterprise: Mapped[Enterprise] = relationship()
    batches: Mapped[list[Batch]] = relationship(back_populates="demand")


class Batch(Model):
    """机构接单: a training class run by a certified base."""

    __tablename__ = "training_batches"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within"),
        CheckConstraint("fee_fen >= 0", name="fee_not_negative"),
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        # an officer's batches by status, read from the index alone (migration 0040)
        Index("ix_training_batches_region_status", "region_code", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    base_id: Mapped[int] = mapped_column(ForeignKey("bases.id"), index=True)
    demand_id: Mapped[int | None] = mapped_column(ForeignKey("training_demands.id"), index=True)
    # The base's county: decides which officers approve and who sees the batch.
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    category: Mapped[str] = mapped_column(String(32), index=True)
    occupation: Mapped[str] = mapped_column(String(80))
    training_type: Mapped[str] = mapped_column(String(20))
    certificate_type: Mapped[str] = mapped_column(String(20))
    certificate_level: Mapped[str | None] = mapped_column(String(20))
    delivery: Mapped[str] = mapped_column(String(10))
    delivery_models: Mapped[list[str]] = mapped_column(JSON, default=list)
    provisions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Only people with a Jiangxi household registration may take a seat (DESIGN §4).
    jiangxi_household_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # Family members of people with disabilities may take a seat, without subsidy (§4).
    open_to_family_members: Mapped[bool] = mapped_column(Boolean, default=False)
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    # Kept in step with admitted enrolments by conditional UPDATEs: the database, not a
    # count read earlier, decides whether the last seat is still free.
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    fee_fen: Mapped[int] = mapped_column(Integer)
    admission: Mapped[str] = mapped_column(String(8))
    venue: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=BatchStatus.DRAFT.value, index=True)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    institution: Mapped[Institution] = relationship()
    base: Mapped[Base] = relationship()
    demand: Mapped[Demand | None] = relationship(back_populates="batches")
    sessions: Mapped[list[Session]] = relationship(
        back_populates="batch", order_by="Session.starts_at", cascade="all, delete-orphan")

    @property
    def planned_hours(self) -> Decimal:
        return sum((s.hours for s in self.sessions), Decimal(0))

    @property
    def seats_left(self) -> int:
        return self.capacity - self.seats_taken

    @property
    def last_session_end(self) -> datetime | None:
        return max((s.ends_at for s in self.sessions), default=None)


class Session(Model):
    """A planned session; attendance is marked against it once it has begun."""

    __tablename__ = "training_sessions"
    __table_args__ = (CheckConstraint("hours > 0", name="hours_positive"),
                      CheckConstraint("ends_at > starts_at", name="times_ordered"))

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("training_batches.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    mode: Mapped[str] = mapped_column(String(10))
    topic: Mapped[str] = mapped_column(String(200), default="")
    # QR check-in (training.checkin): open since this moment, off when null. Codes carry it,
    # so turning check-in off and on again voids the codes shown before.
    checkin_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    batch: Mapped[Batch] = relationship(back_populates="sessions")


class Checkin(Model):
    """A trainee checked in to a session by scanning the code shown in the room; attendance
    only once staff confirm it (confirmed_at)."""

    __tablename__ = "training_checkins"
    __table_args__ = (UniqueConstraint("session_id", "enrolment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("training_enrolments.id"), index=True)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Enrolment(Model):
    """劳动者点单: one person's application to a batch and what became of it."""

    __tablename__ = "training_enrolments"
    __table_args__ = (UniqueConstraint("batch_id", "person_id"),
                      # A person's seats (the overlap check) without scanning a status.
                      Index("ix_training_enrolments_person_status", "person_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("training_batches.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=EnrolmentStatus.APPLIED.value,
                                        index=True)
    source: Mapped[str] = mapped_column(String(10), default="self")  # self / staff / import
    # The waiting list is served in this order.
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Employment status on the day of enrolment (the subsidy rules read it).
    employed_at_enrolment: Mapped[bool] = mapped_column(Boolean, default=False)
    # A seat taken as a family member of a person with disabilities (残疾人家庭成员): the
    # relation declared (eligibility.RELATIONS) and the relative's disability certificate
    # number, which an officer checks; both None for a seat taken in one's own right. No
    # subsidy follows such a seat (the subsidy rules read it).
    family_relation: Mapped[str | None] = mapped_column(String(8))
    family_cert_number: Mapped[str | None] = mapped_column(
        EncryptedText("training_enrolments.family_cert_number"))

    batch: Mapped[Batch] = relationship()
    person: Mapped[Person] = relationship()
    attendance: Mapped[list[Attendance]] = relationship(back_populates="enrolment")
    completion: Mapped[Completion | None] = relationship(back_populates="enrolment")
    followup: Mapped[FollowUp | None] = relationship(back_populates="enrolment")

    @property
    def removed(self) -> bool:
        """Removed (移出) by the institution, with the reason in `decision_note`; a
        trainee's own withdrawal leaves no note (enrolment.remove, enrolment.withdraw)."""
        return self.status == "withdrawn" and bool(self.decision_note)


class Attendance(Model):
    __tablename__ = "training_attendance"
    __table_args__ = (UniqueConstraint("enrolment_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("training_enrolments.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"), index=True)
    status: Mapped[str] = mapped_column(String(8))
    marked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    enrolment: Mapped[Enrolment] = relationship(back_populates="attendance")
    session: Mapped[Session] = relationship()


class Completion(Model):
    """结业: the assessment result and the certificate obtained."""

    __tablename__ = "training_completions"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("training_enrolments.id"),
                                              unique=True)
    passed: Mapped[bool] = mapped_column(Boolean)
    certificate_type: Mapped[str | None] = mapped_column(String(20))
    certificate_level: Mapped[str | None] = mapped_column(String(20))
    certificate_number: Mapped[str | None] = mapped_column(
        EncryptedText("training_completions.certificate_number"))
    certificate_date: Mapped[date | None] = mapped_column(Date)
    assessed_on: Mapped[date] = mapped_column(Date)
    # The completion certificate in the verification registry.
    verification_code: Mapped[str | None] = mapped_column(String(64), unique=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    enrolment: Mapped[Enrolment] = relationship(back_populates="completion")


class FollowUp(Model):
    """Employment six months after completion (the delay is a parameter)."""

    __tablename__ = "training_followups"
    __table_args__ = (CheckConstraint("monthly_wage_fen IS NULL OR monthly_wage_fen >= 0",
                                      name="wage_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("training_enrolments.id"),
                                              unique=True)
    employed: Mapped[bool] = mapped_column(Boolean)
    employer_name: Mapped[str] = mapped_column(String(120), default="")
    # Set when the employer is a registered enterprise (hired versus committed).
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    employment_form: Mapped[str | None] = mapped_column(String(16))
    monthly_wage_fen: Mapped[int | None] = mapped_column(Integer)
    checked_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    enrolment: Mapped[Enrolment] = relationship(back_populates="followup")
    enterprise: Mapped[Enterprise | None] = relationship()


class ImportJob(Model):
    """A bulk enrolment from Excel: validated whole, imported whole or not at all; its
    progress is polled by the page that started it."""

    __tablename__ = "training_import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("training_batches.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    original_name: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    # [{row, column, message}] with English msgids and their params, translated when shown.
    errors: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the worker last reported (its claim, then each progress step): a job that stays
    # unfinished without a report for import_jobs.STALE_AFTER was interrupted.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The notice version whose signed paper consents the uploader confirmed for every row;
    # the import records it for each person (None: a job from before consent was asked).
    consent_notice_version: Mapped[str | None] = mapped_column(String(16))

    batch: Mapped[Batch] = relationship()


class Invitation(Model):
    """Staff asked a person, found by resident ID number, to join a batch: the person
    confirms (and so applies) or declines on their own page. Staff never learn from it
    whether the number belongs to anyone."""

    __tablename__ = "training_invitations"
    __table_args__ = (UniqueConstraint("batch_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("training_batches.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    batch: Mapped[Batch] = relationship()
    person: Mapped[Person] = relationship()
