"""Hand-computed checks of the engine's helpers: ages, deadlines, money and parameter lookup."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from trainhub.subsidies.engine import (
    Batch,
    CertificateType,
    Completion,
    DatedValue,
    Level,
    Parameters,
    TrainingType,
    add_months,
    age_on,
    format_percent,
    format_yuan,
    round_fen,
)


def test_age_in_completed_years() -> None:
    assert age_on(date(2008, 3, 4), date(2024, 3, 4)) == 16
    assert age_on(date(2008, 3, 5), date(2024, 3, 4)) == 15
    assert age_on(date(2008, 2, 29), date(2024, 2, 28)) == 15


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month() -> None:
    assert add_months(date(2024, 3, 20), 12) == date(2025, 3, 20)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)


def test_money_is_formatted_with_two_decimals_and_thousands() -> None:
    assert format_yuan(150000) == "1,500.00"
    assert format_yuan(123456789) == "1,234,567.89"
    assert format_yuan(5) == "0.05"
    assert format_yuan(0) == "0.00"


def test_rounding_is_half_up_to_the_fen() -> None:
    assert round_fen(Decimal("75062.5")) == 75063
    assert round_fen(Decimal("75062.49")) == 75062


def test_a_rate_just_below_a_threshold_never_displays_as_reaching_it() -> None:
    assert format_percent(Decimal("79.99")) == "79.9"
    assert format_percent(Decimal("80")) == "80"


def test_city_override_in_force_wins_and_start_date_decides() -> None:
    params = Parameters(
        province={"k": [DatedValue(date(2022, 1, 1), 1, "p1"),
                        DatedValue(date(2024, 5, 1), 2, "p2")]},
        cities={"3601": {"k": [DatedValue(date(2024, 6, 1), 9, "c1")]}})
    assert params.in_force("k", date(2024, 4, 30), "360102").version == "p1"
    assert params.in_force("k", date(2024, 5, 1), "360102").version == "p2"
    assert params.in_force("k", date(2024, 6, 1), "360102").scope == "3601"
    assert params.in_force("k", date(2024, 6, 1), "360402").version == "p2"
    with pytest.raises(LookupError):
        params.in_force("k", date(2021, 12, 31), "360402")


def test_inconsistent_inputs_are_rejected() -> None:
    with pytest.raises(ValueError):
        Completion(passed=True, certificate_type=None, certificate_date=date(2024, 1, 1))
    with pytest.raises(ValueError):
        Completion(passed=True, certificate_type=CertificateType.SPECIAL_ABILITY,
                   level=Level.JUNIOR, certificate_date=date(2024, 1, 1))
    with pytest.raises(ValueError):
        Batch(date(2024, 3, 4), date(2024, 3, 1), "360102", TrainingType.PRE_JOB, "x", 0,
              Decimal(80), "i")
