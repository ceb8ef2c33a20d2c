"""Tables of the subsidies domain: decisions (one per enrolment and kind, with what the
engine was given and what it answered), payments, budgets and electronic vouchers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainhub.core.organisations import Institution
from trainhub.core.people.models import Person
from trainhub.core.timeutil import utcnow
from trainhub.core.types import UTCDateTime
from trainhub.extensions import Model
from trainhub.subsidies import stored
from trainhub.subsidies.engine import SubsidyResult
from trainhub.training.models import Batch, Enrolment

# jsonb on PostgreSQL: stored without the whitespace and key order of the text, and read
# without reparsing a text column.
JSONValue = JSON().with_variant(JSONB(), "postgresql")


class ClaimInputs(Model):
    """What the engine was given for one enrolment's claim (`decisions.inputs_snapshot`),
    stored once for both of its decisions. A recomputation stores a new row; a frozen
    decision keeps pointing to the one it was computed from."""

    __tablename__ = "subsidy_claim_inputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("training_enrolments.id"), index=True)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSONValue)


class Decision(Model):
    """One subsidy of one trainee for one batch. Computed from a snapshot of its inputs with
    the parameter versions in force; frozen once approved."""

    __tablename__ = "subsidy_decisions"
    __table_args__ = (UniqueConstraint("enrolment_id", "kind"),
                      CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
                      # The approval queue: a status's decisions in the order served, with
                      # what its scope and filters read, as key columns so that SQLite (no
                      # INCLUDE) too answers the page's ids, counts and choices from the
                      # index alone (migrations 0019, 0037).
                      Index("ix_subsidy_decisions_queue", "status", "submitted_at", "id",
                            "region_code", "institution_id", "batch_id", "kind"),
                      # an institution's decisions, counted by status from the index alone
                      # (the staff home page; migration 0038)
                      Index("ix_subsidy_decisions_institution_status", "institution_id",
                            "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("training_enrolments.id"), index=True)
    # The person, not the enrolment, carries the caps across institutions.
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("training_batches.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10), index=True)
    eligible: Mapped[bool] = mapped_column(Boolean)
    amount_fen: Mapped[int] = mapped_column(Integer)
    payee: Mapped[str] = mapped_column(String(12))
    reasons: Mapped[list[str]] = mapped_column(JSONValue, default=list)
    inputs_id: Mapped[int] = mapped_column(ForeignKey("subsidy_claim_inputs.id"), index=True)
    parameters: Mapped[list[dict[str, str]]] = mapped_column(JSONValue, default=list)
    # The compact trace (`stored.encode`; older decisions: each step in full).
    steps: Mapped[list[Any]] = mapped_column("trace", JSONValue, default=list)
    # The Chinese text as a decision computed before explanations were rendered when shown
    # stored it (None since: `explanation` renders it from the trace).
    stored_explanation: Mapped[str | None] = mapped_column("explanation", Text)
    # What the caps of later claims read: the certificate and the occupation.
    occupation: Mapped[str] = mapped_column(String(80))
    certificate_level: Mapped[str | None] = mapped_column(String(20))
    certificate_date: Mapped[date | None] = mapped_column(Date, index=True)
    batch_end_date: Mapped[date] = mapped_column(Date)
    claim_date: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The budget year an approval is charged to (the local year of the approval).
    budget_year: Mapped[int | None] = mapped_column(Integer, index=True)
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    verification_code: Mapped[str | None] = mapped_column(String(64), unique=True)

    enrolment: Mapped[Enrolment] = relationship()
    person: Mapped[Person] = relationship()
    batch: Mapped[Batch] = relationship()
    institution: Mapped[Institution] = relationship()
    payment: Mapped[Payment | None] = relationship(back_populates="decision")
    claim_inputs: Mapped[ClaimInputs] = relationship()

    @property
    def inputs(self) -> dict[str, Any]:
        return self.claim_inputs.inputs

    @property
    def trace(self) -> list[dict[str, Any]]:
        """Every step in full (`Step.as_dict()`): what the API answers."""
        return [step.as_dict() for step in stored.decode(self.steps, self.parameters)]

    @property
    def explanation(self) -> str:
        """In Chinese, the language of the notice: rendered from the trace when read."""
        if self.stored_explanation is not None:
            return self.stored_explanation
        from trainhub.subsidies import decisions  # which imports these models

        return decisions.chinese_explanation(self.result())

    @explanation.setter
    def explanation(self, text: str) -> None:
        self.stored_explanation = text

    def result(self) -> SubsidyResult:
        """The engine's answer as this decision keeps it."""
        return stored.result(self.kind, self.eligible, self.amount_fen, self.payee,
                             self.reasons, self.steps, self.parameters)

    @property
    def granted(self) -> bool:
        """Granted by the rules and not rejected by the federation."""
        return self.eligible and self.status != "rejected"

    @property
    def granted_fen(self) -> int:
        """What the person is granted: nothing when the rules refused it or the federation
        rejected it (`amount_fen` of a rejected decision keeps what the rules computed)."""
        return self.amount_fen if self.granted else 0


class Payment(Model):
    """The payment of a decision; one at most (the unique key is the last guard)."""

    __tablename__ = "subsidy_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("subsidy_decisions.id"), unique=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    paid_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(64))
    payee_name: Mapped[str] = mapped_column(String(120))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    decision: Mapped[Decision] = relationship(back_populates="payment")


class Budget(Model):
    """A region's yearly budget for one kind of subsidy."""

    __tablename__ = "subsidy_budgets"
    __table_args__ = (UniqueConstraint("region_code", "year", "kind"),
                      CheckConstraint("amount_fen >= 0", name="amount_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    # A province's budget can pass ¥21 million, the limit of a 32-bit integer of fen.
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Voucher(Model):
    """职业技能电子培训券: issued to a person, claimed by them, redeemed at enrolment,
    settled against the fee subsidy at completion."""

    __tablename__ = "subsidy_vouchers"
    __table_args__ = (CheckConstraint("face_value_fen > 0", name="face_value_positive"),
                      CheckConstraint("valid_until >= valid_from", name="validity_ordered"))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    face_value_fen: Mapped[int] = mapped_column(Integer)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: any
    institution_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # empty: any
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), index=True)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("training_enrolments.id"),
                                                     unique=True)
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("subsidy_decisions.id"))
    settled_fen: Mapped[int | None] = mapped_column(Integer)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(String(500))

    person: Mapped[Person] = relationship()
    enrolment: Mapped[Enrolment | None] = relationship()
