"""The subsidy engine: DESIGN §5 as pure functions over plain values, with a trace.

`compute(claim, parameters)` returns the training-fee subsidy (paid to the institution, which
advanced the cost, 先垫后补) and the living allowance including transport (paid to the trainee),
each with its amount, payee, refusal reasons and a trace: every rule applied, with the inputs and
the parameter versions it used and a msgid that explains it (rendered by `explain`). The values
it works on are defined in `values` and re-exported here.

Money is integer fen. Rounding: the day rule is computed exactly in `Decimal`, capped, and then
rounded once, to the fen, with ROUND_HALF_UP; every other amount is a whole number of fen by
construction (standards, fees and per-day rates are fen, multiplied by whole days).

Parameters are those in force on the batch's start date in the batch's region (a city override,
scope = the first 4 digits of the county code, wins over the province value), so a value that
changes during a batch does not apply to it.

Readings beyond DESIGN §5's "precise readings", so that the code and a hand computation agree:
- the person's eligibility (disability certificate, working age, household, employment for
  employment-skills and entrepreneurship training) applies to both subsidies;
- the certificate caps (yearly count, same occupation and level, lower level after higher, the
  12-month claim deadline) apply to the fee subsidy, which is paid for a certificate; the living
  allowance is paid without one and has its own once-a-year rule;
- a certificate without a level (special ability, training) is "the same level" as an earlier
  one without a level in the same occupation, and is never lower or higher than a levelled one;
- `Claim.earlier` holds the person's other subsidies, from every institution, and never the
  decision being computed; only a granted one (eligible, with an amount) that was not rejected
  counts (`EarlierSubsidy.counts`): a refusal uses up nothing;
- the yearly count cap counts approved or paid subsidies; "subsidised once" and "one living
  allowance a year" also count open granted ones (computed or claimed, awaiting approval), so
  that two institutions cannot both claim. Which of a person's open claims gets the subsidy
  does not depend on the order they are computed in: `compute_in_turn` decides them in the
  order of their batches (end date, then start date), each seeing the approved or paid
  subsidies, whatever their batch, and the granted results of the open claims before it;
  a claim is never beaten by one whose batch came later.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from enum import StrEnum
from operator import itemgetter
from typing import Any

from trainhub.subsidies.values import (
    ATTENDED,
    COUNTS_TOWARDS_YEAR,
    LEVEL_RANK,
    NOT_EMPLOYED_ONLY,
    PROVINCE,
    Attendance,
    AttendanceStatus,
    Batch,
    CertificateType,
    Claim,
    Completion,
    DatedValue,
    DecisionStatus,
    EarlierSubsidy,
    Form,
    Level,
    Message,
    Outcome,
    Parameters,
    Payee,
    Person,
    Reason,
    Scalar,
    Session,
    Sex,
    Shown,
    Step,
    Subsidies,
    SubsidyKind,
    SubsidyResult,
    TrainingType,
    UsedParameter,
    add_months,
    age_on,
    attended,
    attended_hours,
    format_number,
    format_percent,
    format_yuan,
    in_person_days,
    online_only_days,
    round_fen,
)

__all__ = [
    "ATTENDED", "PROVINCE", "Attendance", "AttendanceStatus", "Batch", "CertificateType",
    "Claim", "Completion", "DatedValue", "DecisionStatus", "EarlierSubsidy", "Level", "Message",
    "Outcome", "Parameters", "Payee", "Person", "RULES", "Reason", "Rule", "Session", "Sex", "Step",
    "Subsidies",
    "SubsidyKind", "SubsidyResult", "TrainingType", "UsedParameter", "add_months", "age_on",
    "attended_hours", "certificate_term", "compute", "compute_fee", "compute_in_turn",
    "compute_many", "collection_paused",
    "compute_living",
    "format_number", "format_percent", "format_yuan", "in_person_days", "online_only_days",
    "person_eligibility", "round_fen",
]


def N_(message: str) -> str:
    """Marks a msgid for extraction; `explain` translates it when shown."""
    return message


# Terms: placeholder values that are msgids themselves, translated when explained.
SEX_TERMS = {Sex.MALE: N_("men"), Sex.FEMALE: N_("women")}
TRAINING_TYPE_TERMS = {
    TrainingType.EMPLOYMENT_SKILLS: N_("employment skills training"),
    TrainingType.PRE_JOB: N_("pre-job skills training"),
    TrainingType.UPGRADING: N_("on-the-job skills upgrading training"),
    TrainingType.ENTREPRENEURSHIP: N_("entrepreneurship and innovation training"),
}
LEVEL_TERMS = {
    Level.JUNIOR: N_("junior level"), Level.INTERMEDIATE: N_("intermediate level"),
    Level.SENIOR: N_("senior level"), Level.TECHNICIAN: N_("technician level"),
    Level.SENIOR_TECHNICIAN: N_("senior technician level"), None: N_("no level"),
}
_Q, _S = CertificateType.QUALIFICATION, CertificateType.SKILL_LEVEL
CERTIFICATE_TERMS: Mapping[tuple[CertificateType, Level | None], str] = {
    (_Q, Level.JUNIOR): N_("a junior vocational qualification certificate"),
    (_Q, Level.INTERMEDIATE): N_("an intermediate vocational qualification certificate"),
    (_Q, Level.SENIOR): N_("a senior vocational qualification certificate"),
    (_Q, Level.TECHNICIAN): N_("a technician vocational qualification certificate"),
    (_Q, Level.SENIOR_TECHNICIAN): N_("a senior technician vocational qualification certificate"),
    (_S, Level.JUNIOR): N_("a junior vocational skill level certificate"),
    (_S, Level.INTERMEDIATE): N_("an intermediate vocational skill level certificate"),
    (_S, Level.SENIOR): N_("a senior vocational skill level certificate"),
    (_S, Level.TECHNICIAN): N_("a technician vocational skill level certificate"),
    (_S, Level.SENIOR_TECHNICIAN): N_("a senior technician vocational skill level certificate"),
    (CertificateType.SPECIAL_ABILITY, None): N_("a special vocational ability certificate"),
    (CertificateType.TRAINING, None): N_("a training certificate"),
}
STANDARD_KEYS = {
    Level.JUNIOR: "subsidies.fee_junior", Level.INTERMEDIATE: "subsidies.fee_intermediate",
    Level.SENIOR: "subsidies.fee_senior", Level.TECHNICIAN: "subsidies.fee_technician",
    Level.SENIOR_TECHNICIAN: "subsidies.fee_senior_technician", None: "subsidies.fee_special",
}


def certificate_term(completion: Completion) -> str:
    assert completion.certificate_type is not None
    return CERTIFICATE_TERMS[completion.certificate_type, completion.level]


# --- public entry points -------------------------------------------------------------


def compute(claim: Claim, parameters: Parameters) -> Subsidies:
    """Both subsidies of one enrolment (the person's eligibility is checked once for both,
    the attendance counted once for both)."""
    batch = claim.batch
    values = parameters.views.get((batch.start_date, batch.region_code))
    if values is None:  # the first claim of its batch, or of its date and county
        values = _InForce.of(claim, parameters)
    eligibility = _eligibility(claim, values)
    hours, in_person, online = attended(claim.attendance)
    return _subsidies(_fee(claim, values, eligibility, hours),
                     _living(claim, values, eligibility, len(in_person), len(online)))


def compute_many(claims: Iterable[Claim], parameters: Parameters) -> list[Subsidies]:
    """compute() for each of many claims (a batch, a benchmark), with Python's cyclic
    garbage collector paused meanwhile: computing makes no garbage, only results that are
    kept, and each full collection would rescan every result made so far (a third of the
    time of 10,000 claims, measured)."""
    with collection_paused():
        return [compute(claim, parameters) for claim in claims]


@contextmanager
def collection_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compute_in_turn(claims: Mapping[int, Claim], parameters: Parameters,
                    open_kinds: Mapping[int, Collection[SubsidyKind]] | None = None
                    ) -> dict[int, tuple[Claim, Subsidies]]:
    """The open claims of one person (keyed by a stable number, the service's enrolment id),
    decided in turn: the earliest batch first (end date, then start date, then key). Each
    claim's `earlier` holds the person's decided subsidies (approved or paid: final, whatever
    their batch); the granted subsidies of the claims before it are added to it. The answer
    for each key is the claim as computed (with those earlier subsidies) and its result: the
    same in whatever order the claims are given. `open_kinds` names, for each key, the
    subsidies still open (by default both): a decided one is already in `earlier`."""
    answers: dict[int, tuple[Claim, Subsidies]] = {}
    before: list[EarlierSubsidy] = []
    for key in sorted(claims, key=lambda k: (claims[k].batch.end_date,
                                             claims[k].batch.start_date, k)):
        claim = dataclasses.replace(claims[key], earlier=(*claims[key].earlier, *before))
        result = compute(claim, parameters)
        answers[key] = (claim, result)
        still_open = tuple(SubsidyKind) if open_kinds is None else open_kinds.get(key, ())
        before += [_as_earlier(claim, outcome) for outcome in (result.fee, result.living)
                   if outcome.kind in still_open and outcome.eligible and outcome.amount > 0]
    return answers


def _as_earlier(claim: Claim, outcome: SubsidyResult) -> EarlierSubsidy:
    return EarlierSubsidy(kind=outcome.kind, occupation=claim.batch.occupation,
                          level=claim.completion.level,
                          certificate_date=claim.completion.certificate_date,
                          batch_end_date=claim.batch.end_date, status=DecisionStatus.COMPUTED)


def compute_fee(claim: Claim, parameters: Parameters) -> SubsidyResult:
    """The training-fee subsidy, paid to the institution."""
    values = _InForce.of(claim, parameters)
    return _fee(claim, values, _eligibility(claim, values), attended(claim.attendance)[0])


def compute_living(claim: Claim, parameters: Parameters) -> SubsidyResult:
    """The living allowance including transport, paid to the trainee."""
    values = _InForce.of(claim, parameters)
    _, in_person, online = attended(claim.attendance)
    return _living(claim, values, _eligibility(claim, values), len(in_person), len(online))


def person_eligibility(person: Person, on: date, region_code: str,
                       parameters: Parameters) -> list[Step]:
    """The conditions on the person alone (disability certificate, working age by sex,
    Jiangxi household) on a date, with the values in force there and then: what an electronic
    training voucher is issued against, before any batch is known. The employment condition
    depends on the training type, so it is checked only with a batch."""
    return list(_person_conditions(person, _InForce(on, region_code, parameters)))


_FEE, _LIVING = SubsidyKind.FEE, SubsidyKind.LIVING
_INSTITUTION, _TRAINEE = Payee.INSTITUTION, Payee.TRAINEE
_REJECTED = DecisionStatus.REJECTED
_reason = itemgetter(6)  # Step.reason, read by C code when the reasons are gathered


# SubsidyResult and Subsidies are frozen: their generated __init__ sets each field through
# object.__setattr__, which takes twice as long as setting the slot itself, as these do (the
# engine makes three such objects a claim; the objects are the same). They set every field
# of the class, in order: checked here, so that a field added to the class is not forgotten.
_RESULT_FIELDS = ("kind", "eligible", "amount", "payee", "reasons", "trace")
assert tuple(f.name for f in dataclasses.fields(SubsidyResult)) == _RESULT_FIELDS
assert tuple(f.name for f in dataclasses.fields(Subsidies)) == ("fee", "living")
_new = object.__new__
_set_kind, _set_eligible, _set_amount, _set_payee, _set_reasons, _set_trace = (
    getattr(SubsidyResult, name).__set__ for name in _RESULT_FIELDS)
_set_fee, _set_living = (getattr(Subsidies, name).__set__ for name in ("fee", "living"))


def _result(kind: SubsidyKind, eligible: bool, amount: int, payee: Payee,
            reasons: tuple[Reason, ...], trace: tuple[Step, ...]) -> SubsidyResult:
    result = _new(SubsidyResult)
    _set_kind(result, kind)
    _set_eligible(result, eligible)
    _set_amount(result, amount)
    _set_payee(result, payee)
    _set_reasons(result, reasons)
    _set_trace(result, trace)
    return result


def _subsidies(fee: SubsidyResult, living: SubsidyResult) -> Subsidies:
    both = _new(Subsidies)
    _set_fee(both, fee)
    _set_living(both, living)
    return both


def _fee(claim: Claim, values: _InForce, eligibility: tuple[Step, ...],
         hours: Decimal) -> SubsidyResult:
    completion = claim.completion
    steps = eligibility + _completion(completion, values)
    certified = completion.certificate_date
    if certified is not None:
        steps += _certificate_caps(claim, certified, values)
    reasons = tuple(filter(None, map(_reason, steps)))
    if reasons:
        return _result(_FEE, False, 0, _INSTITUTION, values.reasons.setdefault(reasons, reasons),
                       steps)
    amount, calculation = _fee_amount(claim, values, hours)
    return _result(_FEE, True, amount, _INSTITUTION, (), steps + calculation)


def _living(claim: Claim, values: _InForce, eligibility: tuple[Step, ...], days: int,
            online: int) -> SubsidyResult:
    steps = eligibility + _living_conditions(claim, days, online, values)
    reasons = tuple(filter(None, map(_reason, steps)))
    if reasons:
        return _result(_LIVING, False, 0, _TRAINEE, values.reasons.setdefault(reasons, reasons),
                       steps)
    amount, calculation = _living_amount(days, values)
    return _result(_LIVING, True, amount, _TRAINEE, (), steps + calculation)


# --- building the trace --------------------------------------------------------------


class _InForce:
    """The parameter values in force on one date in one region (for a claim: the batch's
    start date and region), each looked up the first time a claim needs it and then read as
    a plain attribute (`values.max_per_year or values.value("max_per_year")`: None until
    then). The claims of a batch share one (Parameters.views), and the views of the dates of
    one period (`Parameters.period`: no value changes between them) share what they found,
    so each value is looked up once per period, not once per claim or batch. The steps the
    claims make alike are made once (`step` and `memo`: Parameters.made).

    Plain attributes set here, not properties or __getattr__: either would keep Python
    from specialising the reads of every attribute of a view, some ten a claim."""

    def __init__(self, on: date, region_code: str, parameters: Parameters) -> None:
        self.on, self._region = on, region_code
        self._parameters = parameters
        period = (parameters.period(on, region_code[:4]), region_code[:4])
        # values by name, standards by certificate
        self._period: dict[Any, Any] = parameters.views.setdefault(period, {})
        # Steps by their values, and the parameter tuples they name by identity (Parameters
        # keeps them): the same for each view of these parameters.
        self.memo = parameters.made
        # the same reasons, the same tuple (the results keep one each: the fewer objects,
        # the less the collector scans once the results are made)
        self.reasons: dict[tuple[Reason, ...], tuple[Reason, ...]] = (
            parameters.made.setdefault("reasons", {}))
        self.certificate_steps: dict[bool, Step] = {}  # by certificate held, on this date
        found = self._period.get  # what the other views of the period found already
        self.ages_of_men: tuple[int, int, tuple[UsedParameter, ...]] | None = found(
            "ages_of_men")
        self.ages_of_women: tuple[int, int, tuple[UsedParameter, ...]] | None = found(
            "ages_of_women")
        self.max_per_year: tuple[int, tuple[UsedParameter]] | None = found("max_per_year")
        self.claim_deadline_months: tuple[int, tuple[UsedParameter]] | None = found(
            "claim_deadline_months")
        self.threshold: tuple[Decimal, tuple[UsedParameter]] | None = found("threshold")
        self.day_rule: tuple[int, Decimal, int, Decimal, tuple[UsedParameter],
                             tuple[UsedParameter, ...]] | None = found("day_rule")
        self.living_batches_per_year: tuple[int, tuple[UsedParameter]] | None = found(
            "living_batches_per_year")
        self.living_rates: tuple[int, int, int, tuple[UsedParameter],
                                 tuple[UsedParameter, ...]] | None = found("living_rates")
        self.full_standard: Step | None = found("full_standard")

    @classmethod
    def of(cls, claim: Claim, parameters: Parameters) -> _InForce:
        on, region = claim.batch.start_date, claim.batch.region_code
        view = parameters.views.get((on, region))
        if view is None:
            view = parameters.views[on, region] = cls(on, region, parameters)
        return view

    def value(self, name: str) -> Any:
        """A value this view has not read yet (its attribute is None): as another view of its
        period found it, or looked up now (on this view's date: a value not in force is
        reported for it, and looked up again by the next claim)."""
        found = self._period.get(name)
        if found is None:
            found = self._period[name] = _RESOLVERS[name](self)
        setattr(self, name, found)
        return found

    def step(self, rule: Rule, variant: int, args: tuple[Any, ...],
             parameters: tuple[UsedParameter, ...] = ()) -> Step:
        """The rule's step, the same object for every claim that makes it with the same
        values: a batch's claims mostly do, and a shared step costs neither memory nor the
        collector's time (its parameter tuple is named by identity: Parameters keeps it)."""
        key = (rule.name, variant, args, id(parameters))
        made = self.memo.get(key)
        if made is None:
            made = self.memo[key] = rule.step(variant, args, parameters)
        return made

    def standard(self, certificate_type: CertificateType | None, level: Level | None
                 ) -> tuple[int, Step]:
        """The standard subsidy for a certificate, and the step that says it."""
        found = self._period.get((certificate_type, level))
        if found is None:
            standard, used = self._int(STANDARD_KEYS[level])
            found = self._period[certificate_type, level] = (standard, STANDARD.step(
                0, (standard, _CODES[certificate_type], _CODES[level]), used))
        return found

    def _int(self, key: str) -> tuple[int, tuple[UsedParameter]]:
        """A whole-number value, and the tuple a step names it in."""
        used, named = self._parameters.found(key, self.on, self._region)
        if not isinstance(used.value, int):
            raise TypeError(f"parameter {key} must be a whole number")
        return used.value, named

    def _decimal(self, key: str) -> tuple[Decimal, tuple[UsedParameter]]:
        used, named = self._parameters.found(key, self.on, self._region)
        return Decimal(used.value), named

    def _shared(self, *named: tuple[UsedParameter]) -> tuple[UsedParameter, ...]:
        """The values of several keys as one tuple, shared by the steps that name them."""
        return self._parameters.shared(*(n[0] for n in named))

    def _ages(self, limit_key: str) -> tuple[int, int, tuple[UsedParameter, ...]]:
        """(the minimum age, the limit, the values named): the working age of a sex."""
        minimum, min_used = self._int("subsidies.working_age_min")
        limit, limit_used = self._int(limit_key)
        return minimum, limit, self._shared(min_used, limit_used)

    def _day_rule(self) -> tuple[int, Decimal, int, Decimal, tuple[UsedParameter],
                                 tuple[UsedParameter, ...]]:
        """(the rate per day, the same as a Decimal, the hours of a day, the cap's percent,
        the cap's value named, the rate's and the hours' values named)."""
        per_day, per_day_used = self._int("subsidies.day_rule_per_day")
        hours_per_day, hours_used = self._int("subsidies.hours_per_day")
        cap_percent, cap_used = self._decimal("subsidies.day_rule_cap_percent")
        return (per_day, Decimal(per_day), hours_per_day, cap_percent, cap_used,
                self._shared(per_day_used, hours_used))

    def _full_standard(self) -> Step:
        return FULL_STANDARD.step(0, ((self.threshold or self.value("threshold"))[0],))

    def _living_rates(self) -> tuple[int, int, int, tuple[UsedParameter],
                                     tuple[UsedParameter, ...]]:
        """(living and transport per day, the most days paid, its value named, the three
        values named)."""
        living, living_used = self._int("subsidies.living_per_day")
        transport, transport_used = self._int("subsidies.transport_per_day")
        max_days, max_used = self._int("subsidies.living_max_days")
        return (living, transport, max_days, max_used,
                self._shared(living_used, transport_used, max_used))


_RESOLVERS: dict[str, Callable[[_InForce], Any]] = {
    "ages_of_men": lambda view: view._ages("subsidies.working_age_limit_male"),
    "ages_of_women": lambda view: view._ages("subsidies.working_age_limit_female"),
    "max_per_year": lambda view: view._int("subsidies.max_per_year"),
    "claim_deadline_months": lambda view: view._int("subsidies.claim_deadline_months"),
    "threshold": lambda view: view._decimal("subsidies.attendance_threshold_percent"),
    "day_rule": _InForce._day_rule,
    "living_batches_per_year": lambda view: view._int("subsidies.living_batches_per_year"),
    "living_rates": _InForce._living_rates,
    "full_standard": _InForce._full_standard,
}


Variant = tuple[Outcome, str, Reason | None]


@dataclasses.dataclass(frozen=True)
class Rule:
    """A rule of the trace: its name, the sentences it can say (each with its outcome and,
    for a failed condition, the refusal reason) and its form, which formats a step's raw
    values for display. A stored step names its rule and the index of its variant."""

    name: str
    form: Form
    variants: tuple[Variant, ...]

    def step(self, variant: int, args: tuple[Any, ...],
             parameters: tuple[UsedParameter, ...] = ()) -> Step:
        outcome, msgid, reason = self.variants[variant]
        # tuple.__new__ skips the NamedTuple's keyword-handling constructor: the engine
        # makes some fourteen steps a claim, and this is its most frequent call.
        return _new_step(Step, (self.name, outcome, msgid, args, self.form, parameters,
                                reason))

    def variant_of(self, step: Step) -> int:
        """The index of the step's sentence among this rule's (as a stored step names it)."""
        return self._index[step.outcome, step.msgid, step.reason]

    @functools.cached_property
    def _index(self) -> dict[Variant, int]:
        return {variant: i for i, variant in enumerate(self.variants)}

    def check(self, ok: bool, args: tuple[Any, ...],
              parameters: tuple[UsedParameter, ...] = ()) -> Step:
        """A condition: variant 0 when it holds, 1 when it does not."""
        return self.step(0 if ok else 1, args, parameters)


RULES: dict[str, Rule] = {}
_new_step = tuple.__new__


def _rule(name: str, form: Form, *variants: Variant) -> Rule:
    rule = RULES[name] = Rule(name, form, variants)
    return rule


def _passed(msgid: str) -> Variant:
    return Outcome.PASSED, msgid, None


def _failed(msgid: str, reason: Reason) -> Variant:
    return Outcome.FAILED, msgid, reason


def _applied(msgid: str) -> Variant:
    return Outcome.APPLIED, msgid, None


# Forms read dates with str() and decimals with Decimal(): the same for the values the
# engine holds and for their JSON text once stored. Steps keep codes, not enum members, so
# that their values are plain and the garbage collector soon stops scanning them.
def _iso(day: object) -> str | None:
    return None if day is None else str(day)


def _code(value: object) -> str | None:
    return None if value is None else str(value)


# _code of each enum member the engine puts in a step, read by a look-up.
_CODES: dict[StrEnum | None, str | None] = {
    member: member.value for kind in (Sex, TrainingType, CertificateType, Level)
    for member in kind}
_CODES[None] = None


# --- eligibility of the person, on the batch's start date ----------------------------


def _eligibility(claim: Claim, values: _InForce) -> tuple[Step, ...]:
    person = claim.person
    return (*_person_conditions(person, values),
            EMPLOYMENT_STEPS[person.employed_at_enrolment][claim.batch.training_type])


def _person_conditions(person: Person, values: _InForce) -> tuple[Step, Step, Step]:
    """On the view's date: the batch's start date, or the day a voucher is issued."""
    if person.family_member:
        certificate = FAMILY_MEMBER_STEP
    else:
        held = person.has_valid_certificate
        certificate = values.certificate_steps.get(held)  # type: ignore[assignment]
        if certificate is None:
            certificate = values.certificate_steps[held] = CERTIFICATE.check(
                held, (held, values.on))
    return (certificate,
            _working_age(person, values),
            HOUSEHOLD_STEPS[person.household_in_jiangxi])


# A seat taken as a family member of a person with disabilities brings no subsidy (DESIGN
# §4): this condition stands for the certificate one, which such a seat does not rest on.
FAMILY_MEMBER = _rule(
    "eligibility.family_member", lambda args: ({}, {}, {"family_member": True}),
    _failed(N_("You took part in the training as a family member of a person with "
               "disabilities; family members receive neither the training subsidy nor "
               "the living allowance."), Reason.FAMILY_MEMBER))
FAMILY_MEMBER_STEP = FAMILY_MEMBER.step(0, ())


def _certificate_form(args: tuple[Any, ...]) -> Shown:
    held, start = args
    return {"start": str(start)}, {}, {"has_valid_certificate": held, "start_date": str(start)}


CERTIFICATE = _rule(
    "eligibility.disability_certificate", _certificate_form,
    _passed(N_("You held a valid disability certificate on the start date of the "
               "training (%(start)s).")),
    _failed(N_("You did not hold a valid disability certificate on the start date of "
               "the training (%(start)s)."), Reason.NO_DISABILITY_CERTIFICATE))


HOUSEHOLD = _rule(
    "eligibility.household", lambda args: ({}, {}, {"household_in_jiangxi": args[0]}),
    _passed(N_("Your household is registered in Jiangxi Province.")),
    _failed(N_("Your household is not registered in Jiangxi Province; the subsidies are "
               "for people with a Jiangxi household registration."),
            Reason.HOUSEHOLD_OUTSIDE_JIANGXI))
# The steps of conditions on a yes or no alone, made once: every claim says one of them.
HOUSEHOLD_STEPS = {held: HOUSEHOLD.check(held, (held,)) for held in (False, True)}


def _working_age_form(args: tuple[Any, ...]) -> Shown:
    sex, age, birth, start, minimum, limit = args
    return ({"age": str(age), "start": str(start), "min": str(minimum), "limit": str(limit)},
            {"sex": SEX_TERMS[sex]},
            {"sex": str(sex), "age": age, "birth_date": str(birth), "start_date": str(start)})


WORKING_AGE = _rule(
    "eligibility.working_age", _working_age_form,
    _passed(N_("You were %(age)s years old on the start date of the training (%(start)s), "
               "within the working age of %(sex)s (from %(min)s, below %(limit)s).")),
    _failed(N_("You were %(age)s years old on the start date of the training (%(start)s); "
               "the subsidies start at the age of %(min)s."), Reason.UNDER_WORKING_AGE),
    _failed(N_("You were %(age)s years old on the start date of the training (%(start)s); "
               "the working age of %(sex)s ends before the age of %(limit)s."),
            Reason.OVER_WORKING_AGE))


_MALE = Sex.MALE


def _working_age(person: Person, values: _InForce) -> Step:
    start, birth = values.on, person.birth_date
    age = age_on(birth, start)
    minimum, limit, used = ((values.ages_of_men or values.value("ages_of_men"))
                            if person.sex is _MALE
                            else values.ages_of_women or values.value("ages_of_women"))
    variant = 1 if age < minimum else 2 if age >= limit else 0
    # a birth date is the person's own: this step is seldom another claim's, so not shared
    return WORKING_AGE.step(variant, (_CODES[person.sex], age, birth, start, minimum, limit),
                            used)


def _employment_form(args: tuple[Any, ...]) -> Shown:
    employed, training_type = args
    return ({}, {"training_type": TRAINING_TYPE_TERMS[training_type]},
            {"employed_at_enrolment": employed, "training_type": str(training_type)})


EMPLOYMENT = _rule(
    "eligibility.employment", _employment_form,
    _passed(N_("You were employed at enrolment, which %(training_type)s allows.")),
    _failed(N_("You were employed at enrolment, but %(training_type)s is subsidised only for "
               "people who are not employed."), Reason.EMPLOYED_AT_ENROLMENT),
    _passed(N_("You were not employed at enrolment.")))


def _employment(employed: bool, training_type: TrainingType) -> Step:
    args = (employed, training_type.value)
    if not employed:
        return EMPLOYMENT.step(2, args)
    return EMPLOYMENT.check(training_type not in NOT_EMPLOYED_ONLY, args)


EMPLOYMENT_STEPS = {employed: {kind: _employment(employed, kind) for kind in TrainingType}
                    for employed in (False, True)}


# --- the training-fee subsidy ----------------------------------------------------------


def _completion_form(args: tuple[Any, ...]) -> Shown:
    passed, certificate_type, level, certified = args
    inputs: dict[str, Scalar] = {"passed": passed, "certificate_type": _code(certificate_type),
                                 "level": _code(level), "certificate_date": _iso(certified)}
    if not passed or certificate_type is None:  # a refusal says no values
        return {}, {}, inputs
    return ({"date": str(certified)},
            {"certificate": CERTIFICATE_TERMS[certificate_type, level]}, inputs)


COMPLETION = _rule(
    "fee.completion", _completion_form,
    _passed(N_("You passed the final assessment and obtained %(certificate)s on %(date)s.")),
    _failed(N_("You did not pass the final assessment; the training-fee subsidy requires "
               "passing it."), Reason.ASSESSMENT_NOT_PASSED))
CERTIFICATE_OBTAINED = _rule(
    "fee.certificate", _completion_form,
    _failed(N_("You did not obtain a certificate; the training-fee subsidy requires one."),
            Reason.NO_CERTIFICATE))


def _completion(completion: Completion, values: _InForce) -> tuple[Step, ...]:
    args = (completion.passed, _CODES[completion.certificate_type], _CODES[completion.level],
            completion.certificate_date)
    key = ("fee.completion", args)
    steps = values.memo.get(key)
    if steps is None:
        steps = values.memo[key] = _completion_steps(completion, args)
    return steps


def _completion_steps(completion: Completion, args: tuple[Any, ...]) -> tuple[Step, ...]:
    if not completion.passed:
        failed = COMPLETION.step(1, args)
        if completion.certificate_type is None:
            return failed, CERTIFICATE_OBTAINED.step(0, args)
        return (failed,)
    if completion.certificate_type is None:
        return (CERTIFICATE_OBTAINED.step(0, args),)
    return (COMPLETION.step(0, args),)


def _certificate_caps(claim: Claim, certified: date, values: _InForce) -> tuple[Step, ...]:
    """The yearly count, the same occupation and level, a lower level after a higher one
    (the person's earlier training-fee subsidies that count, in one pass), and the claim
    deadline."""
    occupation, level = claim.batch.occupation, claim.completion.level
    year = certified.year
    this_year = same_level = 0
    highest: Level | None = None  # the highest earlier level above this one
    for e in claim.earlier:
        if e.kind is not _FEE or not e.granted or e.status is _REJECTED:  # .counts
            continue
        if (e.status in COUNTS_TOWARDS_YEAR and e.certificate_date is not None
                and e.certificate_date.year == year):
            this_year += 1
        if e.occupation == occupation:
            if e.level is level:
                same_level += 1
            elif (level is not None and e.level is not None
                  and LEVEL_RANK[e.level] > LEVEL_RANK[level]
                  and (highest is None or LEVEL_RANK[e.level] > LEVEL_RANK[highest])):
                highest = e.level
    maximum, used = values.max_per_year or values.value("max_per_year")
    key = ("caps", occupation, level, year, this_year, same_level, highest, id(used))
    caps = values.memo.get(key)
    if caps is None:
        caps = values.memo[key] = _cap_steps(occupation, level, year, this_year, same_level,
                                             highest, maximum, used)
    return (*caps, _claim_deadline(certified, claim.claim_date, values))


def _cap_steps(occupation: str, level: Level | None, year: int, this_year: int,
               same_level: int, highest: Level | None, maximum: int,
               used: tuple[UsedParameter]) -> tuple[Step, ...]:
    steps = (YEARLY_COUNT.check(this_year < maximum, (this_year, year, maximum), used),
             SAME_LEVEL.check(same_level == 0, (occupation, _CODES[level], same_level)))
    if level is None:  # an unlevelled certificate is never "lower"
        return steps
    return (*steps, LOWER_LEVEL.check(highest is None,
                                      (occupation, _CODES[level], _CODES[highest])))


def _yearly_count_form(args: tuple[Any, ...]) -> Shown:
    count, year, maximum = args
    return ({"count": str(count), "year": str(year), "max": str(maximum)}, {},
            {"counted": count, "certificate_year": year})


YEARLY_COUNT = _rule(
    "cap.yearly_count", _yearly_count_form,
    _passed(N_("Training-fee subsidies for certificates dated in %(year)s: %(count)s "
               "approved or paid before this one, and at most %(max)s are granted per "
               "calendar year.")),
    _failed(N_("Training-fee subsidies for certificates dated in %(year)s: you already had "
               "%(count)s approved or paid, and at most %(max)s are granted per calendar "
               "year."), Reason.YEARLY_CAP_REACHED))


def _same_level_form(args: tuple[Any, ...]) -> Shown:
    occupation, level, count = args
    return ({"occupation": occupation}, {"level": LEVEL_TERMS[level]},
            {"occupation": occupation, "level": _code(level), "earlier_same": count})


SAME_LEVEL = _rule(
    "cap.same_occupation_level", _same_level_form,
    _passed(N_("You had no earlier training-fee subsidy for the occupation %(occupation)s at "
               "this level (%(level)s).")),
    _failed(N_("You already had a training-fee subsidy for the occupation %(occupation)s at "
               "this level (%(level)s); it is granted once in a lifetime."),
            Reason.SAME_OCCUPATION_LEVEL))


def _lower_level_form(args: tuple[Any, ...]) -> Shown:
    occupation, level, highest = args
    return ({"occupation": occupation},
            {"level": LEVEL_TERMS[level], "earlier_level": LEVEL_TERMS[highest]},
            {"occupation": occupation, "level": str(level),
             "highest_earlier_level": _code(highest)})


LOWER_LEVEL = _rule(
    "cap.lower_level", _lower_level_form,
    _passed(N_("You had no earlier training-fee subsidy for the occupation %(occupation)s at "
               "a level higher than %(level)s.")),
    _failed(N_("You already had a training-fee subsidy for the occupation %(occupation)s at "
               "a higher level (%(earlier_level)s); a lower level (%(level)s) is not "
               "subsidised after a higher one."), Reason.LOWER_LEVEL_AFTER_HIGHER))


def _claim_deadline_form(args: tuple[Any, ...]) -> Shown:
    claimed, months, certified, deadline = args
    return ({"claim": str(claimed), "months": str(months), "certificate_date": str(certified),
             "deadline": str(deadline)}, {},
            {"claim_date": str(claimed), "certificate_date": str(certified)})


CLAIM_DEADLINE = _rule(
    "cap.claim_deadline", _claim_deadline_form,
    _passed(N_("The claim was submitted on %(claim)s, within %(months)s months of the "
               "certificate date (%(certificate_date)s); the deadline was %(deadline)s.")),
    _failed(N_("The claim was submitted on %(claim)s, more than %(months)s months after the "
               "certificate date (%(certificate_date)s); the deadline was %(deadline)s."),
            Reason.CLAIM_DEADLINE_PASSED))


def _claim_deadline(certified: date, claimed: date, values: _InForce) -> Step:
    months, used = values.claim_deadline_months or values.value("claim_deadline_months")
    deadline = add_months(certified, months)
    # the claim date is often a claim's own (the service's batches share it; not the bench's
    # claims): made, not looked up among the steps already made
    return CLAIM_DEADLINE.step(0 if claimed <= deadline else 1,
                               (claimed, months, certified, deadline), used)


def _standard_form(args: tuple[Any, ...]) -> Shown:
    standard, certificate_type, level = args
    return ({"standard": format_yuan(standard)},
            {"certificate": CERTIFICATE_TERMS[certificate_type, level]},
            {"certificate_type": str(certificate_type), "level": _code(level)})


STANDARD = _rule("fee.standard", _standard_form,
                 _applied(N_("The standard subsidy for %(certificate)s is %(standard)s yuan.")))


def _attendance_form(args: tuple[Any, ...]) -> Shown:
    attended, planned, threshold, sessions = args
    attended, planned = Decimal(attended), Decimal(planned)
    return ({"attended": format_number(attended), "planned": format_number(planned),
             "rate": format_percent(attended * 100 / planned),
             "threshold": format_number(Decimal(threshold))}, {},
            {"attended_hours": str(attended), "planned_hours": str(planned),
             "sessions": sessions})


ATTENDANCE = _rule(
    "fee.attendance", _attendance_form,
    _applied(N_("You attended %(attended)s of the %(planned)s planned hours, an attendance "
                "rate of %(rate)s%%; the full subsidy needs %(threshold)s%%.")))
FULL_STANDARD = _rule(
    "fee.full_standard",
    lambda args: ({"threshold": format_number(Decimal(args[0]))}, {}, {}),
    _applied(N_("Your attendance reached %(threshold)s%%, so the full standard applies.")))


def _fee_cap_form(args: tuple[Any, ...]) -> Shown:
    fee = args[0]
    return {"fee": format_yuan(fee), "amount": format_yuan(fee)}, {}, {"fee_charged": fee}


FEE_CAP = _rule(
    "fee.fee_cap", _fee_cap_form,
    _applied(N_("The institution charged %(fee)s yuan; the subsidy never exceeds the fee "
                "charged, so it is %(amount)s yuan.")))


def _fee_amount(claim: Claim, values: _InForce, attended: Decimal
                ) -> tuple[int, tuple[Step, ...]]:
    completion, batch = claim.completion, claim.batch
    fee = batch.fee_charged
    standard, standard_step = values.standard(completion.certificate_type, completion.level)
    threshold, threshold_used = values.threshold or values.value("threshold")
    steps: tuple[Step, ...] = (
        standard_step,
        values.step(ATTENDANCE, 0, (attended, batch.planned_hours, threshold,
                                    len(claim.attendance.sessions)), threshold_used),
    )
    if attended * 100 >= threshold * batch.planned_hours:
        steps += (values.full_standard or values.value("full_standard"),)
        if fee < standard:
            return fee, (*steps, values.step(FEE_CAP, 0, (fee,)))
        return standard, steps  # whole fen: nothing to round
    exact, day_rule = _day_rule(attended, standard, threshold, fee, values)
    steps += day_rule
    if fee < exact:
        return fee, (*steps, values.step(FEE_CAP, 0, (fee,)))
    return round_fen(exact), steps


def _day_rule_form(args: tuple[Any, ...]) -> Shown:
    threshold, per_day, hours_per_day, attended, by_days = args
    by_days = Decimal(by_days)
    return ({"threshold": format_number(Decimal(threshold)), "per_day": format_yuan(per_day),
             "hours_per_day": str(hours_per_day), "hours": format_number(Decimal(attended)),
             "by_days": format_yuan(round_fen(by_days))}, {},
            {"attended_hours": str(attended), "by_days_exact": str(by_days)})


DAY_RULE = _rule(
    "fee.day_rule", _day_rule_form,
    _applied(N_("Below %(threshold)s%% the subsidy is %(per_day)s yuan per %(hours_per_day)s "
                "hours attended: %(hours)s hours give %(by_days)s yuan.")))


def _day_rule_cap_form(args: tuple[Any, ...]) -> Shown:
    cap_percent, cap = args[0], Decimal(args[1])
    return ({"cap_percent": format_number(Decimal(cap_percent)),
             "cap": format_yuan(round_fen(cap))}, {}, {"cap_exact": str(cap)})


DAY_RULE_CAP = _rule(
    "fee.day_rule_cap", _day_rule_cap_form,
    _applied(N_("The day rule pays at most %(cap_percent)s%% of the standard, that is "
                "%(cap)s yuan.")))


def _day_rule(attended: Decimal, standard: int, threshold: Decimal, fee: int,
              values: _InForce) -> tuple[Decimal, tuple[Step, ...]]:
    """Below the attendance threshold: pro rata per day attended, capped (the fee cap is
    applied by the caller, after this cap, with the same result as in any order)."""
    per_day, per_day_exact, hours_per_day, cap_percent, cap_used, used = (
        values.day_rule or values.value("day_rule"))
    by_days = per_day_exact * attended / hours_per_day
    cap = Decimal(standard) * cap_percent / 100
    steps: tuple[Step, ...] = (
        values.step(DAY_RULE, 0, (threshold, per_day, hours_per_day, attended, by_days), used),)
    if cap < by_days and cap <= fee:
        steps += (values.step(DAY_RULE_CAP, 0, (cap_percent, cap), cap_used),)
    return min(by_days, cap), steps


# --- the living allowance, including transport -----------------------------------------


WITHDRAWAL = _rule(
    "living.withdrawal", lambda args: ({}, {}, {"withdrew": args[0]}),
    _passed(N_("You did not withdraw from the training.")),
    _failed(N_("You withdrew from the training; the living allowance is not paid to a "
               "trainee who withdrew."), Reason.WITHDREW))


WITHDRAWAL_STEPS = {withdrew: WITHDRAWAL.check(not withdrew, (withdrew,))
                    for withdrew in (False, True)}


def _once_per_year_form(args: tuple[Any, ...]) -> Shown:
    count, year, maximum = args
    return ({"count": str(count), "year": str(year), "max": str(maximum)}, {},
            {"counted": count, "batch_end_year": year})


ONCE_PER_YEAR = _rule(
    "living.once_per_year", _once_per_year_form,
    _passed(N_("Living allowances for trainings ending in %(year)s: %(count)s before this "
               "one, and at most %(max)s are paid per calendar year.")),
    _failed(N_("Living allowances for trainings ending in %(year)s: you already had "
               "%(count)s, and at most %(max)s are paid per calendar year."),
            Reason.LIVING_ALREADY_THIS_YEAR))


def _living_conditions(claim: Claim, days: int, online: int, values: _InForce
                       ) -> tuple[Step, ...]:
    """Withdrawal, one living allowance a year, in-person days (and online-only ones)."""
    withdrew, year = claim.attendance.withdrew, claim.batch.end_date.year
    count = sum(1 for e in claim.earlier if e.kind is _LIVING and e.granted
                and e.status is not _REJECTED  # EarlierSubsidy.counts
                and e.batch_end_date.year == year)
    maximum, used = values.living_batches_per_year or values.value("living_batches_per_year")
    key = ("living", withdrew, year, count, days, online, id(used))
    steps = values.memo.get(key)
    if steps is None:
        steps = (WITHDRAWAL_STEPS[withdrew],
                 ONCE_PER_YEAR.check(count < maximum, (count, year, maximum), used),
                 DAYS.check(days > 0, (days, online)))
        if days and online:
            steps += (ONLINE_DAYS.step(0, (days, online)),)
        values.memo[key] = steps
    return steps


def _days_form(args: tuple[Any, ...]) -> Shown:
    days, online = args
    return ({"days": str(days), "online": str(online)}, {},
            {"in_person_days": days, "online_only_days": online})


DAYS = _rule(
    "living.days", _days_form,
    _passed(N_("You attended in-person training on %(days)s days.")),
    _failed(N_("You attended no in-person training session; online sessions give no living "
               "allowance."), Reason.NO_IN_PERSON_DAYS))
ONLINE_DAYS = _rule(
    "living.online_days", _days_form,
    _applied(N_("On %(online)s other days you attended online only, which gives no living "
                "allowance.")))


DAY_CAP = _rule(
    "living.day_cap",
    lambda args: ({"max": str(args[0])}, {}, {"in_person_days": args[1]}),
    _applied(N_("At most %(max)s days are paid per training.")))


def _amount_form(args: tuple[Any, ...]) -> Shown:
    paid_days, living, transport = args
    return ({"days": str(paid_days), "per_day": format_yuan(living + transport),
             "living": format_yuan(living), "transport": format_yuan(transport),
             "amount": format_yuan(paid_days * (living + transport))}, {},
            {"paid_days": paid_days})


LIVING_AMOUNT = _rule(
    "living.amount", _amount_form,
    _applied(N_("%(days)s days × %(per_day)s yuan (%(living)s yuan living and %(transport)s "
                "yuan transport) = %(amount)s yuan.")))


def _living_amount(days: int, values: _InForce) -> tuple[int, tuple[Step, ...]]:
    rates = values.living_rates or values.value("living_rates")
    key = ("living.amount", days, id(rates))  # the rates' tuple: kept in the period's values
    found = values.memo.get(key)
    if found is None:
        living, transport, max_days, max_used, used = rates
        paid_days = min(days, max_days)
        steps: tuple[Step, ...] = (LIVING_AMOUNT.step(0, (paid_days, living, transport),
                                                      used),)
        if days > max_days:
            steps = (DAY_CAP.step(0, (max_days, days), max_used), *steps)
        found = values.memo[key] = paid_days * (living + transport), steps
    return found
