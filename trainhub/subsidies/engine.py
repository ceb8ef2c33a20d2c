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
from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal

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
    Step,
    Subsidies,
    SubsidyKind,
    SubsidyResult,
    TrainingType,
    UsedParameter,
    add_months,
    age_on,
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
    "Outcome", "Parameters", "Payee", "Person", "Reason", "Session", "Sex", "Step", "Subsidies",
    "SubsidyKind", "SubsidyResult", "TrainingType", "UsedParameter", "add_months", "age_on",
    "attended_hours", "certificate_term", "compute", "compute_fee", "compute_in_turn",
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
    """Both subsidies of one enrolment (the person's eligibility is checked once for both)."""
    values = _InForce.of(claim, parameters)
    eligibility = _eligibility(claim, values)
    return Subsidies(fee=_fee(claim, values, eligibility),
                     living=_living(claim, values, eligibility))


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
    return _fee(claim, values, _eligibility(claim, values))


def compute_living(claim: Claim, parameters: Parameters) -> SubsidyResult:
    """The living allowance including transport, paid to the trainee."""
    values = _InForce.of(claim, parameters)
    return _living(claim, values, _eligibility(claim, values))


def person_eligibility(person: Person, on: date, region_code: str,
                       parameters: Parameters) -> list[Step]:
    """The conditions on the person alone (disability certificate, working age by sex,
    Jiangxi household) on a date, with the values in force there and then: what an electronic
    training voucher is issued against, before any batch is known. The employment condition
    depends on the training type, so it is checked only with a batch."""
    return _person_conditions(person, on, _InForce(on, region_code, parameters))


def _fee(claim: Claim, values: _InForce, eligibility: list[Step]) -> SubsidyResult:
    steps = [*eligibility, *_completion(claim.completion)]
    certified = claim.completion.certificate_date
    if certified is not None:
        steps += _certificate_caps(claim, certified, values)
    if any(s.reason for s in steps):
        return _result(SubsidyKind.FEE, Payee.INSTITUTION, steps)
    amount, calculation = _fee_amount(claim, values)
    return _result(SubsidyKind.FEE, Payee.INSTITUTION, [*steps, *calculation], amount)


def _living(claim: Claim, values: _InForce, eligibility: list[Step]) -> SubsidyResult:
    steps = [*eligibility, _withdrawal(claim.attendance), _living_once_per_year(claim, values),
             *_living_days(claim.attendance)]
    if any(s.reason for s in steps):
        return _result(SubsidyKind.LIVING, Payee.TRAINEE, steps)
    amount, calculation = _living_amount(claim.attendance, values)
    return _result(SubsidyKind.LIVING, Payee.TRAINEE, [*steps, *calculation], amount)


# --- building the trace --------------------------------------------------------------


class _InForce:
    """The parameter values in force on one date in one region (for a claim: the batch's
    start date and region)."""

    def __init__(self, on: date, region_code: str, parameters: Parameters) -> None:
        self._on, self._region = on, region_code
        self._parameters = parameters
        self._found: dict[str, UsedParameter] = {}

    @classmethod
    def of(cls, claim: Claim, parameters: Parameters) -> _InForce:
        return cls(claim.batch.start_date, claim.batch.region_code, parameters)

    def get(self, key: str) -> UsedParameter:
        used = self._found.get(key)
        if used is None:
            used = self._found[key] = self._parameters.in_force(key, self._on, self._region)
        return used

    def int(self, key: str) -> tuple[int, UsedParameter]:
        used = self.get(key)
        if not isinstance(used.value, int):
            raise TypeError(f"parameter {key} must be a whole number")
        return used.value, used

    def decimal(self, key: str) -> tuple[Decimal, UsedParameter]:
        used = self.get(key)
        return Decimal(used.value), used


def _step(rule: str, outcome: Outcome, msgid: str, params: Mapping[str, str] | None = None,
          terms: Mapping[str, str] | None = None, inputs: Mapping[str, Scalar] | None = None,
          parameters: tuple[UsedParameter, ...] = (), reason: Reason | None = None) -> Step:
    return Step(rule, outcome, Message(msgid, dict(params or {}), dict(terms or {})),
                dict(inputs or {}), parameters, reason)


