"""Properties of the engine over generated enrolments and parameter values (hypothesis).

An amount is never negative, never above the fee charged or the cap that applies, and never
falls when attendance rises with everything else fixed. A person's open claims, decided in
turn, give the same amounts in any order, and a refused one uses up nothing.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from trainhub.core.parameters.defaults import SUBSIDIES
from trainhub.subsidies.engine import (
    STANDARD_KEYS,
    Attendance,
    AttendanceStatus,
    Batch,
    CertificateType,
    Claim,
    Completion,
    DatedValue,
    Level,
    Parameters,
    Person,
    Reason,
    Session,
    Sex,
    Subsidies,
    TrainingType,
    attended_hours,
    compute,
    compute_in_turn,
    round_fen,
)

START = date(2024, 3, 4)
HOURS = st.integers(0, 48).map(lambda quarters: Decimal(quarters) / 4)
MOSTLY_TRUE = st.sampled_from([True, True, True, False])  # so that many claims are granted


@st.composite
def parameters(draw: st.DrawFn) -> Parameters:
    """The shipped values, with the amounts and rates drawn afresh (odd fen and rates too)."""
    drawn: dict[str, int | Decimal] = {spec.key: spec.default for spec in SUBSIDIES
                                       if isinstance(spec.default, int | Decimal)}
    for key in STANDARD_KEYS.values():
        drawn[key] = draw(st.integers(0, 800_000))
    drawn["subsidies.day_rule_per_day"] = draw(st.integers(0, 50_000))
    drawn["subsidies.hours_per_day"] = draw(st.integers(1, 12))
    drawn["subsidies.day_rule_cap_percent"] = draw(st.integers(0, 200)) / Decimal(2)
    drawn["subsidies.attendance_threshold_percent"] = draw(st.integers(0, 200)) / Decimal(2)
    drawn["subsidies.living_max_days"] = draw(st.integers(0, 40))
    return Parameters({key: [DatedValue(date(2022, 1, 1), value, key)]
                       for key, value in drawn.items()})


@st.composite
def sessions(draw: st.DrawFn) -> tuple[Session, ...]:
    return tuple(draw(st.lists(st.builds(
        Session, date=st.integers(0, 45).map(lambda d: START + timedelta(days=d)), hours=HOURS,
        in_person=st.booleans(), status=st.sampled_from(AttendanceStatus)), max_size=40)))


@st.composite
def completions(draw: st.DrawFn) -> Completion:
    kind = draw(st.sampled_from([None, *CertificateType]))
    if kind is None:
        return Completion(passed=draw(st.booleans()))
    levelled = kind in (CertificateType.QUALIFICATION, CertificateType.SKILL_LEVEL)
    return Completion(passed=draw(MOSTLY_TRUE), certificate_type=kind,
                      level=draw(st.sampled_from(Level)) if levelled else None,
                      certificate_date=date(2024, 5, 1))


@st.composite
def claims(draw: st.DrawFn) -> Claim:
    person = Person(key="p", sex=draw(st.sampled_from(Sex)),
                    birth_date=draw(st.dates(date(1955, 1, 1), date(2010, 1, 1))),
                    has_valid_certificate=draw(MOSTLY_TRUE),
                    household_in_jiangxi=draw(MOSTLY_TRUE),
                    employed_at_enrolment=draw(st.booleans()),
                    family_member=not draw(MOSTLY_TRUE))
    batch = Batch(start_date=START, end_date=START + timedelta(days=45), region_code="360102",
                  training_type=draw(st.sampled_from(TrainingType)), occupation="中式面点师",
                  fee_charged=draw(st.integers(0, 1_000_000)),
                  planned_hours=draw(HOURS.filter(lambda h: h > 0)) * 10, institution_id="i")
    return Claim(person=person, batch=batch,
                 attendance=Attendance(draw(sessions()), withdrew=not draw(MOSTLY_TRUE)),
                 completion=draw(completions()), claim_date=date(2024, 6, 1))


def _value(params: Parameters, key: str) -> int | Decimal:
    return params.in_force(key, START, "360102").value


@given(claims(), parameters())
def test_amounts_are_never_negative_and_zero_when_refused(claim: Claim, params: Parameters
                                                          ) -> None:
    for result in (compute(claim, params).fee, compute(claim, params).living):
        assert result.amount >= 0
        if not result.eligible:
            assert result.amount == 0 and result.reasons


@given(claims(), parameters())
def test_a_family_members_seat_is_never_subsidised(claim: Claim, params: Parameters) -> None:
    results = compute(dataclasses.replace(
        claim, person=dataclasses.replace(claim.person, family_member=True)), params)
    for result in (results.fee, results.living):
        assert (result.eligible, result.amount) == (False, 0)
        assert Reason.FAMILY_MEMBER in result.reasons


@given(claims(), parameters())
def test_fee_subsidy_never_above_the_fee_or_the_cap(claim: Claim, params: Parameters) -> None:
    fee = compute(claim, params).fee
    assert fee.amount <= claim.batch.fee_charged
    if claim.completion.certificate_type is None:
        assert fee.amount == 0
        return
    standard = Decimal(_value(params, STANDARD_KEYS[claim.completion.level]))
    assert fee.amount <= standard
    threshold = Decimal(_value(params, "subsidies.attendance_threshold_percent"))
    if attended_hours(claim.attendance) * 100 < threshold * claim.batch.planned_hours:
        cap = standard * Decimal(_value(params, "subsidies.day_rule_cap_percent")) / 100
        assert fee.amount <= round_fen(cap)  # the cap, in fen


@given(claims(), parameters())
def test_living_allowance_never_above_its_cap(claim: Claim, params: Parameters) -> None:
    living = compute(claim, params).living
    per_day = Decimal(_value(params, "subsidies.living_per_day")) + Decimal(
        _value(params, "subsidies.transport_per_day"))
    assert living.amount <= per_day * Decimal(_value(params, "subsidies.living_max_days"))


def _with_session(claim: Claim, index: int, session: Session) -> Claim:
    changed = list(claim.attendance.sessions)
    changed[index] = session
    return dataclasses.replace(claim, attendance=dataclasses.replace(
        claim.attendance, sessions=tuple(changed)))


@given(claims(), parameters(), st.data())
def test_more_hours_never_lower_an_amount(claim: Claim, params: Parameters,
                                          data: st.DataObject) -> None:
    if not claim.attendance.sessions:
        return
    index = data.draw(st.integers(0, len(claim.attendance.sessions) - 1))
    session = claim.attendance.sessions[index]
    more = data.draw(HOURS.filter(lambda h: h > 0))
    before = compute(claim, params)
    after = compute(_with_session(claim, index, dataclasses.replace(
        session, hours=session.hours + more)), params)
    assert after.fee.amount >= before.fee.amount
    assert after.living.amount >= before.living.amount


@given(claims(), parameters(), st.data())
def test_attending_a_missed_session_never_lowers_an_amount(claim: Claim, params: Parameters,
                                                           data: st.DataObject) -> None:
    missed = [i for i, s in enumerate(claim.attendance.sessions)
              if s.status in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED)]
    if not missed:
        return
    index = data.draw(st.sampled_from(missed))
    status = data.draw(st.sampled_from([AttendanceStatus.PRESENT, AttendanceStatus.LATE]))
    before = compute(claim, params)
    after = compute(_with_session(claim, index, dataclasses.replace(
        claim.attendance.sessions[index], status=status)), params)
    assert after.fee.amount >= before.fee.amount
    assert after.living.amount >= before.living.amount


# --- one person's open claims, decided in turn ------------------------------------------

OCCUPATIONS = ("中式面点师", "电子商务师")


@st.composite
def persons_claims(draw: st.DrawFn) -> dict[int, Claim]:
    """Up to five claims of one person: batches ending in 2024 or 2025, in two occupations,
    most of them fully attended, some refused (not attended, failed)."""
    person = Person(key="p", sex=Sex.FEMALE, birth_date=date(1990, 6, 15),
                    has_valid_certificate=True, household_in_jiangxi=True,
                    employed_at_enrolment=False)
    found = {}
    for key in draw(st.sets(st.integers(1, 99), min_size=1, max_size=5)):
        start = draw(st.dates(date(2024, 1, 1), date(2025, 12, 1)))
        end = start + timedelta(days=4)
        batch = Batch(start_date=start, end_date=end, region_code="360102",
                      training_type=TrainingType.EMPLOYMENT_SKILLS,
                      occupation=draw(st.sampled_from(OCCUPATIONS)), fee_charged=180_000,
                      planned_hours=Decimal(40), institution_id=draw(st.sampled_from("ab")))
        status = draw(st.sampled_from([AttendanceStatus.PRESENT, AttendanceStatus.PRESENT,
                                       AttendanceStatus.ABSENT]))
        attendance = Attendance(tuple(
            Session(start + timedelta(days=d), Decimal(8), True, status) for d in range(5)))
        kind = draw(st.sampled_from([None, CertificateType.SKILL_LEVEL,
                                     CertificateType.SPECIAL_ABILITY]))
        completion = Completion(passed=False) if kind is None else Completion(
            passed=True, certificate_type=kind,
            level=draw(st.sampled_from([Level.JUNIOR, Level.INTERMEDIATE]))
            if kind is CertificateType.SKILL_LEVEL else None,
            certificate_date=end + timedelta(days=3))
        found[key] = Claim(person, batch, attendance, completion, end + timedelta(days=10))
    return found


def _amounts(answers: dict[int, tuple[Claim, Subsidies]]) -> dict[int, tuple[int, int]]:
    return {key: (result.fee.amount, result.living.amount)
            for key, (_, result) in answers.items()}


@given(persons_claims(), st.randoms(use_true_random=False))
def test_a_persons_claims_give_the_same_amounts_in_any_order(
        claims_: dict[int, Claim], rng: random.Random) -> None:
    """Recomputing all of a person's open claims, in any order, any number of times, gives
    the same amounts; and never more than one living allowance a year, nor two fee
    subsidies for one occupation and level."""
    params = _shipped()
    first = compute_in_turn(claims_, params)
    keys = list(claims_)
    for _ in range(3):
        rng.shuffle(keys)
        assert _amounts(compute_in_turn({k: claims_[k] for k in keys}, params)) == \
            _amounts(first)
    living_years = [claims_[k].batch.end_date.year for k, (_, r) in first.items()
                    if r.living.amount]
    assert len(living_years) == len(set(living_years))
    certificates = [(claims_[k].batch.occupation, claims_[k].completion.level)
                    for k, (_, r) in first.items() if r.fee.amount]
    assert len(certificates) == len(set(certificates))


@given(persons_claims())
def test_a_refused_claim_changes_no_other(claims_: dict[int, Claim]) -> None:
    """Taking away the claims refused both subsidies leaves the others' amounts as they
    were: a refusal uses up nothing."""
    params = _shipped()
    answers = compute_in_turn(claims_, params)
    granted = {k: c for k, c in claims_.items()
               if answers[k][1].fee.amount or answers[k][1].living.amount}
    assert _amounts(compute_in_turn(granted, params)) == {
        k: v for k, v in _amounts(answers).items() if k in granted}


def _shipped() -> Parameters:
    return Parameters({spec.key: [DatedValue(date(2022, 1, 1), spec.default, spec.key)]
                       for spec in SUBSIDIES if isinstance(spec.default, int | Decimal)})
