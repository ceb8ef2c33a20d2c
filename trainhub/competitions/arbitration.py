"""The arbitration group (仲裁组) of a competition: the organiser names its members, officers
of the organising federation or judges of the registry. The group decides appeals and
approves corrections after the lock (marking and results read it)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select

from trainhub.competitions.models import Arbitrator, Competition, Judge
from trainhub.core.accounts.models import Role, User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Conflict, DomainError
from trainhub.core.regions import is_within
from trainhub.extensions import db


def _audit(action: str, competition: Competition, user_id: int) -> None:
    record(action, object_type="competition", object_id=competition.id,
           region_code=competition.region_code, details={"user": user_id})


def eligible(competition: Competition, user: User) -> bool:
    """An active officer inside the organising region, or a judge in the registry."""
    if not user.is_active:
        return False
    if user.role == Role.FEDERATION_OFFICER:
        return is_within(user.region_code, competition.region_code)
    return db.session.scalar(select(Judge.id).where(Judge.user_id == user.id)) is not None


def candidates(competition: Competition) -> Sequence[User]:
    """Who may be named, members excepted, officers first (one statement)."""
    members = [a.user_id for a in competition.arbitrators]
    found = db.session.scalars(select(User).where(
        User.is_active_account.is_(True), User.id.not_in(members),
        or_((User.role == Role.FEDERATION_OFFICER.value)
            & User.region_code.startswith(competition.region_code),
            User.id.in_(select(Judge.user_id))))).all()
    return sorted(found, key=lambda u: (u.role != Role.FEDERATION_OFFICER,
                                        u.region_code or "", u.display_name))


def add(competition: Competition, user: User) -> Arbitrator:
    if not eligible(competition, user):
        raise DomainError(N_("The arbitration group is made of officers of the organising "
                             "federation and judges of the registry."))
    if any(a.user_id == user.id for a in competition.arbitrators):
        raise Conflict(N_("This person is already in the arbitration group."))
    member = Arbitrator(competition_id=competition.id, user_id=user.id)
    competition.arbitrators.append(member)
    db.session.flush()
    _audit("competition.arbitrator_add", competition, user.id)
    return member


def remove(competition: Competition, member: Arbitrator) -> None:
    _audit("competition.arbitrator_remove", competition, member.user_id)
    competition.arbitrators.remove(member)
    db.session.delete(member)
    db.session.flush()
