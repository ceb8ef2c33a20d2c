"""How far each county's subsidy decisions have changed, kept by the database's own
triggers (migration 0017) whatever writes the rows: the reconciliation report of a region is
computed once for each state of its decisions and shared by every reader until one of them
changes, rather than folding a province's year of decisions on every view.

A county's `version` is set, at every change to one of its decisions, to a number never
given before (a sequence on PostgreSQL; on SQLite, whose writers take turns, one more than
the largest), so the sum of the versions of a region's counties names the state of its
decisions: every committed change raises one county's version, so the sum moves, and a
change that is rolled back leaves a number no later change reuses.

Not the largest version: on PostgreSQL a transaction takes its number when it writes, not
when it commits, so a change to county A (number 10) committed after one to county B
(number 11) would leave the largest at 11, and every process would keep the report it
computed between the two commits (without A's change) for good."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Select

from trainhub.core import kept as core_kept
from trainhub.extensions import Model

T = TypeVar("T")


@core_kept.follows
class DecisionVersion(core_kept.RegionVersions, Model):
    __tablename__ = "subsidy_decision_versions"


def region_version_query(scope_code: str) -> Select[Any]:
    return core_kept.region_version_query(DecisionVersion, scope_code)


def region_version(scope_code: str) -> int:
    """The state of the decisions of the region `scope_code` (0 before any change)."""
    return core_kept.region_version(DecisionVersion, scope_code)


def kept(region_code: str, key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()` once for each state of the decisions of `region_code` (everything it
    reads must be decisions within that region), kept by this process under that state
    (one statement: region_version): an officer's counts by status, the sums against their
    budgets, the size of their approval queue."""
    return core_kept.kept_for_region(DecisionVersion, "subsidy decisions", region_code, key,
                                     compute)