def _check(rule: str, ok: bool, passed: str, failed: str, reason: Reason,
           params: Mapping[str, str] | None = None, terms: Mapping[str, str] | None = None,
           inputs: Mapping[str, Scalar] | None = None,
           parameters: tuple[UsedParameter, ...] = ()) -> Step:
    if ok:
        return _step(rule, Outcome.PASSED, passed, params, terms, inputs, parameters)
    return _step(rule, Outcome.FAILED, failed, params, terms, inputs, parameters, reason)


def _result(kind: SubsidyKind, payee: Payee, steps: list[Step], amount: int = 0
            ) -> SubsidyResult:
    reasons = tuple(s.reason for s in steps if s.reason is not None)
    return SubsidyResult(kind, not reasons, 0 if reasons else amount, payee, reasons,
                         tuple(steps))


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


# --- eligibility of the person, on the batch's start date ----------------------------


def _eligibility(claim: Claim, values: _InForce) -> list[Step]:
    return [*_person_conditions(claim.person, claim.batch.start_date, values),
            _employment(claim.person, claim.batch.training_type)]


def _person_conditions(person: Person, on: date, values: _InForce) -> list[Step]:
    return [_family_member() if person.family_member else _certificate(person, on),
            _working_age(person, on, values), _household(person)]


def _family_member() -> Step:
    """A seat taken as a family member of a person with disabilities brings no subsidy
    (DESIGN §4): this condition stands for the certificate one, which such a seat does not
    rest on."""
    return _step("eligibility.family_member", Outcome.FAILED,
                 N_("You took part in the training as a family member of a person with "
                    "disabilities; family members receive neither the training subsidy nor "
                    "the living allowance."),
                 inputs={"family_member": True}, reason=Reason.FAMILY_MEMBER)


def _certificate(person: Person, on: date) -> Step:
    start = on.isoformat()
    return _check("eligibility.disability_certificate", person.has_valid_certificate,
                  N_("You held a valid disability certificate on the start date of the "
                     "training (%(start)s)."),
                  N_("You did not hold a valid disability certificate on the start date of "
                     "the training (%(start)s)."),
                  Reason.NO_DISABILITY_CERTIFICATE, {"start": start},
                  inputs={"has_valid_certificate": person.has_valid_certificate,
                          "start_date": start})


def _household(person: Person) -> Step:
    return _check("eligibility.household", person.household_in_jiangxi,
                  N_("Your household is registered in Jiangxi Province."),
                  N_("Your household is not registered in Jiangxi Province; the subsidies are "
                     "for people with a Jiangxi household registration."),
                  Reason.HOUSEHOLD_OUTSIDE_JIANGXI,
                  inputs={"household_in_jiangxi": person.household_in_jiangxi})


def _working_age(person: Person, start: date, values: _InForce) -> Step:
    age = age_on(person.birth_date, start)
    minimum, min_used = values.int("subsidies.working_age_min")
    limit, limit_used = values.int("subsidies.working_age_limit_male" if person.sex is Sex.MALE
                                   else "subsidies.working_age_limit_female")
    params = {"age": str(age), "start": start.isoformat(), "min": str(minimum),
              "limit": str(limit)}
    terms = {"sex": SEX_TERMS[person.sex]}
    inputs: dict[str, Scalar] = {"sex": person.sex.value, "age": age,
                                 "birth_date": person.birth_date.isoformat(),
                                 "start_date": start.isoformat()}

    def step(outcome: Outcome, msgid: str, reason: Reason | None = None) -> Step:
        return _step("eligibility.working_age", outcome, msgid, params, terms, inputs,
                     (min_used, limit_used), reason)

    if age < minimum:
        return step(Outcome.FAILED, N_("You were %(age)s years old on the start date of the "
                                       "training (%(start)s); the subsidies start at the age "
                                       "of %(min)s."), Reason.UNDER_WORKING_AGE)
    if age >= limit:
        return step(Outcome.FAILED, N_("You were %(age)s years old on the start date of the "
                                       "training (%(start)s); the working age of %(sex)s ends "
                                       "before the age of %(limit)s."),
                    Reason.OVER_WORKING_AGE)
    return step(Outcome.PASSED, N_("You were %(age)s years old on the start date of the "
                                   "training (%(start)s), within the working age of %(sex)s "
                                   "(from %(min)s, below %(limit)s)."))


