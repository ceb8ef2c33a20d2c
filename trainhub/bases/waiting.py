"""What waits for a user in base certification, for their home page: one aggregate
statement each, scoped by `bases.rules` (the applications list's scope through
`policy.where`, narrowed to the officer's own step as `bases.review` and `bases.certify`
decide it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select

from trainhub.bases import rules
from trainhub.bases.models import ApplicationStatus, BaseApplication
from trainhub.core import policy
from trainhub.extensions import db


@dataclass(frozen=True)
class Applications:
    to_review: int = 0  # in review at the officer's own level
    in_notice: int = 0  # in public notice, certified at the officer's level
    returned: int = 0  # returned to the institution for changes
    drafts: int = 0
    in_review: int = 0  # an institution's own, anywhere in review


def _seen(user: Any) -> Any:
    return policy.where(user, "bases.view", BaseApplication)


def for_officer(user: Any) -> Applications:
    level = rules.officer_level(user)
    if level is None:
        return Applications()
    status = BaseApplication.status
    row = db.session.execute(
        select(
            func.count().filter(
                and_(
                    status == ApplicationStatus.IN_REVIEW.value,
                    BaseApplication.current_level == level.value,
                )
            ),
            func.count().filter(
                and_(
                    status == ApplicationStatus.NOTICE.value,
                    BaseApplication.level_sought == level.value,
                )
            ),
        ).where(_seen(user))
    ).one()
    return Applications(to_review=row[0], in_notice=row[1])


def for_staff(user: Any) -> Applications:
    status = BaseApplication.status
    row = db.session.execute(
        select(
            func.count().filter(status == ApplicationStatus.RETURNED.value),
            func.count().filter(status == ApplicationStatus.DRAFT.value),
            func.count().filter(status == ApplicationStatus.IN_REVIEW.value),
        ).where(_seen(user))
    ).one()
    return Applications(returned=row[0], drafts=row[1], in_review=row[2])
