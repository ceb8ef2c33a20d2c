"""The monthly minimum wage in force in a county on a day (DESIGN §2: three tiers, each a
dated parameter, core.min_wage_tier1..3; which counties have tier 1 or 2 is the dated
parameter core.min_wage_tiers, the others having tier 3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from trainhub.core.parameters import service as parameters
from trainhub.core.parameters.values import wage_tier


@dataclass(frozen=True)
class MinimumWage:
    tier: int
    monthly_fen: int


def minimum_wage(county: str, on: date) -> MinimumWage:
    """The county's tier and that tier's monthly minimum wage, as in force on `on`."""
    tier = wage_tier(parameters.value("core.min_wage_tiers", on, county), county)
    return MinimumWage(tier, parameters.int_value(f"core.min_wage_tier{tier}", on, county))


def yuan(fen: int) -> str:
    """¥1,610.00: an amount for a message, written the same outside a request (a job, the
    API) as the pages' money filter writes it in Chinese."""
    return f"¥{Decimal(fen) / 100:,.2f}"
