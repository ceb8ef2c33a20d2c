"""The floor of the subsidy engine: the same two amounts from the same claim objects, by a
plain function with no trace, no messages and no result objects.

It is the cheapest honest way to compute DESIGN §5 in Python, so that the engine's cost can
be read as a ratio: what the trace, the explanations' inputs and the structure cost on top
of the arithmetic. `make bench` checks that both agree on every claim before timing them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from trainhub.subsidies.values import (
    ATTENDED,
    COUNTS_TOWARDS_YEAR,
    LEVEL_RANK,
    NOT_EMPLOYED_ONLY,
    Claim,
    Parameters,
    Sex,
    SubsidyKind,
    add_months,
    age_on,
    round_fen,
)

STANDARD_KEYS = {
    "junior": "subsidies.fee_junior", "intermediate": "subsidies.fee_intermediate",
    "senior": "subsidies.fee_senior", "technician": "subsidies.fee_technician",
    "senior_technician": "subsidies.fee_senior_technician", None: "subsidies.fee_special",
}


def plain_subsidies(claim: Claim, parameters: Parameters,
                    cache: dict[tuple[str, date, str], Any] | None = None) -> tuple[int, int]:
    """(training-fee subsidy, living allowance), in fen. `cache`: the parameter values
    already resolved, by (key, date, region), shared across calls as a batch shares them."""
    batch, person = claim.batch, claim.person
    on, region = batch.start_date, batch.region_code
    found = {} if cache is None else cache

    def value(key: str) -> Any:
        slot = (key, on, region)
        if slot not in found:
            found[slot] = parameters.in_force(key, on, region).value
        return found[slot]

    age = age_on(person.birth_date, on)
    limit = value("subsidies.working_age_limit_male" if person.sex is Sex.MALE
                  else "subsidies.working_age_limit_female")
    eligible = (not person.family_member and person.has_valid_certificate
                and value("subsidies.working_age_min") <= age < limit
                and person.household_in_jiangxi
                and not (person.employed_at_enrolment
                         and batch.training_type in NOT_EMPLOYED_ONLY))
    if not eligible:
        return 0, 0
    return _fee(claim, value), _living(claim, value)


def _fee(claim: Claim, value: Callable[[str], Any]) -> int:
    completion, batch = claim.completion, claim.batch
    certified = completion.certificate_date
    if not completion.passed or completion.certificate_type is None or certified is None:
        return 0
    fees = [e for e in claim.earlier if e.kind is SubsidyKind.FEE and e.counts]
    this_year = sum(1 for e in fees if e.status in COUNTS_TOWARDS_YEAR
                    and e.certificate_date is not None
                    and e.certificate_date.year == certified.year)
    same = [e for e in fees if e.occupation == batch.occupation]
    level = completion.level
    if (this_year >= value("subsidies.max_per_year")
            or any(e.level is level for e in same)
            or (level is not None and any(e.level is not None
                                          and LEVEL_RANK[e.level] > LEVEL_RANK[level]
                                          for e in same))
            or claim.claim_date > add_months(certified,
                                             value("subsidies.claim_deadline_months"))):
        return 0
    standard = value(STANDARD_KEYS[None if level is None else level.value])
    threshold = Decimal(value("subsidies.attendance_threshold_percent"))
    attended = sum((s.hours for s in claim.attendance.sessions if s.status in ATTENDED),
                   Decimal(0))
    if attended * 100 >= threshold * batch.planned_hours:
        exact = Decimal(standard)
    else:
        by_days = (Decimal(value("subsidies.day_rule_per_day")) * attended
                   / value("subsidies.hours_per_day"))
        cap = Decimal(standard) * Decimal(value("subsidies.day_rule_cap_percent")) / 100
        exact = min(by_days, cap)
    return round_fen(min(exact, Decimal(batch.fee_charged)))


def _living(claim: Claim, value: Callable[[str], Any]) -> int:
    attendance, year = claim.attendance, claim.batch.end_date.year
    if attendance.withdrew:
        return 0
    before = sum(1 for e in claim.earlier if e.kind is SubsidyKind.LIVING and e.counts
                 and e.batch_end_date.year == year)
    if before >= value("subsidies.living_batches_per_year"):
        return 0
    days = len({s.date for s in attendance.sessions if s.in_person and s.status in ATTENDED})
    if not days:
        return 0
    paid_days = min(days, value("subsidies.living_max_days"))
    return paid_days * (value("subsidies.living_per_day") + value("subsidies.transport_per_day"))
