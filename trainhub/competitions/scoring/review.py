"""What the chief judge checks before locking: disagreement flags and missing marks."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from ._common import N_, Key, Reason, ScoringError
from .scheme import Aspect, Mark, MarkingScheme, Marks, marks_by_cell

EntryKey = TypeVar("EntryKey", bound=Key)
MarkSet = frozenset[tuple[Key, Decimal]]  # (judge, mark) pairs


class ResolutionAction(StrEnum):
    CONFIRMED = "confirmed"  # the marks stand; a reason is required
    REMARKED = "remarked"  # the judges marked again


@dataclass(frozen=True)
class Resolution:
    """The chief judge's decision on the marks `marks` of one (entry, aspect).

    It settles exactly those marks: when a mark changes afterwards, the flag comes back."""

    entry_id: Key
    aspect_id: str
    action: ResolutionAction
    marks: MarkSet
    reason: str = ""

    def __post_init__(self) -> None:
        if self.action is ResolutionAction.CONFIRMED and not self.reason.strip():
            raise ScoringError(Reason("reason_required", N_("Confirming marks that disagree "
                                                            "needs a reason.")))


@dataclass(frozen=True)
class Flag:
    """Judges' marks on one (entry, aspect) are further apart than `limit`."""

    entry_id: Key
    aspect_id: str
    lowest: Decimal
    highest: Decimal
    limit: Decimal
    marks: MarkSet

    @property
    def spread(self) -> Decimal:
        return self.highest - self.lowest

    def confirm(self, reason: str) -> Resolution:
        return Resolution(self.entry_id, self.aspect_id, ResolutionAction.CONFIRMED,
                          self.marks, reason.strip())

    def remarked(self, reason: str = "") -> Resolution:
        """Record that these marks are the judges' second look (called on the re-marked
        flag)."""
        return Resolution(self.entry_id, self.aspect_id, ResolutionAction.REMARKED,
                          self.marks, reason.strip())


def disagreement_limit(aspect: Aspect, wsos_points: Decimal, percent: Decimal) -> Decimal:
    """The largest spread of judges' marks that is not a disagreement."""
    if aspect.is_wsos:
        return wsos_points
    return aspect.max_mark * percent / 100


def disagreement_flags(scheme: MarkingScheme, marks: Marks, wsos_points: Decimal,
                       percent: Decimal) -> tuple[Flag, ...]:
    """A flag for each judged (entry, aspect) whose highest and lowest marks differ by more
    than the limit; a spread of exactly the limit is not flagged."""
    flags = []
    for (entry_id, aspect_id), cell in marks_by_cell(scheme, marks).items():
        aspect = scheme.aspect(aspect_id)
        if not aspect.is_judgement or len(cell) < 2:
            continue
        values = [m.value for m in cell]
        limit = disagreement_limit(aspect, wsos_points, percent)
        if max(values) - min(values) > limit:
            flags.append(Flag(entry_id, aspect_id, min(values), max(values), limit,
                              frozenset((m.judge_id, m.value) for m in cell
                                        if m.judge_id is not None)))
    return tuple(flags)


def unresolved_flags(flags: Iterable[Flag], resolutions: Iterable[Resolution],
                     ) -> tuple[Flag, ...]:
    """The flags no resolution settles; the event may be locked only when there are none."""
    settled = {(r.entry_id, r.aspect_id, r.marks) for r in resolutions}
    return tuple(f for f in flags if (f.entry_id, f.aspect_id, f.marks) not in settled)


@dataclass(frozen=True)
class MissingMark:
    """A mark still to come; `judge_id` is None for a measurement (anyone may enter it) and
    for a judgement aspect of an entry no judge is assigned to."""

    entry_id: Key
    aspect_id: str
    judge_id: Key | None


@dataclass(frozen=True)
class Completeness:
    missing: tuple[MissingMark, ...]
    unexpected: tuple[Mark, ...]  # for an unknown entry, or by a judge not assigned to it

    @property
    def complete(self) -> bool:
        return not self.missing and not self.unexpected


def completeness(scheme: MarkingScheme, judges_by_entry: Mapping[EntryKey, Collection[Key]],
                 marks: Marks) -> Completeness:
    """Which marks are missing, for every entry in `judges_by_entry` and the judges assigned
    to mark its judgement aspects (after conflicts of interest are taken out)."""
    cells = marks_by_cell(scheme, marks)
    assigned: dict[Key, Collection[Key]] = {e: js for e, js in judges_by_entry.items()}
    missing: list[MissingMark] = []
    for entry_id, judges in assigned.items():
        for aspect in scheme.aspects:
            given = {m.judge_id for m in cells.get((entry_id, aspect.id), [])}
            missing.extend(_missing_in_cell(entry_id, aspect, judges, given))
    unexpected = tuple(
        m for cell in cells.values() for m in cell
        if m.entry_id not in assigned
        or (scheme.aspect(m.aspect_id).is_judgement and m.judge_id not in assigned[m.entry_id]))
    return Completeness(tuple(missing), unexpected)


def _missing_in_cell(entry_id: Key, aspect: Aspect, judges: Collection[Key],
                     given: set[Key | None]) -> list[MissingMark]:
    if not aspect.is_judgement:
        return [] if given else [MissingMark(entry_id, aspect.id, None)]
    if not judges:
        return [MissingMark(entry_id, aspect.id, None)]
    return [MissingMark(entry_id, aspect.id, j) for j in judges if j not in given]
