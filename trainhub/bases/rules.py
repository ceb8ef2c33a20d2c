"""Who may do what with base applications and certified bases (registered into core.policy).

Officers act by level: a county officer (6-digit code) at the county step, a city officer
(4 digits) at the city step, a province officer at the province step, each only inside
their region.
"""

from __future__ import annotations

from typing import Any

from trainhub.bases.models import LEVEL_ORDER, ApplicationStatus, Level
from trainhub.core.accounts.models import Role, User
from trainhub.core.policy import (
    ALWAYS,
    Scope,
    has_role,
    in_region,
    mine,
    not_among,
    officer_covers,
    rule,
    scoped,
)

OFFICER_LEVEL_BY_CODE_LENGTH = {6: Level.COUNTY, 4: Level.CITY, 2: Level.PROVINCE}


def officer_level(user: User) -> Level | None:
    if user.role != Role.FEDERATION_OFFICER or not user.region_code:
        return None
    return OFFICER_LEVEL_BY_CODE_LENGTH.get(len(user.region_code))


def _own_institution(user: User, obj: Any) -> bool:
    return user.role == Role.INSTITUTION_STAFF and user.institution_id == getattr(
        obj, "institution_id", None)


@rule("bases.apply")
def _may_apply(user: User, obj: Any) -> bool:
    """Institution staff prepare, edit and submit their own institution's applications."""
    if obj is None:
        return user.role == Role.INSTITUTION_STAFF
    return _own_institution(user, obj)


@scoped("bases.view")
def _seen() -> Scope:
    """An application or base: its institution; officers whose region covers it, an
    application once submitted (a draft is the institution's own until then); the admin."""
    return Scope({
        Role.ADMIN: ALWAYS,
        Role.INSTITUTION_STAFF: mine("institution_id"),
        Role.FEDERATION_OFFICER: in_region()
        & not_among("status", ApplicationStatus.DRAFT.value),
    })


@rule("bases.review")
def _may_review(user: User, obj: Any) -> bool:
    """Only the officer of the application's region at the step it has reached."""
    level = officer_level(user)
    if obj is None:
        return level is not None
    return (level is not None and obj.status == ApplicationStatus.IN_REVIEW
            and obj.current_level == level and officer_covers(user, obj.region_code))


@rule("bases.certify")
def _may_certify(user: User, obj: Any) -> bool:
    """The officer at the level sought: opens the notice, records objections, certifies."""
    level = officer_level(user)
    if obj is None:
        return level is not None
    return level == obj.level_sought and officer_covers(user, obj.region_code)


@rule("bases.inspection_photos")
def _may_add_inspection_photos(user: User, obj: Any) -> bool:
    """Photos added to a review after it was made (`obj` is the review): the officer who
    made it, or an officer at the same level whose region covers the application."""
    level = officer_level(user)
    if obj is None or level is None:
        return level is not None
    return user.id == obj.reviewer_id or (
        level == obj.level and officer_covers(user, obj.application.region_code))


@rule("bases.manage")
def _may_manage(user: User, obj: Any) -> bool:
    """Yearly review, suspension, revocation of a base: officers at or above its level."""
    level = officer_level(user)
    if obj is None:
        return level is not None
    return (level is not None and LEVEL_ORDER.index(level) >= LEVEL_ORDER.index(Level(obj.level))
            and officer_covers(user, obj.region_code))


@rule("bases.residents")
def _may_record_residents(user: User, obj: Any) -> bool:
    """Incubated enterprises: the incubator's own staff, and officers covering it."""
    if obj is None:
        return has_role(user, Role.INSTITUTION_STAFF, Role.FEDERATION_OFFICER)
    return _own_institution(user, obj) or officer_covers(user, obj.region_code)


@rule("bases.coverage")
def _may_see_coverage(user: User, obj: Any) -> bool:
    return has_role(user, Role.FEDERATION_OFFICER, Role.ADMIN)

