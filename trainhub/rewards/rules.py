"""Who may do what with over-quota reward declarations (registered into core.policy).

An enterprise contact declares for their own enterprise. Officers see the declarations of
their region once submitted (a draft is the enterprise's own until then) and review by
level: the county officer (6-digit code) a submitted declaration, then the city officer
(4 digits) one the county has passed on, each only inside their region.
"""

from __future__ import annotations

from typing import Any

from trainhub.core.accounts.models import Role, User
from trainhub.core.policy import Scope, in_region, mine, not_among, officer_covers, rule, scoped
from trainhub.rewards.declarations import REVIEW_STEPS
from trainhub.rewards.models import DeclarationStatus, ReviewLevel

LEVEL_BY_CODE_LENGTH = {6: ReviewLevel.COUNTY, 4: ReviewLevel.CITY}


def review_level(user: User) -> ReviewLevel | None:
    """The review step an officer takes: none for a province officer or anyone else."""
    if user.role != Role.FEDERATION_OFFICER or not user.region_code:
        return None
    return LEVEL_BY_CODE_LENGTH.get(len(user.region_code))


@rule("rewards.declare")
def _may_declare(user: User, obj: Any) -> bool:
    """An enterprise contact prepares, edits and submits their own enterprise's."""
    if user.role != Role.ENTERPRISE_CONTACT or user.enterprise_id is None:
        return False
    return obj is None or getattr(obj, "enterprise_id", None) == user.enterprise_id


@scoped("rewards.view")
def _seen() -> Scope:
    return Scope({
        Role.ENTERPRISE_CONTACT: mine("enterprise_id"),
        Role.FEDERATION_OFFICER: in_region()
        & not_among("status", DeclarationStatus.DRAFT.value),
    })


@rule("rewards.review")
def _may_review(user: User, obj: Any) -> bool:
    """Only the officer of the declaration's region at the step it has reached."""
    level = review_level(user)
    if obj is None or level is None:
        return level is not None
    return (obj.status == REVIEW_STEPS[level][0].value
            and officer_covers(user, obj.region_code))


DECIDED_BY_THE_CITY = (DeclarationStatus.CITY_REVIEWED.value, DeclarationStatus.IN_NOTICE.value,
                       DeclarationStatus.APPROVED.value)


@rule("rewards.decide")
def _may_decide(user: User, obj: Any) -> bool:
    """The public notice, its objections, the approval and the payment: the city officer of
    the declaration's region, once the city has passed it on."""
    level = review_level(user)
    if obj is None or level is not ReviewLevel.CITY:
        return level is ReviewLevel.CITY
    return obj.status in DECIDED_BY_THE_CITY and officer_covers(user, obj.region_code)
