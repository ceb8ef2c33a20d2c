"""Accounts through the institution: its staff hand an activation code to a person enrolled
in one of its batches who has no account yet (the person may not be able to register
themself, or has no certificate number on record)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from trainhub.core.accounts import activation
from trainhub.core.accounts.claims import ClaimSettings
from trainhub.core.accounts.models import ActivationCode, User
from trainhub.core.errors import DomainError
from trainhub.extensions import db
from trainhub.training.catalog import ACTIVE_ENROLMENT
from trainhub.training.models import Enrolment


def people_without_account(rows: Iterable[Enrolment]) -> set[int]:
    """Person ids among `rows` who may get a code (one query for the whole roster)."""
    wanted = {e.person_id for e in rows if e.status in ACTIVE_ENROLMENT}
    if not wanted:
        return set()
    holders = db.session.scalars(select(User.person_id).where(User.person_id.in_(wanted)))
    return wanted - set(holders)


def issue_code(enrolment: Enrolment, by: User, settings: ClaimSettings,
               now: datetime) -> tuple[ActivationCode, str]:
    """A code for the enrolment's person; refused once the application was declined or
    withdrawn (the institution no longer deals with them) or when they have an account."""
    if enrolment.status not in ACTIVE_ENROLMENT:
        raise DomainError("An activation code can be given only to people who are applying "
                          "for, waiting for or admitted to the batch.")
    return activation.issue(enrolment.person, by, settings, now,
                            context={"enrolment_id": enrolment.id,
                                     "batch_id": enrolment.batch_id})