def _employment(person: Person, training_type: TrainingType) -> Step:
    terms = {"training_type": TRAINING_TYPE_TERMS[training_type]}
    inputs: dict[str, Scalar] = {"employed_at_enrolment": person.employed_at_enrolment,
                                 "training_type": training_type.value}
    if not person.employed_at_enrolment:
        return _step("eligibility.employment", Outcome.PASSED,
                     N_("You were not employed at enrolment."), terms=terms, inputs=inputs)
    return _check("eligibility.employment", training_type not in NOT_EMPLOYED_ONLY,
                  N_("You were employed at enrolment, which %(training_type)s allows."),
                  N_("You were employed at enrolment, but %(training_type)s is subsidised "
                     "only for people who are not employed."),
                  Reason.EMPLOYED_AT_ENROLMENT, terms=terms, inputs=inputs)


# --- the training-fee subsidy ----------------------------------------------------------


def _completion(completion: Completion) -> list[Step]:
    inputs: dict[str, Scalar] = {
        "passed": completion.passed,
        "certificate_type": None if completion.certificate_type is None
        else completion.certificate_type.value,
        "level": None if completion.level is None else completion.level.value,
        "certificate_date": _iso(completion.certificate_date)}
    steps = []
    if not completion.passed:
        steps.append(_step("fee.completion", Outcome.FAILED,
                           N_("You did not pass the final assessment; the training-fee "
                              "subsidy requires passing it."),
                           inputs=inputs, reason=Reason.ASSESSMENT_NOT_PASSED))
    if completion.certificate_type is None:
        steps.append(_step("fee.certificate", Outcome.FAILED,
                           N_("You did not obtain a certificate; the training-fee subsidy "
                              "requires one."), inputs=inputs, reason=Reason.NO_CERTIFICATE))
    if not steps:
        steps.append(_step("fee.completion", Outcome.PASSED,
                           N_("You passed the final assessment and obtained %(certificate)s "
                              "on %(date)s."),
                           {"date": str(_iso(completion.certificate_date))},
                           {"certificate": certificate_term(completion)}, inputs))
    return steps


def _certificate_caps(claim: Claim, certified: date, values: _InForce) -> list[Step]:
    earlier_fees = [e for e in claim.earlier if e.kind is SubsidyKind.FEE and e.counts]
    same_occupation = [e for e in earlier_fees if e.occupation == claim.batch.occupation]
    return [_yearly_count(earlier_fees, certified, values),
            _same_level(same_occupation, claim),
            *_lower_level(same_occupation, claim),
            _claim_deadline(certified, claim.claim_date, values)]


def _yearly_count(earlier_fees: list[EarlierSubsidy], certified: date,
                  values: _InForce) -> Step:
    maximum, used = values.int("subsidies.max_per_year")
    count = sum(1 for e in earlier_fees if e.status in COUNTS_TOWARDS_YEAR
                and e.certificate_date is not None and e.certificate_date.year == certified.year)
    return _check(
        "cap.yearly_count", count < maximum,
        N_("Training-fee subsidies for certificates dated in %(year)s: %(count)s approved or "
           "paid before this one, and at most %(max)s are granted per calendar year."),
        N_("Training-fee subsidies for certificates dated in %(year)s: you already had "
           "%(count)s approved or paid, and at most %(max)s are granted per calendar year."),
        Reason.YEARLY_CAP_REACHED,
        {"count": str(count), "year": str(certified.year), "max": str(maximum)},
        inputs={"counted": count, "certificate_year": certified.year}, parameters=(used,))


def _same_level(same_occupation: list[EarlierSubsidy], claim: Claim) -> Step:
    level = claim.completion.level
    count = sum(1 for e in same_occupation if e.level is level)
    return _check(
        "cap.same_occupation_level", count == 0,
        N_("You had no earlier training-fee subsidy for the occupation %(occupation)s at this "
           "level (%(level)s)."),
        N_("You already had a training-fee subsidy for the occupation %(occupation)s at this "
           "level (%(level)s); it is granted once in a lifetime."),
        Reason.SAME_OCCUPATION_LEVEL, {"occupation": claim.batch.occupation},
        {"level": LEVEL_TERMS[level]},
        {"occupation": claim.batch.occupation, "level": None if level is None else level.value,
         "earlier_same": count})


