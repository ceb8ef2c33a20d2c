"""Loading for the reward pages and the API: a declaration or one of its parts, 404 before
403 (the policy's check), and the dated parameters of a reward year in a county, read from
the parameter store into the plain values the engine takes (which values apply is the
engine's `resolve`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_login import current_user
from sqlalchemy.orm import selectinload

from trainhub.core import policy
from trainhub.core.errors import N_, NotFound
from trainhub.core.parameters import service
from trainhub.core.parameters.values import wage_tier
from trainhub.extensions import db
from trainhub.rewards import engine
from trainhub.rewards.models import RewardDeclaration
from trainhub.rewards.values import RewardParameters, UsedParameter

NOT_FOUND = N_("The page or record was not found, or it is outside your scope.")


def declaration(declaration_id: int, action: str, *,
                with_parts: bool = False) -> RewardDeclaration:
    """The declaration if `action` is allowed on it; with its enterprise, employees,
    evidence and reviews for a page that shows them."""
    options = [selectinload(RewardDeclaration.enterprise),
               selectinload(RewardDeclaration.employees),
               selectinload(RewardDeclaration.evidence),
               selectinload(RewardDeclaration.reviews)] if with_parts else []
    found = db.session.get(RewardDeclaration, declaration_id, options=options)
    if found is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found)
    return found


def part(model: Any, declaration_id: int, part_id: int, action: str) -> Any:
    """An employee or a file, only under its own declaration's address."""
    found = db.session.get(model, part_id)
    if found is None or found.declaration_id != declaration_id:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found.declaration)
    return found


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
