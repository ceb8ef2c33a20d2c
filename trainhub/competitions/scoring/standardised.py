"""The WorldSkills-style standardised score, for comparing results across events."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import TypeVar

from ._common import Key

K = TypeVar("K", bound=Key)

CENTRE = 700  # the median entry's score
SPREAD = 100  # points per standard deviation
PRECISION = 50  # significant digits; the square root is the one inexact step


def standardised_scores(totals: Mapping[K, Decimal]) -> dict[K, int]:
    """700 + 100 × (total − median) / σ, rounded half up to a whole number.

    σ is the population standard deviation of the event's totals (the entries are the whole
    event, not a sample of it); the median of an even number of totals is the mean of the two
    middle ones. With fewer than two distinct totals there is no spread to scale by, and every
    entry scores 700."""
    if len(set(totals.values())) < 2:
        return dict.fromkeys(totals, CENTRE)
    values = [Fraction(v) for v in totals.values()]
    median = statistics.median(values)
    mean = sum(values, Fraction(0)) / len(values)
    variance = sum(((v - mean) ** 2 for v in values), Fraction(0)) / len(values)
    with localcontext() as context:
        context.prec = PRECISION
        sigma = (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()
        centre = Decimal(median.numerator) / Decimal(median.denominator)
        return {entry: int((CENTRE + SPREAD * (total - centre) / sigma)
                           .quantize(Decimal(1), rounding=ROUND_HALF_UP))
                for entry, total in totals.items()}
