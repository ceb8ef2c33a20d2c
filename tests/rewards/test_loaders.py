"""The reward's parameters read from the parameter store: the shipped defaults, the minimum
wage of the county's tier on 31 December of the previous year, a city's own value, and the
source of each value for the trace."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from trainhub.core.parameters import service
from trainhub.core.wages import minimum_wage
from trainhub.rewards import loaders
from trainhub.rewards.engine import compute
from trainhub.rewards.values import Declaration, DeclaredPerson, Sex

TIER_1 = '[{"tier": 1, "counties": ["360102"]}, {"tier": 2, "counties": []}]'


def _person(key: str) -> DeclaredPerson:
    return DeclaredPerson(
        key,
        Sex.MALE,
        date(1980, 1, 1),
        3,
        date(2020, 1, 1),
        None,
        date(2023, 1, 1),
        None,
        12,
        250000,
    )


def test_the_shipped_defaults(ctx) -> None:
    found = loaders.parameters_for(2024, "360102")
    assert found.quota_percent == Decimal("1.5")
    assert (found.multiple, found.severe_grade_max, found.severe_grade_weight) == (3, 2, 2)
    assert (found.min_contract_years, found.min_insurance_months) == (1, 12)
    assert (
        found.working_age_min,
        found.working_age_limit_male,
        found.working_age_limit_female,
    ) == (16, 60, 55)
    # the shipped tier table lists no county: tier 3
    assert (found.minimum_wage_tier, found.minimum_wage) == (3, 161000)
    assert found.minimum_wage_on == date(2023, 12, 31)
    source = found.used["minimum_wage"]
    assert (source.key, source.effective_from, source.scope) == (
        "core.min_wage_tier3",
        date(2021, 4, 1),
        "36",
    )
    assert source.version.isdigit()  # the stored value's id, for the decision to keep


def test_the_minimum_wage_of_31_december_of_the_previous_year(ctx) -> None:
    service.add_value("core.min_wage_tiers", TIER_1, date(2023, 1, 1), None, "", None)
    service.add_value("core.min_wage_tier1", "200000", date(2024, 7, 1), None, "", None)
    found = loaders.parameters_for(2024, "360102")
    assert (found.minimum_wage_tier, found.minimum_wage) == (1, 185000)
    assert found.minimum_wage == minimum_wage("360102", date(2023, 12, 31)).monthly_fen
    assert loaders.parameters_for(2025, "360102").minimum_wage == 200000
    declaration = Declaration(
        2024, Decimal(120), tuple(_person(k) for k in "ABCD"), date(2025, 3, 1)
    )
    assert compute(declaration, found).amount == 1110000  # ¥11,100: DESIGN §8's example


def test_a_city_value_wins_in_its_counties(ctx) -> None:
    service.add_value("rewards.multiple", "4", date(2024, 1, 1), "3601", "", None)
    assert loaders.parameters_for(2024, "360102").multiple == 4
    assert loaders.parameters_for(2024, "360402").multiple == 3
    assert loaders.parameters_for(2023, "360102").multiple == 3  # from 1 January 2024
    assert loaders.parameters_for(2024, "360102").used["multiple"].scope == "3601"
