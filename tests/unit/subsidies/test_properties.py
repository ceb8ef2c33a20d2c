"""Properties of the engine over generated enrolments and parameter values (hypothesis).

An amount is never negative, never above the fee charged or the cap that applies, and never
falls when attendance rises with everything else fixed.
"""

from __future__ import annotations

import dataclasses
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
    Session,
    Sex,
    TrainingType,
    attended_hours,
    compute,
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
                    employed_at_enrolment=draw(st.booleans()))
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
