"""What a batch may lawfully plan but hardly means: warnings, never refusals. The staff see
them on the batch page while they plan it, the approving officer beside the approval.

`thin_hours` is pure; `batch_warnings` reads the batch and the parameter in force on its
start date in its region (training.min_average_daily_hours).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from trainhub.core.errors import N_
from trainhub.core.parameters import service as parameters
from trainhub.training.catalog import EDITABLE_BATCH, BatchStatus
from trainhub.training.models import Batch

THIN_HOURS = N_("%(hours)s planned hours over the %(days)s days from %(start)s to %(end)s "
                "make %(average)s hours a day on average, fewer than %(minimum)s: check the "
                "sessions and the dates before the batch is approved.")


@dataclass(frozen=True)
class PlanWarning:
    msgid: str
    params: dict[str, object] = field(default_factory=dict)


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def thin_hours(planned_hours: Decimal, start: date, end: date,
               min_per_day: int) -> PlanWarning | None:
    """A warning when the planned hours average fewer than `min_per_day` a day over the
    batch's days, first and last included; none without sessions (submitting refuses a
    batch without them) or with a minimum of 0."""
    days = (end - start).days + 1
    if planned_hours <= 0 or min_per_day <= 0 or days <= 0:
        return None
    if planned_hours >= min_per_day * days:
        return None
    average = (planned_hours / days).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return PlanWarning(THIN_HOURS, {"hours": _plain(planned_hours), "days": days,
                                    "start": start, "end": end, "average": _plain(average),
                                    "minimum": min_per_day})


def batch_warnings(batch: Batch) -> list[PlanWarning]:
    """The batch's warnings while its plan can still be changed or approved; none after."""
    if batch.status not in (*EDITABLE_BATCH, BatchStatus.SUBMITTED):
        return []
    minimum = parameters.int_value("training.min_average_daily_hours", batch.start_date,
                                   batch.region_code)
    found = thin_hours(batch.planned_hours, batch.start_date, batch.end_date, minimum)
    return [found] if found else []
