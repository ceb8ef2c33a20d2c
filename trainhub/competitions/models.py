"""Tables of the competitions domain: competitions and their events with a marking scheme,
city delegations and their entries, judges and their assignments, marks, flag resolutions,
corrections after the lock, appeals, and the published results."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainhub.core.accounts.models import User
from trainhub.core.people.models import Person
from trainhub.core.timeutil import utcnow
from trainhub.core.types import UTCDateTime
from trainhub.extensions import Model

MARK = Numeric(7, 2)


class Competition(Model):
    __tablename__ = "competitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # The organising federation: its officers run the competition.
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    registration_opens: Mapped[date] = mapped_column(Date)
    registration_closes: Mapped[date] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    events: Mapped[list[Event]] = relationship(back_populates="competition",
                                               order_by="Event.id")
    arbitrators: Mapped[list[Arbitrator]] = relationship(back_populates="competition")


class Event(Model):
    """项目: one occupation's contest, with its marking scheme and eligibility rules."""

    __tablename__ = "competition_events"
    __table_args__ = (CheckConstraint("team_size >= 1", name="team_size_positive"),
                      CheckConstraint("quota >= 1", name="quota_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    occupation: Mapped[str] = mapped_column(String(80))
    team_size: Mapped[int] = mapped_column(Integer, default=1)  # 1: individual entry
    quota: Mapped[int] = mapped_column(Integer)  # entries per delegation
    # Eligibility as data: empty lists mean any.
    categories: Mapped[list[int]] = mapped_column(JSON, default=list)
    grades: Mapped[list[int]] = mapped_column(JSON, default=list)
    age_reference_date: Mapped[date] = mapped_column(Date)
    exclude_title_holders: Mapped[bool] = mapped_column(Boolean, default=True)
    award_rule: Mapped[str] = mapped_column(String(8), default="bands")  # bands / ratio
    award_ratios: Mapped[list[Any]] = mapped_column(JSON, default=list)
    tie_breaks: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: default chain
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    cancellation_note: Mapped[str] = mapped_column(Text, default="")
    draw_seed: Mapped[str | None] = mapped_column(String(64))
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the appeal window
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Counted up by database triggers on every change to the event's marks, entries,
    # resolutions and judge assignments (migration 0014): the live scoreboard's cache key.
    marks_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    competition: Mapped[Competition] = relationship(back_populates="events")
    aspects: Mapped[list[Aspect]] = relationship(back_populates="event",
                                                 order_by="Aspect.position")
    entries: Mapped[list[Entry]] = relationship(back_populates="event", order_by="Entry.id")
    assignments: Mapped[list[Assignment]] = relationship(back_populates="event")


class Aspect(Model):
    """One aspect of the marking scheme (measurement, or judgement on 0–3 or points)."""

    __tablename__ = "competition_aspects"
    __table_args__ = (UniqueConstraint("event_id", "code"),
                      CheckConstraint("max_mark > 0", name="max_positive"),
                      CheckConstraint("step > 0", name="step_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("competition_events.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12))  # measurement / judgement
    scale: Mapped[str | None] = mapped_column(String(8))  # wsos / points (judgement only)
    max_mark: Mapped[Decimal] = mapped_column(MARK)
    step: Mapped[Decimal] = mapped_column(MARK, default=Decimal("0.5"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    event: Mapped[Event] = relationship(back_populates="aspects")


class Delegation(Model):
    """代表队: a city's team at a competition."""

    __tablename__ = "competition_delegations"
    __table_args__ = (UniqueConstraint("competition_id", "region_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    leader: Mapped[str] = mapped_column(String(64), default="")

    entries: Mapped[list[Entry]] = relationship(back_populates="delegation")


class Entry(Model):
    """A delegation's entry in an event: one contestant, or a team."""

    __tablename__ = "competition_entries"
    __table_args__ = (UniqueConstraint("event_id", "station_no", name="uq_entries_station"),
                      UniqueConstraint("event_id", "code", name="uq_entries_code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("competition_events.id"), index=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("competition_delegations.id"),
                                               index=True)
    # registered → confirmed (by the organiser) or refused; withdrawn before the deadline.
    status: Mapped[str] = mapped_column(String(10), default="registered", index=True)
    refusal_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    station_no: Mapped[int | None] = mapped_column(Integer)   # 工位号
    code: Mapped[str | None] = mapped_column(String(16))      # 加密号
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    event: Mapped[Event] = relationship(back_populates="entries")
    delegation: Mapped[Delegation] = relationship(back_populates="entries")
    members: Mapped[list[EntryMember]] = relationship(back_populates="entry",
                                                      cascade="all, delete-orphan",
                                                      order_by="EntryMember.id")


class EntryMember(Model):
    __tablename__ = "competition_entry_members"
    __table_args__ = (UniqueConstraint("entry_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("competition_entries.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)

    entry: Mapped[Entry] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()


class Judge(Model):
    """The judges' registry: who they are, where from (for 回避), what they judge."""

    __tablename__ = "competition_judges"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    home_region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))  # a city
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list)

    user: Mapped[User] = relationship()


class Assignment(Model):
    __tablename__ = "competition_assignments"
    __table_args__ = (UniqueConstraint("event_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("competition_events.id"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("competition_judges.id"), index=True)
    chief: Mapped[bool] = mapped_column(Boolean, default=False)

    event: Mapped[Event] = relationship(back_populates="assignments")
    judge: Mapped[Judge] = relationship()


class Arbitrator(Model):
    """仲裁组: decides appeals and approves corrections after the lock."""

    __tablename__ = "competition_arbitrators"
    __table_args__ = (UniqueConstraint("competition_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    competition: Mapped[Competition] = relationship(back_populates="arbitrators")
    user: Mapped[User] = relationship()


class Mark(Model):
    """One judge's mark on one aspect of one entry. A measurement aspect has one mark per
    entry, whoever enters it: its `slot` is 0, a judgement mark's slot is its judge, and the
    unique key on the slot lets the database refuse a second sheet."""

    __tablename__ = "competition_marks"
    __table_args__ = (UniqueConstraint("entry_id", "aspect_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("competition_entries.id"), index=True)
    aspect_id: Mapped[int] = mapped_column(ForeignKey("competition_aspects.id"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("competition_judges.id"), index=True)
    slot: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(MARK)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # None: a draft
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Resolution(Model):
    """The chief judge's answer to a disagreement flag."""

    __tablename__ = "competition_resolutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("competition_entries.id"), index=True)
    aspect_id: Mapped[int] = mapped_column(ForeignKey("competition_aspects.id"))
    action: Mapped[str] = mapped_column(String(10))  # confirm / remark
    reason: Mapped[str] = mapped_column(Text, default="")
    marks: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # judge id → mark seen
    resolved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Correction(Model):
    """A change of a mark after the lock: a reason and a second approver, logged publicly."""

    __tablename__ = "competition_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    mark_id: Mapped[int] = mapped_column(ForeignKey("competition_marks.id"), index=True)
    old_value: Mapped[Decimal] = mapped_column(MARK)
    new_value: Mapped[Decimal] = mapped_column(MARK)
    reason: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Appeal(Model):
    """An appeal by a delegation within the window after the event."""

    __tablename__ = "competition_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("competition_events.id"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("competition_entries.id"))
    content: Mapped[str] = mapped_column(Text)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decision: Mapped[str | None] = mapped_column(String(10))  # upheld / dismissed
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Result(Model):
    """The published standing of an entry, frozen at publication."""

    __tablename__ = "competition_results"
    __table_args__ = (UniqueConstraint("entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("competition_events.id"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("competition_entries.id"))
    rank: Mapped[int] = mapped_column(Integer)
    total: Mapped[Decimal] = mapped_column(MARK)
    standardised: Mapped[int | None] = mapped_column(Integer)
    award: Mapped[str | None] = mapped_column(String(16))
    # The mark of each aspect code as a decimal string; null where the aspect has none.
    breakdown: Mapped[dict[str, str | None]] = mapped_column(JSON, default=dict)
    verification_code: Mapped[str | None] = mapped_column(String(64), unique=True)

    entry: Mapped[Entry] = relationship()
    selection: Mapped[Selection | None] = relationship(viewonly=True)


class Selection(Model):
    """选拔: after publication, the organisers name a result's contestants for a national
    or international competition, with the reason; withdrawing deletes the row (the audit
    log keeps both steps)."""

    __tablename__ = "competition_selections"
    __table_args__ = (UniqueConstraint("result_id"),
                      CheckConstraint("level IN ('national', 'international')",
                                      name="level_known"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("competition_events.id"), index=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("competition_results.id"))
    level: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    selected_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    selected_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    result: Mapped[Result] = relationship()
