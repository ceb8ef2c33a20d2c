"""Marking schemes: the aspects an organiser types for an event (code, kind, scale, maximum,
step), checked in the organiser's words, and the pure core's scheme built from them — for
an event being set up or corrected, and for the stored aspects that marking, sheets and
results work on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from trainhub.competitions import scoring
from trainhub.competitions.models import Aspect
from trainhub.core.errors import N_, DomainError, Phrase


@dataclass(frozen=True)
class AspectInput:
    code: str
    title: str
    kind: str           # measurement / judgement
    scale: str | None   # wsos / points for judgement
    max_mark: Decimal
    step: Decimal = Decimal("0.5")


# Marks are stored as Numeric(7, 2): two decimals, and far below its largest value.
MARK_PLACES = Decimal("0.01")
HIGHEST_MAXIMUM = Decimal(1000)
CODE_LENGTH = 16


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _aspect_problem(aspect: Aspect | AspectInput, seen: set[str]) -> Phrase | None:
    """What is wrong with one aspect, in words for the organiser typing the scheme."""
    code = aspect.code
    if not code.strip():
        return Phrase(N_("every aspect needs a code"))
    if len(code) > CODE_LENGTH:
        return Phrase(N_("the code %(code)s is longer than %(length)s characters"), code=code,
                      length=CODE_LENGTH)
    if code in seen:
        return Phrase(N_("the code %(code)s is used twice"), code=code)
    seen.add(code)
    if aspect.kind not in ("measurement", "judgement"):
        return Phrase(N_("aspect %(code)s: choose measurement or judgement"), code=code)
    if (aspect.kind == "judgement") != (aspect.scale is not None):
        return Phrase(N_("aspect %(code)s: a judgement aspect is marked on the 0–3 scale or "
                         "in points, a measurement has no scale"), code=code)
    if aspect.scale not in (None, "wsos", "points"):
        return Phrase(N_("aspect %(code)s: unknown scale"), code=code)
    maximum = Decimal(aspect.max_mark)
    step = Decimal(1) if aspect.scale == "wsos" else Decimal(aspect.step)
    if not maximum.is_finite() or not 0 < maximum <= HIGHEST_MAXIMUM:
        return Phrase(N_("aspect %(code)s: the maximum must be above 0 and at most "
                         "%(highest)s"), code=code, highest=HIGHEST_MAXIMUM)
    if not step.is_finite() or step <= 0:
        return Phrase(N_("aspect %(code)s: the step must be above 0"), code=code)
    if maximum != maximum.quantize(MARK_PLACES) or step != step.quantize(MARK_PLACES):
        return Phrase(N_("aspect %(code)s: use at most two decimals"), code=code)
    if aspect.scale != "wsos" and maximum % step != 0:
        return Phrase(N_("aspect %(code)s: the maximum %(max)s is not a multiple of the step "
                         "%(step)s"), code=code, max=_plain(maximum), step=_plain(step))
    return None


def scheme_of(aspects: Sequence[Aspect | AspectInput]) -> scoring.MarkingScheme:
    """The pure core's scheme; building it checks maxima, steps and kinds. The problems an
    organiser can type are named first, in the reader's language."""
    seen: set[str] = set()
    for aspect in aspects:
        problem = _aspect_problem(aspect, seen)
        if problem is not None:
            raise DomainError(N_("The marking scheme is not valid: %(problem)s"),
                              problem=problem)
    try:
        return scoring.MarkingScheme(tuple(
            scoring.Aspect(a.code, Decimal(a.max_mark), scoring.AspectKind(a.kind),
                           scoring.Scale(a.scale) if a.scale else None,
                           Decimal(1) if a.scale == "wsos" else Decimal(a.step))
            for a in aspects))
    except ValueError as error:
        raise DomainError(N_("The marking scheme is not valid: %(problem)s"),
                          problem=str(error)) from None
