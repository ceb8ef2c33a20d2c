"""Load an object with what its page needs, then check the permission (404 before 403),
and the scoped selects that lists use (web pages and the API alike)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from trainhub.core import policy
from trainhub.core.accounts.models import Role
from trainhub.core.errors import NotFound
from trainhub.core.organisations import Institution
from trainhub.extensions import db
from trainhub.training import search
from trainhub.training.catalog import BatchStatus
from trainhub.training.models import Batch, Completion, Demand, Enrolment, Session

NOT_FOUND = "The page or record was not found, or it is outside your scope."
# What trainees and the public may see of a batch: it is open or running.
PUBLISHED = (BatchStatus.ENROLLING, BatchStatus.IN_PROGRESS)


def _batch_options() -> list[Any]:
    # a batch's base, institution and demand (one row each) joined into the batch's own
    # statement: three round trips fewer on every page of a batch (issue 13)
    return [selectinload(Batch.sessions), joinedload(Batch.base),
            joinedload(Batch.institution), joinedload(Batch.demand)]


def batch(batch_id: int, action: str) -> Batch:
    found = db.session.get(Batch, batch_id, options=_batch_options())
    if found is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found)
    return found


def published_batch(batch_id: int) -> Batch:
    found = db.session.get(Batch, batch_id, options=_batch_options())
    if found is None or found.status not in PUBLISHED:
        raise NotFound(NOT_FOUND)
    return found


def session(batch_id: int, session_id: int, action: str) -> Session:
    found = batch(batch_id, action)
    for item in found.sessions:
        if item.id == session_id:
            return item
    raise NotFound(NOT_FOUND)


def enrolment(enrolment_id: int, action: str) -> Enrolment:
    """An enrolment, checked against its batch (staff, officers) or its person (trainee)."""
    found = db.session.get(Enrolment, enrolment_id, options=[
        selectinload(Enrolment.batch).options(*_batch_options()),
        selectinload(Enrolment.person), selectinload(Enrolment.attendance),
        selectinload(Enrolment.completion), selectinload(Enrolment.followup)])
    if found is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found if action == "training.mine" else found.batch)
    return found


def demand(demand_id: int, action: str) -> Demand:
    found = db.session.get(Demand, demand_id, options=[selectinload(Demand.enterprise),
                                                       selectinload(Demand.batches)])
    if found is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found)
    return found


def visible_batches(user: Any) -> Select[Batch]:
    """The batches `training.batches.view` opens for the user (training.rules)."""
    return (select(Batch).options(selectinload(Batch.institution))
            .where(policy.where(user, "training.batches.view", Batch)))


def batch_page(user: Any, status: str | None, limit: int,
               page: int, keyword: str = "") -> tuple[list[Any], int]:
    """Page `page` of the batches the user sees (latest start first, of `status` if given,
    matching `keyword` if given: `search.matches`), as rows of the columns the list shows
    with the institution's name, and how many there are: one statement, the count read
    beside the page by a window (issue 13: the count, the batches and their institutions
    as ORM objects were three)."""
    seen = [policy.where(user, "training.batches.view", Batch)]
    if status:
        seen.append(Batch.status == status)
    match = search.matches(keyword)
    if match is not None:
        seen.append(match)
    rows = db.session.execute(
        select(Batch.id, Batch.title, Batch.region_code, Batch.category, Batch.start_date,
               Batch.end_date, Batch.seats_taken, Batch.capacity, Batch.status,
               Institution.name.label("institution_name"), func.count().over().label("total"))
        .join(Institution, Institution.id == Batch.institution_id).where(*seen)
        .order_by(Batch.start_date.desc(), Batch.id.desc())
        .limit(limit).offset((page - 1) * limit)).all()
    if rows:
        return list(rows), int(rows[0].total)
    if page == 1:
        return [], 0
    # a page beyond the last shows no batch, and still says how many there are
    return [], db.session.scalar(select(func.count()).select_from(Batch).join(
        Institution, Institution.id == Batch.institution_id).where(*seen)) or 0


def enrolments_of(batch_: Batch) -> Select[Enrolment]:
    return (select(Enrolment).where(Enrolment.batch_id == batch_.id)
            .options(selectinload(Enrolment.person))
            .order_by(Enrolment.applied_at, Enrolment.id))


def outcome_batches(user: Any) -> Select[Batch]:
    """Batches whose employment figures the user sees: an enterprise, those answering its
    demands; anyone else, the batches they may list."""
    if user.role == Role.ENTERPRISE_CONTACT:
        return (select(Batch).join(Demand, Demand.id == Batch.demand_id)
                .where(Demand.enterprise_id == user.enterprise_id))
    return visible_batches(user)


def graduates_of(found: Demand) -> Select[Enrolment]:
    """Trainees who passed in the batches answering a demand, with their follow-up."""
    return (select(Enrolment).join(Completion, Completion.enrolment_id == Enrolment.id)
            .join(Batch, Batch.id == Enrolment.batch_id)
            .where(Batch.demand_id == found.id, Completion.passed.is_(True))
            .options(selectinload(Enrolment.person), selectinload(Enrolment.completion),
                     selectinload(Enrolment.followup),
                     selectinload(Enrolment.batch).selectinload(Batch.sessions))
            .order_by(Batch.start_date, Enrolment.id))
