"""Parameters and their dated values.

A parameter (e.g. `bases.notice_days`) has any number of values, each in force from its
effective date until the next one of the same scope. The scope is the province ("36") or a
city (4-digit code): a city override wins over the province value in that city. The province
is stored as "36", not NULL, so that the unique (parameter, scope, date) constraint holds on
SQLite and PostgreSQL alike (NULLs never collide in SQL unique constraints).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainhub.core.accounts.models import User
from trainhub.core.timeutil import utcnow
from trainhub.core.types import UTCDateTime
from trainhub.extensions import Model

PROVINCE = "36"


class ValueType(StrEnum):
    INT = "int"
    DECIMAL = "decimal"
    TEXT = "text"
    JSON = "json"


class Domain(StrEnum):
    CORE = "core"
    BASES = "bases"
    TRAINING = "training"
    SUBSIDIES = "subsidies"
    COMPETITIONS = "competitions"
    REWARDS = "rewards"


VALUE_TYPES = tuple(t.value for t in ValueType)


class Parameter(Model):
    __tablename__ = "parameters"
    __table_args__ = (
        CheckConstraint("value_type IN ('" + "','".join(VALUE_TYPES) + "')",
                        name="value_type_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    domain: Mapped[str] = mapped_column(String(16))
    # English msgids, shown translated.
    label_msgid: Mapped[str] = mapped_column(String(200))
    description_msgid: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(16), default="")
    value_type: Mapped[str] = mapped_column(String(8))
    legal_reference: Mapped[str] = mapped_column(String(200), default="")
    # Checks beyond the unit's: {"min": "1", "max": "20", "shape": "score_sheet", "total": 100}
    constraints: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    values: Mapped[list[ParameterValue]] = relationship(back_populates="parameter")

    def __repr__(self) -> str:
        return f"<Parameter {self.key}>"


class ParameterValue(Model):
    __tablename__ = "parameter_values"
    __table_args__ = (
        UniqueConstraint("parameter_id", "region_code", "effective_from",
                         name="uq_parameter_values_scope_date"),
        CheckConstraint("length(region_code) IN (2, 4)", name="scope_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parameter_id: Mapped[int] = mapped_column(ForeignKey("parameters.id"))
    # "36" for the whole province, else a 4-digit city code (an override).
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), default=PROVINCE)
    effective_from: Mapped[date] = mapped_column(Date)
    # Text, parsed by the parameter's value_type (int, Decimal, text, JSON): never a float.
    value: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when a decision first used this value; from then on the value is frozen.
    first_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    parameter: Mapped[Parameter] = relationship(back_populates="values")
    created_by: Mapped[User | None] = relationship()

    @property
    def is_used(self) -> bool:
        return self.first_used_at is not None

    @property
    def is_province(self) -> bool:
        return self.region_code == PROVINCE

    def __repr__(self) -> str:
        return f"<ParameterValue {self.parameter_id} {self.region_code} {self.effective_from}>"
