"""What waits for a user in the over-quota reward, for their home page: one aggregate
statement each, scoped by `rewards.rules` (the declarations list's scope through
`policy.where`, narrowed to the officer's own step as `rewards.review` and
`rewards.decide` decide it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, literal, select

from trainhub.core import policy
from trainhub.extensions import db
from trainhub.rewards import rules
from trainhub.rewards.declarations import REVIEW_STEPS
from trainhub.rewards.models import DeclarationStatus, ReviewLevel, RewardDeclaration


@dataclass(frozen=True)
class Rewards:
    to_review: int = 0  # at the officer's own review step
    to_decide: int = 0  # the city's: to put under notice, approve after it, or pay
    returned: int = 0  # an enterprise's own, back for corrections
    drafts: int = 0


def for_officer(user: Any, today: date) -> Rewards:
    level = rules.review_level(user)
    if level is None:
        return Rewards()
    status = RewardDeclaration.status
    decide: Any = literal(0)  # the notice, the approval and the payment are the city's
    if level is ReviewLevel.CITY:
        decide = func.count().filter(
            status.in_((DeclarationStatus.CITY_REVIEWED.value, DeclarationStatus.APPROVED.value))
            | and_(status == DeclarationStatus.IN_NOTICE.value,
                   RewardDeclaration.notice_ends_on < today))
    row = db.session.execute(select(
        func.count().filter(status == REVIEW_STEPS[level][0].value), decide,
    ).where(policy.where(user, "rewards.view", RewardDeclaration))).one()
    return Rewards(to_review=row[0], to_decide=row[1])


def for_enterprise(user: Any) -> Rewards:
    status = RewardDeclaration.status
    row = db.session.execute(select(
        func.count().filter(status == DeclarationStatus.RETURNED.value),
        func.count().filter(status == DeclarationStatus.DRAFT.value),
    ).where(policy.where(user, "rewards.view", RewardDeclaration))).one()
    return Rewards(returned=row[0], drafts=row[1])
