"""The subsidy engine's values: inputs, outputs and small pure helpers (the rules are in
`engine`, which re-exports all of this).

Inputs and outputs are frozen dataclasses of plain values: `date`, `Decimal` hours and rates,
integer fen, and string enums whose values are the codes the service stores.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, NamedTuple

PROVINCE = "36"


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"


class TrainingType(StrEnum):
    EMPLOYMENT_SKILLS = "employment_skills"  # 就业技能培训
    PRE_JOB = "pre_job"  # 岗前技能培训
    UPGRADING = "upgrading"  # 岗位技能提升培训
    ENTREPRENEURSHIP = "entrepreneurship"  # 创业创新培训


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"


class CertificateType(StrEnum):
    QUALIFICATION = "qualification"  # 职业资格证书
    SKILL_LEVEL = "skill_level"  # 职业技能等级证书
    SPECIAL_ABILITY = "special_ability"  # 专项职业能力证书
    TRAINING = "training"  # 培训合格证书


class Level(StrEnum):
    JUNIOR = "junior"
    INTERMEDIATE = "intermediate"
    SENIOR = "senior"
    TECHNICIAN = "technician"
    SENIOR_TECHNICIAN = "senior_technician"


class SubsidyKind(StrEnum):
    FEE = "fee"
    LIVING = "living"


class DecisionStatus(StrEnum):
    COMPUTED = "computed"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"


class Payee(StrEnum):
    INSTITUTION = "institution"
    TRAINEE = "trainee"


class Outcome(StrEnum):
    PASSED = "passed"  # a condition that holds
    FAILED = "failed"  # a condition that does not: the step names the refusal reason
    APPLIED = "applied"  # a step of the calculation


class Reason(StrEnum):
    NO_DISABILITY_CERTIFICATE = "no_disability_certificate"
    UNDER_WORKING_AGE = "under_working_age"
    OVER_WORKING_AGE = "over_working_age"
    HOUSEHOLD_OUTSIDE_JIANGXI = "household_outside_jiangxi"
    EMPLOYED_AT_ENROLMENT = "employed_at_enrolment"
    ASSESSMENT_NOT_PASSED = "assessment_not_passed"
    NO_CERTIFICATE = "no_certificate"
    YEARLY_CAP_REACHED = "yearly_cap_reached"
    SAME_OCCUPATION_LEVEL = "same_occupation_level"
    LOWER_LEVEL_AFTER_HIGHER = "lower_level_after_higher"
    CLAIM_DEADLINE_PASSED = "claim_deadline_passed"
    WITHDREW = "withdrew"
    NO_IN_PERSON_DAYS = "no_in_person_days"
    LIVING_ALREADY_THIS_YEAR = "living_already_this_year"
    FAMILY_MEMBER = "family_member"


LEVEL_RANK = {level: rank for rank, level in enumerate(Level)}
LEVELLED = frozenset({CertificateType.QUALIFICATION, CertificateType.SKILL_LEVEL})
ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})
NOT_EMPLOYED_ONLY = frozenset({TrainingType.EMPLOYMENT_SKILLS, TrainingType.ENTREPRENEURSHIP})
COUNTS_TOWARDS_YEAR = frozenset({DecisionStatus.APPROVED, DecisionStatus.PAID})

# --- inputs --------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    key: str  # stands for the ID number: the caps hold across institutions
    sex: Sex
    birth_date: date
    has_valid_certificate: bool  # the disability certificate
    household_in_jiangxi: bool
    employed_at_enrolment: bool
    # The seat was taken as a family member of a person with disabilities (残疾人家庭成员,
    # DESIGN §4): admitted with the note that no subsidy follows.
    family_member: bool = False


@dataclass(frozen=True)
class Batch:
    start_date: date
    end_date: date
    region_code: str  # 6-digit county code; its city is the first 4 digits
    training_type: TrainingType
    occupation: str
    fee_charged: int  # fen
    planned_hours: Decimal
    institution_id: str

    def __post_init__(self) -> None:
        if self.planned_hours <= 0 or self.fee_charged < 0 or self.end_date < self.start_date:
            raise ValueError("a batch needs planned hours > 0, a fee >= 0 and end >= start")


@dataclass(frozen=True)
class Session:
    date: date
    hours: Decimal
    in_person: bool  # online sessions give no living allowance
    status: AttendanceStatus


@dataclass(frozen=True)
class Attendance:
    sessions: tuple[Session, ...]
    withdrew: bool = False


@dataclass(frozen=True)
class Completion:
    passed: bool
    certificate_type: CertificateType | None = None
    level: Level | None = None
    certificate_date: date | None = None

    def __post_init__(self) -> None:
        if (self.certificate_type is None) != (self.certificate_date is None):
            raise ValueError("a certificate has a type and a date, or neither")
        if (self.certificate_type in LEVELLED) != (self.level is not None):
            raise ValueError("qualification and skill-level certificates, and only they, "
                             "have a level")


@dataclass(frozen=True)
class EarlierSubsidy:
    """Another decision of the same person. Only a granted one (eligible, with an amount)
    that was not rejected is a subsidy the caps count; a refusal counts for nothing."""

    kind: SubsidyKind
    occupation: str
    level: Level | None
    certificate_date: date | None
    batch_end_date: date
    status: DecisionStatus
    granted: bool = True

    @property
    def counts(self) -> bool:
        return self.granted and self.status is not DecisionStatus.REJECTED


@dataclass(frozen=True)
class Claim:
    person: Person
    batch: Batch
    attendance: Attendance
    completion: Completion
    claim_date: date  # the 12-month deadline runs from the certificate date to this date
    earlier: tuple[EarlierSubsidy, ...] = ()


@dataclass(frozen=True)
class DatedValue:
    effective_from: date
    value: int | Decimal
    version: str  # opaque: the service's id of this stored value


@dataclass(frozen=True)
class UsedParameter:
    key: str
    value: int | Decimal
    effective_from: date
    version: str
    scope: str  # PROVINCE or a 4-digit city code

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "value": str(self.value), "version": self.version,
                "effective_from": self.effective_from.isoformat(), "scope": self.scope}


@dataclass(frozen=True)
class Parameters:
    """Dated values per key, for the province and optionally per city (4-digit code)."""

    province: Mapping[str, Sequence[DatedValue]]
    cities: Mapping[str, Mapping[str, Sequence[DatedValue]]] = field(default_factory=dict)
    # Answers already found, by (key, date, city), each with the one-value tuple a step
    # names it in: the claims of a batch, or of a month's batches, share their date and
    # region, so each value is looked up once, not per claim, and the steps of thousands of
    # claims share the same tuples instead of each keeping its own.
    _found: dict[tuple[str, date, str], tuple[UsedParameter, tuple[UsedParameter]]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)
    _shared: dict[tuple[int, ...], tuple[UsedParameter, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)
    # The same dated value found for several dates, once, by (key, the DatedValue's
    # identity: the tables keep it, scope): the steps of claims starting on different dates
    # then name the same tuple, and can be the same step.
    _by_value: dict[tuple[str, int, str], tuple[UsedParameter, tuple[UsedParameter]]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)
    # The dates on which a value of a city (or of the province) changes, by city.
    _changes: dict[str, list[date]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)
    # The engine's view of the values in force on one date in one county, by (date, county
    # code), and the values its views found for a period (`period`), by (period, city).
    views: dict[tuple[date | int, str], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)
    # The engine's steps already made, by their rule, values and parameters: the claims
    # computed with these parameters share a step they would each make the same.
    made: dict[Any, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def in_force(self, key: str, on: date, region_code: str) -> UsedParameter:
        return self.found(key, on, region_code)[0]

    def found(self, key: str, on: date, region_code: str
              ) -> tuple[UsedParameter, tuple[UsedParameter]]:
        """The value in force, and the same value as a tuple of one."""
        city = region_code[:4]
        found = self._found.get((key, on, city))
        if found is None:
            scope, best = self._look_up(key, on, city)
            slot = (key, id(best), scope)
            found = self._by_value.get(slot)
            if found is None:
                used = UsedParameter(key, best.value, best.effective_from, best.version, scope)
                found = self._by_value[slot] = (used, (used,))
            self._found[(key, on, city)] = found
        return found

    def period(self, on: date, city: str) -> int:
        """The period `on` falls in, among the dates on which a value of the city or the
        province changes: on two dates of one period, every value in force is the same."""
        changes = self._changes.get(city)
        if changes is None:
            changes = self._changes[city] = sorted({
                dated.effective_from for table in (self.province, self.cities.get(city, {}))
                for values in table.values() for dated in values})
        return bisect_right(changes, on)

    def shared(self, *used: UsedParameter) -> tuple[UsedParameter, ...]:
        """The same tuple for the same values found (by identity: they are kept in
        `_found` as long as this object lives)."""
        return self._shared.setdefault(tuple(map(id, used)), used)

    def _look_up(self, key: str, on: date, city: str) -> tuple[str, DatedValue]:
        """The scope and the dated value in force."""
        for scope, table in ((city, self.cities.get(city, {})), (PROVINCE, self.province)):
            dated = [v for v in table.get(key, ()) if v.effective_from <= on]
            if dated:
                return scope, max(dated, key=lambda v: v.effective_from)
        raise LookupError(f"no value of {key} is in force on {on.isoformat()} in {city}")


# --- outputs -------------------------------------------------------------------------

Scalar = str | int | bool | None
# What a step shows: its message's params and terms, and the inputs it names.
Shown = tuple[Mapping[str, str], Mapping[str, str], Mapping[str, Scalar]]
# A rule's form: from the step's raw values (`args`) to what it shows. The args are plain
# values (int, bool, str, `date`, `Decimal`, enum codes), and a form reads them the same
# once stored as JSON (dates as ISO text, decimals as text), so a stored trace is shown
# with the very code that shows a fresh one.
Form = Callable[[tuple[Any, ...]], Shown]


@dataclass(frozen=True)
class Message:
    """A msgid and its display values; `terms` are values that are msgids themselves."""

    msgid: str
    params: Mapping[str, str] = field(default_factory=dict)
    terms: Mapping[str, str] = field(default_factory=dict)


def _given(args: tuple[Any, ...]) -> Shown:
    """The form of a step whose text values were stored already formatted."""
    params, terms, inputs = args
    return params, terms, inputs


class Step(NamedTuple):
    """One rule applied. It keeps the raw values the rule read (`args`) and its msgid; the
    text (message params, terms, inputs by name) is formatted by the rule's `form` only
    when shown or stored in full: the engine builds thousands of steps nobody reads, and a
    tuple of plain values is cheap to make and to keep."""

    rule: str
    outcome: Outcome
    msgid: str
    args: tuple[Any, ...]
    form: Form
    parameters: tuple[UsedParameter, ...] = ()
    reason: Reason | None = None

    @classmethod
    def given(cls, rule: str, outcome: Outcome, message: Message,
              inputs: Mapping[str, Scalar] | None = None,
              parameters: tuple[UsedParameter, ...] = (), reason: Reason | None = None
              ) -> Step:
        """A step whose message and inputs are already formatted (a trace stored in full)."""
        return cls(rule, outcome, message.msgid,
                   (dict(message.params), dict(message.terms), dict(inputs or {})), _given,
                   parameters, reason)

    @property
    def message(self) -> Message:
        params, terms, _ = self.form(self.args)
        return Message(self.msgid, params, terms)

    @property
    def inputs(self) -> Mapping[str, Scalar]:
        return self.form(self.args)[2]

    def as_dict(self) -> dict[str, Any]:
        params, terms, inputs = self.form(self.args)
        return {"rule": self.rule, "outcome": self.outcome.value,
                "msgid": self.msgid, "params": dict(params),
                "terms": dict(terms), "inputs": dict(inputs),
                "parameters": [p.as_dict() for p in self.parameters],
                "reason": None if self.reason is None else self.reason.value}


@dataclass(frozen=True, slots=True)
class SubsidyResult:
    kind: SubsidyKind
    eligible: bool
    amount: int  # fen; 0 when refused
    payee: Payee
    reasons: tuple[Reason, ...]
    trace: tuple[Step, ...]

    def step(self, rule: str) -> Step | None:
        return next((s for s in self.trace if s.rule == rule), None)

    def parameter_versions(self) -> tuple[UsedParameter, ...]:
        seen: dict[str, UsedParameter] = {}
        for step in self.trace:
            for used in step.parameters:
                seen.setdefault(used.key, used)
        return tuple(seen.values())

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "eligible": self.eligible, "amount": self.amount,
                "payee": self.payee.value, "reasons": [r.value for r in self.reasons],
                "trace": [s.as_dict() for s in self.trace],
                "parameters": [p.as_dict() for p in self.parameter_versions()]}


@dataclass(frozen=True, slots=True)
class Subsidies:
    fee: SubsidyResult
    living: SubsidyResult


# --- small pure helpers ----------------------------------------------------------------


def age_on(birth: date, on: date) -> int:
    """Age in completed years."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def round_fen(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_yuan(fen: int) -> str:
    """150000 fen → "1,500.00" (yuan, two decimals, thousands separated)."""
    sign, fen = ("-", -fen) if fen < 0 else ("", fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def format_number(value: Decimal | int) -> str:
    """Hours and rates without trailing zeros: 52.50 → "52.5", 80.0 → "80"."""
    return f"{Decimal(value).normalize():f}"


def format_percent(rate: Decimal) -> str:
    """Truncated to 0.1 so that a rate just below a threshold never displays as reaching it."""
    return format_number(rate.quantize(Decimal("0.1"), rounding=ROUND_DOWN))


_NO_HOURS = Decimal(0)


def attended(attendance: Attendance) -> tuple[Decimal, set[date], set[date]]:
    """(the hours attended, the in-person days attended, the days attended online only), in
    one pass over the sessions: the rules of a claim read all three. Counted afresh on each
    call, not kept on the attendance: a claim is computed once, and a kept count would let a
    repeated computation (a benchmark's) skip work a first one does."""
    hours = _NO_HOURS
    in_person: set[date] = set()
    online: set[date] = set()
    in_person_day, online_day = in_person.add, online.add
    for session in attendance.sessions:
        if session.status in ATTENDED:
            hours += session.hours
            if session.in_person:
                in_person_day(session.date)
            else:
                online_day(session.date)
    return hours, in_person, online - in_person


def attended_hours(attendance: Attendance) -> Decimal:
    return attended(attendance)[0]


def in_person_days(attendance: Attendance) -> frozenset[date]:
    return frozenset(attended(attendance)[1])


def online_only_days(attendance: Attendance) -> frozenset[date]:
    return frozenset(attended(attendance)[2])


