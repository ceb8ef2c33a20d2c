"""Who may do what in competitions (registered into core.policy).

The organising federation's officers (the competition's region or above) run it; each
city's officers register their city's delegation; judges mark only the events they are
assigned to, the chief judge of an event resolves its flags and locks it; the arbitration
group decides appeals and approves corrections. Results are public once published."""

from __future__ import annotations

from typing import Any

from trainhub.core.accounts.models import Role, User
from trainhub.core.policy import (
    has_role,
    is_city_officer,
    is_officer_above_county,
    officer_covers,
    rule,
)


def _competition(obj: Any) -> Any:
    return getattr(obj, "competition", obj)


@rule("competitions.view")
def _may_view(user: User, obj: Any) -> bool:
    """Competitions and their events: every officer (cities register), the admin."""
    return has_role(user, Role.FEDERATION_OFFICER, Role.ADMIN)


@rule("competitions.organise")
def _may_organise(user: User, obj: Any) -> bool:
    if obj is None:
        return user.role == Role.FEDERATION_OFFICER
    return officer_covers(user, _competition(obj).region_code)


@rule("competitions.register")
def _may_register(user: User, obj: Any) -> bool:
    """A city's officers register their city's delegation (obj: the delegation)."""
    if not is_city_officer(user):
        return False
    return obj is None or obj.region_code == user.region_code


@rule("competitions.judges")
def _may_keep_judges(user: User, obj: Any) -> bool:
    """The judges' registry serves every competition of the province: province and city
    officers keep it (judges come from the cities); county officers do not."""
    return is_officer_above_county(user)


def _assignment(user: User, event: Any) -> Any:
    return next((a for a in event.assignments if a.judge.user_id == user.id), None)


@rule("competitions.mark")
def _may_mark(user: User, obj: Any) -> bool:
    if not has_role(user, Role.JUDGE, Role.CHIEF_JUDGE):
        return False
    return obj is None or _assignment(user, obj) is not None


@rule("competitions.chief")
def _may_lead(user: User, obj: Any) -> bool:
    if user.role != Role.CHIEF_JUDGE:
        return False
    if obj is None:
        return True
    assignment = _assignment(user, obj)
    return assignment is not None and assignment.chief


@rule("competitions.scoreboard")
def _may_follow(user: User, obj: Any) -> bool:
    """The scoreboard of an event: its organisers, and its chief judge, who follows the
    standings while checking the marks (codes only until the lock)."""
    return _may_organise(user, obj) or _may_lead(user, obj)


@rule("competitions.arbitrate")
def _may_arbitrate(user: User, obj: Any) -> bool:
    if obj is None:
        return has_role(user, Role.FEDERATION_OFFICER, Role.JUDGE, Role.CHIEF_JUDGE)
    return any(a.user_id == user.id for a in _competition(obj).arbitrators)


@rule("competitions.correct")
def _may_correct(user: User, obj: Any) -> bool:
    """A correction after the lock is asked for by the event's chief judge or by a member
    of the arbitration group (another member approves it)."""
    return _may_lead(user, obj) or _may_arbitrate(user, obj)


def _members(result: Any) -> set[int]:
    return {m.person_id for m in result.entry.members}


@rule("competitions.certificate")
def _may_download_award(user: User, obj: Any) -> bool:
    """An award certificate (obj: the published result): the organising federation's
    officers, and the contestant themself through their trainee account."""
    if user.role == Role.TRAINEE:
        return obj is None or user.person_id in _members(obj)
    if obj is None:
        return user.role == Role.FEDERATION_OFFICER
    return officer_covers(user, obj.entry.event.competition.region_code)


@rule("competitions.mine")
def _may_see_own_results(user: User, obj: Any) -> bool:
    return user.role == Role.TRAINEE
