"""Load an object with what its page needs, then check the permission (404 before 403)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import Select, false, select
from sqlalchemy.orm import selectinload

from trainhub.bases.models import (
    ApplicationStatus,
    Base,
    BaseApplication,
    EvidenceFile,
    Objection,
    PublicNotice,
    Review,
)
from trainhub.core import policy
from trainhub.core.accounts.models import Role
from trainhub.core.errors import NotFound
from trainhub.extensions import db

NOT_FOUND = "The page or record was not found, or it is outside your scope."


def application(application_id: int, action: str) -> BaseApplication:
    found = db.session.get(BaseApplication, application_id, options=[
        selectinload(BaseApplication.institution),
        selectinload(BaseApplication.reviews).selectinload(Review.photos),
        selectinload(BaseApplication.evidence),
        selectinload(BaseApplication.notice).selectinload(PublicNotice.objections),
    ])
    if found is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found)
    return found


def evidence(file_id: int) -> EvidenceFile:
    found = db.session.get(EvidenceFile, file_id)
    if found is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, "bases.view", found.application)
    return found


def objection(objection_id: int) -> Objection:
    found = db.session.get(Objection, objection_id)
    if found is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, "bases.certify", found.notice.application)
    return found


def base(base_id: int, action: str) -> Base:
    found = db.session.get(Base, base_id, options=[
        selectinload(Base.institution), selectinload(Base.annual_reviews),
        selectinload(Base.residents),
    ])
    if found is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found)
    return found


# --- lists: what a list shows each user (the web pages and the API alike) ----------------

def visible_applications(user: Any) -> Select[BaseApplication]:
    """Staff: their institution's. Officers: those in their region, drafts excepted.
    The admin: all. Anyone else: none."""
    stmt = select(BaseApplication).options(selectinload(BaseApplication.institution))
    if user.role == Role.INSTITUTION_STAFF:
        return stmt.where(BaseApplication.institution_id == user.institution_id)
    if (region := policy.officer_region(user)) is not None:
        return stmt.where(BaseApplication.region_code.startswith(region),
                          BaseApplication.status != ApplicationStatus.DRAFT.value)
    return stmt if user.role == Role.ADMIN else stmt.where(false())


def visible_bases(user: Any) -> Select[Base]:
    """Staff: their institution's. Officers: those in their region. The admin: all."""
    stmt = select(Base).options(selectinload(Base.institution))
    if user.role == Role.INSTITUTION_STAFF:
        return stmt.where(Base.institution_id == user.institution_id)
    if (region := policy.officer_region(user)) is not None:
        return stmt.where(Base.region_code.startswith(region))
    return stmt if user.role == Role.ADMIN else stmt.where(false())