def _lower_level(same_occupation: list[EarlierSubsidy], claim: Claim) -> list[Step]:
    level = claim.completion.level
    if level is None:  # an unlevelled certificate is never "lower"
        return []
    higher = [e.level for e in same_occupation
              if e.level is not None and LEVEL_RANK[e.level] > LEVEL_RANK[level]]
    highest = max(higher, key=LEVEL_RANK.__getitem__) if higher else None
    return [_check(
        "cap.lower_level", highest is None,
        N_("You had no earlier training-fee subsidy for the occupation %(occupation)s at a "
           "level higher than %(level)s."),
        N_("You already had a training-fee subsidy for the occupation %(occupation)s at a "
           "higher level (%(earlier_level)s); a lower level (%(level)s) is not subsidised "
           "after a higher one."),
        Reason.LOWER_LEVEL_AFTER_HIGHER, {"occupation": claim.batch.occupation},
        {"level": LEVEL_TERMS[level], "earlier_level": LEVEL_TERMS[highest]},
        {"occupation": claim.batch.occupation, "level": level.value,
         "highest_earlier_level": None if highest is None else highest.value})]


def _claim_deadline(certified: date, claimed: date, values: _InForce) -> Step:
    months, used = values.int("subsidies.claim_deadline_months")
    deadline = add_months(certified, months)
    return _check(
        "cap.claim_deadline", claimed <= deadline,
        N_("The claim was submitted on %(claim)s, within %(months)s months of the certificate "
           "date (%(certificate_date)s); the deadline was %(deadline)s."),
        N_("The claim was submitted on %(claim)s, more than %(months)s months after the "
           "certificate date (%(certificate_date)s); the deadline was %(deadline)s."),
        Reason.CLAIM_DEADLINE_PASSED,
        {"claim": claimed.isoformat(), "months": str(months),
         "certificate_date": certified.isoformat(), "deadline": deadline.isoformat()},
        inputs={"claim_date": claimed.isoformat(), "certificate_date": certified.isoformat()},
        parameters=(used,))


def _fee_amount(claim: Claim, values: _InForce) -> tuple[int, list[Step]]:
    completion, batch = claim.completion, claim.batch
    standard, standard_used = values.int(STANDARD_KEYS[completion.level])
    threshold, threshold_used = values.decimal("subsidies.attendance_threshold_percent")
    attended = attended_hours(claim.attendance)
    steps = [
        _step("fee.standard", Outcome.APPLIED,
              N_("The standard subsidy for %(certificate)s is %(standard)s yuan."),
              {"standard": format_yuan(standard)}, {"certificate": certificate_term(completion)},
              {"certificate_type": str(completion.certificate_type),
               "level": None if completion.level is None else completion.level.value},
              (standard_used,)),
        _step("fee.attendance", Outcome.APPLIED,
              N_("You attended %(attended)s of the %(planned)s planned hours, an attendance "
                 "rate of %(rate)s%%; the full subsidy needs %(threshold)s%%."),
              {"attended": format_number(attended), "planned": format_number(batch.planned_hours),
               "rate": format_percent(attended * 100 / batch.planned_hours),
               "threshold": format_number(threshold)},
              inputs={"attended_hours": str(attended), "planned_hours": str(batch.planned_hours),
                      "sessions": len(claim.attendance.sessions)},
              parameters=(threshold_used,)),
    ]
    if attended * 100 >= threshold * batch.planned_hours:
        steps.append(_step("fee.full_standard", Outcome.APPLIED,
                           N_("Your attendance reached %(threshold)s%%, so the full standard "
                              "applies."), {"threshold": format_number(threshold)}))
        exact = Decimal(standard)
    else:
        exact, day_rule = _day_rule(attended, standard, threshold, batch.fee_charged, values)
        steps += day_rule
    if batch.fee_charged < exact:
        exact = Decimal(batch.fee_charged)
        steps.append(_step("fee.fee_cap", Outcome.APPLIED,
                           N_("The institution charged %(fee)s yuan; the subsidy never exceeds "
                              "the fee charged, so it is %(amount)s yuan."),
                           {"fee": format_yuan(batch.fee_charged),
                            "amount": format_yuan(batch.fee_charged)},
                           inputs={"fee_charged": batch.fee_charged}))
    return round_fen(exact), steps


