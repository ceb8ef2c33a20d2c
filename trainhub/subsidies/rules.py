"""Who may do what with subsidies (registered into core.policy).

Decisions sit in the county of their batch; the batch's institution claims them, officers
whose region covers the county approve, reject and pay them; the trainee reads their own.
Budgets belong to a region: officers set those of their region and the regions below it."""

from __future__ import annotations

from typing import Any

from trainhub.core.accounts.models import Role, User
from trainhub.core.policy import (
    ALWAYS,
    Scope,
    has_role,
    in_region,
    mine,
    officer_covers,
    rule,
    scoped,
)


def _own_institution(user: User, obj: Any) -> bool:
    return user.role == Role.INSTITUTION_STAFF and user.institution_id == getattr(
        obj, "institution_id", None)


@scoped("subsidies.view")
def _seen() -> Scope:
    """A decision (or a batch's decisions): its institution, officers covering it, the
    admin."""
    return Scope({Role.ADMIN: ALWAYS, Role.INSTITUTION_STAFF: mine("institution_id"),
                  Role.FEDERATION_OFFICER: in_region()})


@rule("subsidies.claim")
def _may_claim(user: User, obj: Any) -> bool:
    """Compute and submit the claims of a batch: the staff of its institution."""
    if obj is None:
        return user.role == Role.INSTITUTION_STAFF
    return _own_institution(user, obj)


@scoped("subsidies.approve")
def _approved_by() -> Scope:
    """Approve, reject and pay: officers whose region covers the decision."""
    return Scope({Role.FEDERATION_OFFICER: in_region()})


@rule("subsidies.budgets")
def _may_manage_budgets(user: User, obj: Any) -> bool:
    """See and set the budgets of one's region and the regions below it."""
    if obj is None:
        return user.role == Role.FEDERATION_OFFICER
    return officer_covers(user, obj.region_code)


@rule("subsidies.reports")
def _may_see_reports(user: User, obj: Any) -> bool:
    return has_role(user, Role.FEDERATION_OFFICER, Role.ADMIN)


@rule("subsidies.vouchers.issue")
def _may_issue_vouchers(user: User, obj: Any) -> bool:
    """Officers issue vouchers to people of their region (obj: the voucher or person)."""
    if obj is None:
        return user.role == Role.FEDERATION_OFFICER
    region = getattr(obj, "region_code", None) or getattr(obj, "household_region_code", None)
    return officer_covers(user, region)


@rule("subsidies.mine")
def _may_see_own(user: User, obj: Any) -> bool:
    """A trainee's own decisions and vouchers."""
    if obj is None:
        return user.role == Role.TRAINEE
    return user.role == Role.TRAINEE and getattr(obj, "person_id", None) == user.person_id
