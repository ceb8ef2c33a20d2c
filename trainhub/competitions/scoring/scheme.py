"""The marking scheme, one mark's validation, and how judges' marks become an aspect mark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from ._common import N_, Key, Reason, ScoringError, exact_sum, require_decimal, round_mark

WSOS_MAX = Decimal(3)
DEFAULT_STEP = Decimal("0.01")
# Below three judges trimming would leave nothing to average.
FEWEST_JUDGES_TO_TRIM = 3


class AspectKind(StrEnum):
    MEASUREMENT = "measurement"  # one objective mark
    JUDGEMENT = "judgement"  # every assigned judge marks


class Scale(StrEnum):
    WSOS = "wsos"  # WorldSkills 0-3 integers
    POINTS = "points"  # 0..max in steps


@dataclass(frozen=True)
class Aspect:
    """One aspect of the scheme. `step` applies to measurement and points marks; 0–3 marks
    are whole numbers."""

    id: str
    max_mark: Decimal
    kind: AspectKind
    scale: Scale | None = None
    step: Decimal = DEFAULT_STEP

    def __post_init__(self) -> None:
        require_decimal(self.max_mark, "max_mark")
        require_decimal(self.step, "step")
        if not self.id:
            raise ValueError("an aspect needs an id")
        if not self.max_mark.is_finite() or self.max_mark <= 0:
            raise ValueError(f"aspect {self.id}: the maximum must be above zero")
        if not self.step.is_finite() or self.step <= 0:
            raise ValueError(f"aspect {self.id}: the step must be above zero")
        if (self.kind is AspectKind.JUDGEMENT) != (self.scale is not None):
            raise ValueError(f"aspect {self.id}: judgement aspects, and only they, have a scale")

    @classmethod
    def measurement(cls, id: str, max_mark: Decimal, step: Decimal = DEFAULT_STEP) -> Aspect:
        return cls(id, max_mark, AspectKind.MEASUREMENT, None, step)

    @classmethod
    def wsos(cls, id: str, max_mark: Decimal) -> Aspect:
        return cls(id, max_mark, AspectKind.JUDGEMENT, Scale.WSOS, Decimal(1))

    @classmethod
    def points(cls, id: str, max_mark: Decimal, step: Decimal = Decimal("0.5")) -> Aspect:
        return cls(id, max_mark, AspectKind.JUDGEMENT, Scale.POINTS, step)

    @property
    def is_judgement(self) -> bool:
        return self.kind is AspectKind.JUDGEMENT

    @property
    def is_wsos(self) -> bool:
        return self.scale is Scale.WSOS

    @property
    def highest_judge_mark(self) -> Decimal:
        """The largest mark one judge (or the measurement) may give."""
        return WSOS_MAX if self.is_wsos else self.max_mark


@dataclass(frozen=True)
class MarkingScheme:
    aspects: tuple[Aspect, ...]
    _by_id: dict[str, Aspect] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.aspects:
            raise ValueError("a marking scheme needs at least one aspect")
        ids = [a.id for a in self.aspects]
        if len(set(ids)) != len(ids):
            raise ValueError("aspect ids must be unique within a scheme")
        object.__setattr__(self, "_by_id", {a.id: a for a in self.aspects})

    def aspect(self, aspect_id: str) -> Aspect:
        found = self._by_id
        if aspect_id not in found:
            raise ScoringError(Reason("unknown_aspect", N_("There is no aspect “%(aspect)s” in "
                                      "this marking scheme."), {"aspect": aspect_id}))
        return found[aspect_id]

    @property
    def max_total(self) -> Decimal:
        return sum((a.max_mark for a in self.aspects), Decimal(0))

    @property
    def heaviest(self) -> tuple[Aspect, ...]:
        """The aspects sharing the largest maximum (usually one)."""
        top = max(a.max_mark for a in self.aspects)
        return tuple(a for a in self.aspects if a.max_mark == top)


class Mark(NamedTuple):
    """One submitted mark. For a measurement aspect `judge_id` only records who entered it.

    A named tuple, not a dataclass: an event of 1,000 entries holds 38,000 of them, and a
    frozen dataclass costs three times as much to build. The value is checked to be a
    Decimal where marks are read (`marks_by_cell`, through `check_mark`)."""

    entry_id: Key
    aspect_id: str
    judge_id: Key | None
    value: Decimal


def validate_mark(aspect: Aspect, value: Decimal) -> Reason | None:
    """None when `value` is a valid single mark on `aspect`, else the reason it is not."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return Reason("not_a_number", N_("The mark must be a number."))
    if aspect.is_wsos:
        if value != value.to_integral_value() or not 0 <= value <= WSOS_MAX:
            return Reason("wsos_scale", N_("On the 0–3 scale the mark must be 0, 1, 2 or 3."))
        return None
    if value < 0:
        return Reason("negative", N_("The mark cannot be below 0."))
    if value > aspect.max_mark:
        return Reason("above_max", N_("The mark cannot be above the maximum of %(max)s."),
                      {"max": str(aspect.max_mark)})
    if value % aspect.step != 0:
        return Reason("off_step", N_("The mark must be a multiple of %(step)s."),
                      {"step": str(aspect.step)})
    return None


