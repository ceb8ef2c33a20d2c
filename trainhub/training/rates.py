"""Attendance rate over the PLANNED hours of a batch (DESIGN §4): hours not yet held count
as not attended, so the rate shown while a batch runs is what the trainee has secured. A
trainee is warned only once the sessions still ahead can no longer lift the rate to the
threshold. Pure: plain values in, plain values out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from trainhub.training.catalog import ATTENDED


@dataclass(frozen=True)
class AttendanceSummary:
    planned_hours: Decimal
    attended_hours: Decimal
    sessions_marked: int
    remaining_hours: Decimal = Decimal(0)   # planned hours of sessions not yet held

    @property
    def percent(self) -> Decimal:
        """Rounded down to one decimal, so 79.96% never shows as 80.0%."""
        if not self.planned_hours:
            return Decimal(0)
        raw = self.attended_hours * 100 / self.planned_hours
        return raw.quantize(Decimal("0.1"), rounding=ROUND_DOWN)

    def below(self, threshold_percent: Decimal) -> bool:
        """Exactly reaching the threshold counts as reaching it (exact, not rounded)."""
        return self.attended_hours * 100 < threshold_percent * self.planned_hours

    def out_of_reach(self, threshold_percent: Decimal) -> bool:
        """Even attending every session not yet held leaves the rate below the threshold.
        Reaching it exactly with all of them still counts as reachable."""
        best = self.attended_hours + self.remaining_hours
        return best * 100 < threshold_percent * self.planned_hours


def summarise(planned: Mapping[int, Decimal], marks: Iterable[tuple[int, str]],
              not_yet_held: Iterable[int] = ()) -> AttendanceSummary:
    """`planned`: session id → planned hours; `marks`: (session id, status) of one
    trainee; `not_yet_held`: the planned sessions that have not begun. Marks of sessions
    not planned are ignored."""
    attended = Decimal(0)
    marked = 0
    for session_id, status in marks:
        if session_id not in planned:
            continue
        marked += 1
        if status in ATTENDED:
            attended += planned[session_id]
    remaining = sum((planned[i] for i in set(not_yet_held) if i in planned), Decimal(0))
    return AttendanceSummary(sum(planned.values(), Decimal(0)), attended, marked, remaining)
