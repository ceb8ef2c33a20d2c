"""Load an object with what its page needs, then check the permission (404 before 403)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from trainhub.bases.models import (
    Base,
    BaseApplication,
    EvidenceFile,
    Objection,
    PublicNotice,
    ResidentEnterprise,
    Review,
)
from trainhub.core import policy
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


def application_file(application_id: int, file_id: int, action: str) -> EvidenceFile:
    """An evidence file or inspection photo, only under its own application's address."""
    found = db.session.get(EvidenceFile, file_id)
    if found is None or found.application_id != application_id:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found.application)
    return found


def review(application_id: int, review_id: int, action: str) -> Review:
    found = db.session.get(Review, review_id, options=[selectinload(Review.application)])
    if found is None or found.application_id != application_id:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found)
    return found


def objection(objection_id: int, application_id: int | None = None) -> Objection:
    """With `application_id`, only under that application's address (the API's)."""
    found = db.session.get(Objection, objection_id)
    if found is None or application_id not in (None, found.notice.application_id):
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


def resident(base: Base, resident_id: int) -> ResidentEnterprise:
    """An enterprise of `base`, which the caller has loaded and authorised."""
    found = db.session.get(ResidentEnterprise, resident_id)
    if found is None or found.base_id != base.id:
        raise NotFound(NOT_FOUND)
    return found


# --- lists: what a list shows each user (the web pages and the API alike) ----------------

def visible_applications(user: Any) -> Select[BaseApplication]:
    """The applications `bases.view` opens for the user (bases.rules)."""
    return (select(BaseApplication).options(selectinload(BaseApplication.institution))
            .where(policy.where(user, "bases.view", BaseApplication)))


def visible_bases(user: Any) -> Select[Base]:
    """The bases `bases.view` opens for the user (bases.rules)."""
    return (select(Base).options(selectinload(Base.institution))
            .where(policy.where(user, "bases.view", Base)))
