"""How far each county's training batches and enrolments have changed, kept by the
database's own triggers (migration 0039) whatever writes the rows, as the subsidy decisions'
versions are (trainhub/subsidies/versions.py, whose reasoning this follows): a county's
`version` is set, at every change to one of its batches or to an enrolment in one of them,
to a number never given before, so the sum of the versions of a region's counties names the
state of its training. An officer's count of the trainees admitted this year is computed
once for each state and kept (core.kept) instead of joining a province's enrolments to its
batches on every view of the home page (issue 13)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from trainhub.core import kept as core_kept
from trainhub.extensions import Model

T = TypeVar("T")


@core_kept.follows
class TrainingVersion(core_kept.RegionVersions, Model):
    __tablename__ = "training_versions"


def region_version(scope_code: str) -> int:
    """The state of the batches and enrolments of the region `scope_code` (0 before any
    change)."""
    return core_kept.region_version(TrainingVersion, scope_code)


def kept(region_code: str, key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()` once for each state of the training of `region_code` (everything it reads
    must be batches of that region and their enrolments), kept by this process."""
    return core_kept.kept_for_region(TrainingVersion, "training", region_code, key, compute)
