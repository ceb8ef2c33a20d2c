"""Properties of the reward engine over generated declarations and parameters (hypothesis).

The reward is never negative; it never falls when one more counted person is declared with
everything else fixed; it is nothing while the persons counted exceed the quota by less than
one; it is always rewarded persons × multiple × minimum wage, the rewarded persons being the
whole part of the excess; and the order of the persons changes nothing.
"""

from __future__ import annotations

import dataclasses
import math
import random
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from trainhub.rewards.engine import compute
from trainhub.rewards.values import Declaration, DeclaredPerson, RewardParameters, Sex

YEAR = 2024
# Dates near the year's edges, where the conditions change.
EDGE = st.sampled_from(
    [
        date(2023, 6, 30),
        date(2023, 12, 31),
        date(2024, 1, 1),
        date(2024, 1, 2),
        date(2024, 6, 30),
        date(2024, 12, 30),
        date(2024, 12, 31),
        date(2025, 1, 1),
    ]
)


@st.composite
def parameters(draw: st.DrawFn) -> RewardParameters:
    return RewardParameters(
        quota_percent=Decimal(draw(st.integers(1, 60))) / 10,
        multiple=draw(st.integers(1, 6)),
        severe_grade_max=draw(st.integers(0, 4)),
        severe_grade_weight=draw(st.integers(1, 3)),
        min_contract_years=draw(st.integers(1, 3)),
        min_insurance_months=draw(st.integers(0, 12)),
        working_age_min=16,
        working_age_limit_male=60,
        working_age_limit_female=55,
        minimum_wage=draw(st.integers(100_000, 300_000)),
        minimum_wage_tier=draw(st.integers(1, 3)),
        minimum_wage_on=date(YEAR - 1, 12, 31),
        used={},
    )


def counted_person(key: str) -> DeclaredPerson:
    """A person every generated parameter counts (at least once)."""
    return DeclaredPerson(
        key=key,
        sex=Sex.FEMALE,
        birth_date=date(1985, 5, 10),
        grade=3,
        certificate_valid_from=date(2020, 1, 1),
        certificate_valid_until=None,
        contract_start=date(2023, 1, 1),
        contract_end=None,
        insurance_months=12,
        monthly_wage=400_000,
    )


@st.composite
def person(draw: st.DrawFn, key: str) -> DeclaredPerson:
    start = draw(st.sampled_from([date(2021, 1, 1), date(2024, 1, 1), date(2024, 7, 1)]))
    end = draw(
        st.one_of(
            st.none(), EDGE.filter(lambda d: d >= date(2024, 1, 1)), st.just(date(2027, 12, 31))
        )
    )
    if end is not None and end < start:
        end = None
    return DeclaredPerson(
        key=key,
        sex=draw(st.sampled_from(list(Sex))),
        birth_date=draw(st.dates(date(1960, 1, 1), date(2009, 12, 31))),
        grade=draw(st.integers(1, 4)),
        certificate_valid_from=draw(EDGE),
        certificate_valid_until=draw(st.one_of(st.none(), EDGE)),
        contract_start=start,
        contract_end=end,
        insurance_months=draw(st.integers(0, 12)),
        monthly_wage=draw(st.integers(0, 400_000)),
    )


@st.composite
def declarations(draw: st.DrawFn) -> Declaration:
    count = draw(st.integers(0, 12))
    persons = tuple(draw(person(f"p{i}")) for i in range(count))
    staff = Decimal(draw(st.integers(max(count, 1) * 4, 2_000))) / 4  # never fewer than persons
    return Declaration(YEAR, staff, persons, date(YEAR + 1, 3, 1))


@given(declarations(), parameters())
def test_never_negative_and_as_the_rule_says(
    declaration: Declaration, values: RewardParameters
) -> None:
    result = compute(declaration, values)
    assert result.accepted
    assert result.amount >= 0 and result.rewarded >= 0
    assert result.quota == declaration.staff * values.quota_percent / 100
    assert result.counted == sum(p.weight for p in result.persons)
    assert result.excess == result.counted - result.quota
    assert result.rewarded == (math.floor(result.excess) if result.excess >= 1 else 0)
    assert result.amount == result.rewarded * values.multiple * values.minimum_wage


@given(declarations(), parameters())
def test_nothing_below_one_person_above_the_quota(
    declaration: Declaration, values: RewardParameters
) -> None:
    result = compute(declaration, values)
    if result.counted < result.quota + 1:
        assert result.amount == 0 and result.rewarded == 0
    else:
        assert result.rewarded >= 1 and result.amount > 0


@given(declarations(), parameters())
def test_one_more_counted_person_never_lowers_the_reward(
    declaration: Declaration, values: RewardParameters
) -> None:
    persons = (*declaration.persons, counted_person("extra"))
    staff = max(declaration.staff, Decimal(len(persons)))
    before = compute(dataclasses.replace(declaration, staff=staff), values)
    after = compute(dataclasses.replace(declaration, staff=staff, persons=persons), values)
    assert after.counted > before.counted
    assert after.rewarded >= before.rewarded and after.amount >= before.amount


@given(declarations(), parameters(), st.randoms(use_true_random=False))
def test_the_order_of_the_persons_changes_nothing(
    declaration: Declaration, values: RewardParameters, rng: random.Random
) -> None:
    shuffled = list(declaration.persons)
    rng.shuffle(shuffled)
    again = compute(dataclasses.replace(declaration, persons=tuple(shuffled)), values)
    first = compute(declaration, values)
    assert (again.counted, again.rewarded, again.amount) == (
        first.counted,
        first.rewarded,
        first.amount,
    )
    by_key = {p.key: p.exclusions for p in first.persons}
    assert {p.key: p.exclusions for p in again.persons} == by_key


@given(parameters(), st.integers(1, 40))
def test_a_person_counts_only_if_every_condition_holds(values: RewardParameters, days: int) -> None:
    """Moving a certificate's end date into the year excludes the person, and nothing else."""
    one = counted_person("a")
    late = dataclasses.replace(
        one, key="b", certificate_valid_until=date(YEAR, 12, 31) - timedelta(days)
    )
    result = compute(Declaration(YEAR, Decimal(10), (one, late), date(YEAR + 1, 1, 1)), values)
    assert result.persons[0].counted
    assert [e.value for e in result.persons[1].exclusions] == ["certificate_not_valid"]
    assert result.persons[1].weight == 0