def _day_rule(attended: Decimal, standard: int, threshold: Decimal, fee: int,
              values: _InForce) -> tuple[Decimal, list[Step]]:
    """Below the attendance threshold: pro rata per day attended, capped (the fee cap is
    applied by the caller, after this cap, with the same result as in any order)."""
    per_day, per_day_used = values.int("subsidies.day_rule_per_day")
    hours_per_day, hours_used = values.int("subsidies.hours_per_day")
    cap_percent, cap_used = values.decimal("subsidies.day_rule_cap_percent")
    by_days = Decimal(per_day) * attended / hours_per_day
    cap = Decimal(standard) * cap_percent / 100
    steps = [_step("fee.day_rule", Outcome.APPLIED,
                   N_("Below %(threshold)s%% the subsidy is %(per_day)s yuan per %(hours_per_day)s "
                      "hours attended: %(hours)s hours give %(by_days)s yuan."),
                   {"threshold": format_number(threshold), "per_day": format_yuan(per_day),
                    "hours_per_day": str(hours_per_day), "hours": format_number(attended),
                    "by_days": format_yuan(round_fen(by_days))},
                   inputs={"attended_hours": str(attended), "by_days_exact": str(by_days)},
                   parameters=(per_day_used, hours_used))]
    if cap < by_days and cap <= fee:
        steps.append(_step("fee.day_rule_cap", Outcome.APPLIED,
                           N_("The day rule pays at most %(cap_percent)s%% of the standard, "
                              "that is %(cap)s yuan."),
                           {"cap_percent": format_number(cap_percent),
                            "cap": format_yuan(round_fen(cap))},
                           inputs={"cap_exact": str(cap)}, parameters=(cap_used,)))
    return min(by_days, cap), steps


# --- the living allowance, including transport -----------------------------------------


def _withdrawal(attendance: Attendance) -> Step:
    return _check("living.withdrawal", not attendance.withdrew,
                  N_("You did not withdraw from the training."),
                  N_("You withdrew from the training; the living allowance is not paid to a "
                     "trainee who withdrew."),
                  Reason.WITHDREW, inputs={"withdrew": attendance.withdrew})


def _living_once_per_year(claim: Claim, values: _InForce) -> Step:
    maximum, used = values.int("subsidies.living_batches_per_year")
    year = claim.batch.end_date.year
    count = sum(1 for e in claim.earlier if e.kind is SubsidyKind.LIVING and e.counts
                and e.batch_end_date.year == year)
    return _check(
        "living.once_per_year", count < maximum,
        N_("Living allowances for trainings ending in %(year)s: %(count)s before this one, "
           "and at most %(max)s are paid per calendar year."),
        N_("Living allowances for trainings ending in %(year)s: you already had %(count)s, "
           "and at most %(max)s are paid per calendar year."),
        Reason.LIVING_ALREADY_THIS_YEAR,
        {"count": str(count), "year": str(year), "max": str(maximum)},
        inputs={"counted": count, "batch_end_year": year}, parameters=(used,))


def _living_days(attendance: Attendance) -> list[Step]:
    days, online = len(in_person_days(attendance)), len(online_only_days(attendance))
    params = {"days": str(days), "online": str(online)}
    inputs: dict[str, Scalar] = {"in_person_days": days, "online_only_days": online}
    steps = [_check("living.days", days > 0,
                    N_("You attended in-person training on %(days)s days."),
                    N_("You attended no in-person training session; online sessions give no "
                       "living allowance."),
                    Reason.NO_IN_PERSON_DAYS, params, inputs=inputs)]
    if days and online:
        steps.append(_step("living.online_days", Outcome.APPLIED,
                           N_("On %(online)s other days you attended online only, which gives "
                              "no living allowance."), params, inputs=inputs))
    return steps


def _living_amount(attendance: Attendance, values: _InForce) -> tuple[int, list[Step]]:
    living, living_used = values.int("subsidies.living_per_day")
    transport, transport_used = values.int("subsidies.transport_per_day")
    max_days, max_used = values.int("subsidies.living_max_days")
    days = len(in_person_days(attendance))
    paid_days = min(days, max_days)
    amount = paid_days * (living + transport)
    steps = []
    if days > max_days:
        steps.append(_step("living.day_cap", Outcome.APPLIED,
                           N_("At most %(max)s days are paid per training."),
                           {"max": str(max_days)}, inputs={"in_person_days": days},
                           parameters=(max_used,)))
    steps.append(_step(
        "living.amount", Outcome.APPLIED,
        N_("%(days)s days × %(per_day)s yuan (%(living)s yuan living and %(transport)s yuan "
           "transport) = %(amount)s yuan."),
        {"days": str(paid_days), "per_day": format_yuan(living + transport),
         "living": format_yuan(living), "transport": format_yuan(transport),
         "amount": format_yuan(amount)},
        inputs={"paid_days": paid_days}, parameters=(living_used, transport_used, max_used)))
    return amount, steps
