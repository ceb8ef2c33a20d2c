"""Who may read and submit the yearly plan report (registered into core.policy).

Officers read the report of their region and of any region below it (the object: anything
with a `region_code`, a submitted report or the region asked for). Only a city officer
submits, and only their own city's: the plan asks each city federation to report to the
province (三(六)); the province reads every city's submission through reports.view.
"""

from __future__ import annotations

from typing import Any

from trainhub.core.accounts.models import Role, User
from trainhub.core.policy import is_city_officer, officer_covers, rule


@rule("reports.view")
def _may_view(user: User, obj: Any) -> bool:
    if obj is None:
        return user.role == Role.FEDERATION_OFFICER and bool(user.region_code)
    return officer_covers(user, obj.region_code)


@rule("reports.submit")
def _may_submit(user: User, obj: Any) -> bool:
    if obj is None:
        return is_city_officer(user)
    return is_city_officer(user) and obj.region_code == user.region_code
