"""What every scoring module shares: keys, reasons, the one rounding rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, Inexact, localcontext
from fractions import Fraction
from typing import TypeAlias

# Entries and judges are whatever the service identifies them by (row ids or codes).
Key: TypeAlias = int | str

MARK_PLACES = 2


def N_(message: str) -> str:
    """Marks an English msgid for extraction; the service translates it when shown."""
    return message


@dataclass(frozen=True)
class Reason:
    """Why a value was refused: a stable `code` for programs and an English msgid for people."""

    code: str
    message: str
    params: dict[str, str] = field(default_factory=dict)


class ScoringError(ValueError):
    """The data handed to the scoring core breaks a rule; `reason` says which."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.message % reason.params if reason.params else reason.message)
        self.reason = reason


def round_half_up(value: Fraction, places: int) -> Decimal:
    """Exact half-up (away from zero) rounding of a rational to `places` decimals."""
    numerator, denominator = abs(value.numerator) * 10**places, value.denominator
    # floor(n / d + 1/2) in integers: Fraction arithmetic here was most of a large event's time.
    whole = (2 * numerator + denominator) // (2 * denominator)
    sign = -1 if value < 0 else 1
    return Decimal(sign * whole).scaleb(-places)


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """The sum, or an error rather than a silently rounded one."""
    with localcontext() as context:
        context.traps[Inexact] = True
        return sum(values, Decimal(0))


def round_mark(value: Fraction) -> Decimal:
    return round_half_up(value, MARK_PLACES)


def require_decimal(value: object, what: str) -> None:
    """Marks are Decimal end to end; a float here would already have lost the exact value."""
    if not isinstance(value, Decimal):
        raise TypeError(f"{what} must be a Decimal, not {type(value).__name__}")
