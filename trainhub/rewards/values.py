"""The reward engine's values: the declaration, the parameters in force and the result (the
rules are in `engine`).

Frozen dataclasses of plain values: `date`, `Decimal` for the staff count and the quota,
integer fen for money, and string enums whose values are the codes the service will store.
The generic pieces of a trace (a message, a dated parameter used, how money and numbers are
written) are the subsidy engine's, so that both traces are stored and shown alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from trainhub.subsidies.values import Message, Outcome, Sex, UsedParameter

__all__ = [
    "Declaration",
    "DeclaredPerson",
    "Exclusion",
    "Message",
    "Outcome",
    "PersonResult",
    "Refusal",
    "RewardParameters",
    "RewardResult",
    "Sex",
    "Step",
    "UsedParameter",
]


class Exclusion(StrEnum):
    """Why a declared person is not counted."""

    CERTIFICATE_NOT_VALID = "certificate_not_valid"
    UNDER_WORKING_AGE = "under_working_age"
    OVER_WORKING_AGE = "over_working_age"
    CONTRACT_TOO_SHORT = "contract_too_short"
    TOO_FEW_INSURANCE_MONTHS = "too_few_insurance_months"
    WAGE_BELOW_MINIMUM = "wage_below_minimum"


class Refusal(StrEnum):
    """Why a declaration cannot be decided at all: bad input, nothing is computed."""

    STAFF_NOT_POSITIVE = "staff_not_positive"
    MORE_PERSONS_THAN_STAFF = "more_persons_than_staff"
    PERSON_TWICE = "person_twice"
    YEAR_NOT_ENDED = "year_not_ended"
    GRADE_UNKNOWN = "grade_unknown"
    INSURANCE_MONTHS_OUT_OF_RANGE = "insurance_months_out_of_range"
    CONTRACT_OUTSIDE_YEAR = "contract_outside_year"
    CONTRACT_ENDS_BEFORE_START = "contract_ends_before_start"
    WAGE_NEGATIVE = "wage_negative"


# --- inputs --------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclaredPerson:
    """One employee with a disability, as the enterprise declares them for the year."""

    key: str  # stands for the ID number (the service passes its blind index)
    sex: Sex
    birth_date: date
    grade: int  # disability grade, 1 (most severe) to 4
    certificate_valid_from: date
    certificate_valid_until: date | None  # None: valid without a time limit (长期)
    contract_start: date
    contract_end: date | None  # None: a contract without a fixed term (无固定期限)
    insurance_months: int  # months of social insurance paid in the year, 0 to 12
    monthly_wage: int  # fen


@dataclass(frozen=True)
class Declaration:
    year: int  # the reward year
    staff: Decimal  # 在职职工总数: the year's average, so possibly fractional
    persons: tuple[DeclaredPerson, ...]
    declared_on: date  # a year is declared once it has ended


@dataclass(frozen=True)
class RewardParameters:
    """The values in force for one reward year and county, resolved beforehand (by
    `engine.resolve`), each with the dated value it came from in `used`."""

    quota_percent: Decimal  # 1.5: the quota is staff × 1.5 %
    multiple: int  # 3: the reward per extra person is 3 months of the minimum wage
    severe_grade_max: int  # 2: grades 1 and 2 …
    severe_grade_weight: int  # … count as 2 persons
    min_contract_years: int
    min_insurance_months: int
    working_age_min: int
    working_age_limit_male: int  # a man is of working age while younger than this
    working_age_limit_female: int
    minimum_wage: int  # fen a month: the county's, in force on 31 December of the year before
    minimum_wage_tier: int
    minimum_wage_on: date
    used: Mapping[str, UsedParameter]

    def sources(self, *keys: str) -> tuple[UsedParameter, ...]:
        return tuple(self.used[k] for k in keys if k in self.used)


# --- outputs -------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One rule applied: a condition that held or failed, or a step of the calculation."""

    rule: str
    outcome: Outcome
    message: Message
    parameters: tuple[UsedParameter, ...] = ()
    reason: str | None = None  # an Exclusion or Refusal code, for a failed condition

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "outcome": self.outcome.value,
            "msgid": self.message.msgid,
            "params": dict(self.message.params),
            "terms": dict(self.message.terms),
            "parameters": [p.as_dict() for p in self.parameters],
            "reason": self.reason,
        }


@dataclass(frozen=True)
class PersonResult:
    row: int  # the person's place in the declaration, from 1
    key: str
    weight: int  # how many persons they count as: 0 when not counted
    exclusions: tuple[Exclusion, ...]
    trace: tuple[Step, ...]

    @property
    def counted(self) -> bool:
        return not self.exclusions

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "weight": self.weight,
            "exclusions": [e.value for e in self.exclusions],
            "trace": [s.as_dict() for s in self.trace],
        }


@dataclass(frozen=True)
class RewardResult:
    year: int
    refusals: tuple[Refusal, ...]  # when any: nothing below is computed
    persons: tuple[PersonResult, ...]
    counted: int  # persons counted, the double count included
    quota: Decimal  # staff × rate, not rounded
    excess: Decimal  # counted − quota (negative below the quota)
    rewarded: int  # ⌊excess⌋ when excess ≥ 1, else 0
    amount: int  # fen
    trace: tuple[Step, ...]

    @property
    def accepted(self) -> bool:
        return not self.refusals

    def parameter_versions(self) -> tuple[UsedParameter, ...]:
        seen: dict[str, UsedParameter] = {}
        for step in (*self.trace, *(s for p in self.persons for s in p.trace)):
            for used in step.parameters:
                seen.setdefault(used.key, used)
        return tuple(seen.values())

    def as_dict(self) -> dict[str, Any]:
        """What a stored decision keeps: plain JSON values (the quota and the excess as
        exact decimal text; the persons by row, without their keys)."""
        return {
            "year": self.year,
            "refusals": [r.value for r in self.refusals],
            "persons": [p.as_dict() for p in self.persons],
            "counted": self.counted,
            "quota": str(self.quota),
            "excess": str(self.excess),
            "rewarded": self.rewarded,
            "amount": self.amount,
            "trace": [s.as_dict() for s in self.trace],
            "parameters": [p.as_dict() for p in self.parameter_versions()],
        }