def check_mark(aspect: Aspect, value: Decimal) -> None:
    """Like validate_mark, raising: results are never computed from a mark that fails it."""
    reason = validate_mark(aspect, value)
    if reason is not None:
        raise ScoringError(reason)


def split_trimmed(values: Sequence[Decimal], trim_min_judges: int,
                  ) -> tuple[tuple[Decimal, ...], tuple[Decimal, ...]]:
    """(counted, dropped): with at least `trim_min_judges` marks one highest and one lowest
    are dropped; otherwise all count."""
    if trim_min_judges < FEWEST_JUDGES_TO_TRIM:
        raise ValueError(f"trim_min_judges must be at least {FEWEST_JUDGES_TO_TRIM}")
    ordered = sorted(values)
    if len(ordered) >= trim_min_judges:
        return tuple(ordered[1:-1]), (ordered[0], ordered[-1])
    return tuple(ordered), ()


def exact_aspect_mark(aspect: Aspect, counted: Sequence[Decimal]) -> Fraction:
    """The unrounded aspect mark from the marks that count."""
    if not counted:
        raise ValueError(f"aspect {aspect.id}: no marks to aggregate")
    if not aspect.is_judgement:
        if len(counted) != 1:
            raise ValueError(f"aspect {aspect.id}: a measurement has exactly one mark")
        return Fraction(counted[0])
    total = Fraction(exact_sum(counted))
    if aspect.is_wsos:
        return Fraction(aspect.max_mark) * total / (3 * len(counted))
    return total / len(counted)


def aspect_mark(aspect: Aspect, values: Sequence[Decimal], trim_min_judges: int) -> Decimal:
    """The aspect mark, rounded once, from all of its judges' (or its one measurement) marks."""
    for value in values:
        check_mark(aspect, value)
    if aspect.is_judgement:
        counted, _dropped = split_trimmed(values, trim_min_judges)
    else:
        counted = tuple(values)
    return round_mark(exact_aspect_mark(aspect, counted))


Cell = tuple[Key, str]  # (entry, aspect)


@dataclass(frozen=True, eq=False)
class GroupedMarks:
    """Marks already grouped and checked against one scheme (`group_marks`): standings,
    flags and completeness of one event can share one grouping instead of each redoing it."""

    scheme: MarkingScheme
    cells: dict[Cell, list[Mark]]


Marks = Sequence[Mark] | GroupedMarks


def group_marks(scheme: MarkingScheme, marks: Sequence[Mark]) -> GroupedMarks:
    return GroupedMarks(scheme, marks_by_cell(scheme, marks))


def marks_by_cell(scheme: MarkingScheme, marks: Marks) -> dict[Cell, list[Mark]]:
    """Marks grouped per (entry, aspect), in first-seen order, each checked: a known aspect, a
    valid value, a judge on judgement aspects, one mark per judge, one per measurement."""
    if isinstance(marks, GroupedMarks):
        if marks.scheme != scheme:
            raise ValueError("the marks were grouped for another marking scheme")
        return marks.cells
    cells: dict[Cell, list[Mark]] = {}
    judged: dict[str, bool] = {}  # aspect id → is a judgement, once checked to exist
    valid: set[tuple[str, Decimal]] = set()  # (aspect, value) pairs already checked
    judges: dict[Cell, set[Key | None]] = {}
    for mark in marks:
        aspect_id, value, judge_id = mark.aspect_id, mark.value, mark.judge_id
        is_judgement = judged.get(aspect_id)
        if is_judgement is None:
            is_judgement = judged[aspect_id] = scheme.aspect(aspect_id).is_judgement
        if (aspect_id, value) not in valid:  # a few hundred distinct values per event
            require_decimal(value, "a mark")
            check_mark(scheme.aspect(aspect_id), value)
            valid.add((aspect_id, value))
        key = (mark.entry_id, aspect_id)
        cell = cells.get(key)
        if cell is None:
            cell, judges[key] = cells.setdefault(key, []), set()
        if is_judgement and judge_id is None:
            raise ScoringError(Reason("judge_missing", N_("A judgement mark needs its judge.")))
        if cell and not is_judgement:
            raise ScoringError(Reason("duplicate_mark", N_("A measurement has only one mark.")))
        if judge_id in judges[key]:
            raise ScoringError(Reason("duplicate_mark", N_("A judge marks each aspect of an "
                                                           "entry only once.")))
        judges[key].add(judge_id)
        cell.append(mark)
    return cells
