"""The dated parameters of a reward year in a county, read from the parameter store into the
plain values the engine takes (which values apply is the engine's `resolve`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from trainhub.core.parameters import service
from trainhub.core.parameters.values import wage_tier
from trainhub.rewards import engine
from trainhub.rewards.values import RewardParameters, UsedParameter


def parameters_for(year: int, county: str) -> RewardParameters:
    """The parameters for an enterprise of `county` (6-digit code) and a reward year: a city
    value overrides the province's, as everywhere. The minimum wage is found as
    `core.wages.minimum_wage` finds it (the county's tier, then that tier's value), keeping
    the dated value of each for the trace."""

    def find(key: str, on: date) -> UsedParameter:
        version = service.value_with_source(key, on, county)
        value = version.value
        if key == engine.TIERS_KEY:
            value = wage_tier(value, county)  # the table, read as this county's tier
        if not isinstance(value, int | Decimal):
            raise TypeError(f"parameter {key} is not a number")
        return UsedParameter(
            key, value, version.effective_from, str(version.parameter_value_id), version.region_code
        )

    return engine.resolve(year, find)
