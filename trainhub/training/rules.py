"""Who may do what in training (registered into core.policy).

Batches belong to an institution and sit in the county of the base that runs them; the
officers whose region covers that county approve and oversee them. Demands belong to an
enterprise; institutions see every open demand (an order may be taken from another region).
"""

from __future__ import annotations

from typing import Any

from trainhub.core.accounts.models import Role, User
from trainhub.core.policy import (
    ALWAYS,
    Scope,
    among,
    has_role,
    in_region,
    mine,
    not_among,
    not_before,
    officer_covers,
    rule,
    scoped,
)
from trainhub.core.timeutil import local_today
from trainhub.training.catalog import BatchStatus, DemandStatus


def own_institution(user: User, obj: Any) -> bool:
    return user.role == Role.INSTITUTION_STAFF and user.institution_id == getattr(
        obj, "institution_id", None)


def own_enterprise(user: User, obj: Any) -> bool:
    return user.role == Role.ENTERPRISE_CONTACT and user.enterprise_id == getattr(
        obj, "enterprise_id", None)


@scoped("training.demands.view")
def _demands_seen() -> Scope:
    """An enterprise its own demands; institutions every demand they can still take (open,
    deadline not passed), wherever it is; officers those located in their region."""
    return Scope({
        Role.ADMIN: ALWAYS,
        Role.ENTERPRISE_CONTACT: mine("enterprise_id"),
        Role.INSTITUTION_STAFF: among("status", DemandStatus.OPEN.value)
        & not_before("deadline", local_today),
        Role.FEDERATION_OFFICER: in_region(),
    })


@rule("training.demands.post")
def _may_post_demand(user: User, obj: Any) -> bool:
    """Enterprise contacts post, edit and close their own enterprise's demands."""
    if obj is None:
        return user.role == Role.ENTERPRISE_CONTACT
    return own_enterprise(user, obj)


@scoped("training.batches.view")
def _batches_seen() -> Scope:
    """A batch with its roster: its institution; officers covering it once it is submitted
    (a draft is the institution's own work until then); the admin."""
    return Scope({
        Role.ADMIN: ALWAYS,
        Role.INSTITUTION_STAFF: mine("institution_id"),
        Role.FEDERATION_OFFICER: in_region() & not_among("status", BatchStatus.DRAFT.value),
    })


@rule("training.batches.run")
def _may_run_batch(user: User, obj: Any) -> bool:
    """Create, edit, open enrolment, admit, mark attendance, record results: the staff of
    the batch's institution (for a new batch, of the base's institution)."""
    if obj is None:
        return user.role == Role.INSTITUTION_STAFF
    return own_institution(user, obj)


@rule("training.batches.approve")
def _may_approve_batch(user: User, obj: Any) -> bool:
    """开班审批 and settlement: officers whose region covers the batch."""
    if obj is None:
        return user.role == Role.FEDERATION_OFFICER
    return officer_covers(user, obj.region_code)


@rule("training.followup.record")
def _may_record_followup(user: User, obj: Any) -> bool:
    """Employment follow-up of a batch: its institution, officers covering it, and the
    enterprise whose demand the batch answers (it records whom it hired)."""
    if obj is None:
        return has_role(user, Role.INSTITUTION_STAFF, Role.FEDERATION_OFFICER,
                        Role.ENTERPRISE_CONTACT)
    if user.role == Role.ENTERPRISE_CONTACT:
        return obj.demand is not None and own_enterprise(user, obj.demand)
    return own_institution(user, obj) or officer_covers(user, obj.region_code)


@rule("training.apply")
def _may_apply(user: User, obj: Any) -> bool:
    """Trainees apply for themselves (the batch must be open: the service checks)."""
    return user.role == Role.TRAINEE and user.person_id is not None


@rule("training.mine")
def _may_see_own_training(user: User, obj: Any) -> bool:
    if obj is None:
        return user.role == Role.TRAINEE
    return user.role == Role.TRAINEE and getattr(obj, "person_id", None) == user.person_id


@rule("training.outcomes")
def _may_see_outcomes(user: User, obj: Any) -> bool:
    """Hired versus committed: officers (their region), institutions and enterprises (their
    own figures), the admin."""
    return has_role(user, Role.FEDERATION_OFFICER, Role.INSTITUTION_STAFF,
                    Role.ENTERPRISE_CONTACT, Role.ADMIN)


@rule("training.imports.view", "training.exports.full")
def _may_see_rows_of_batch(user: User, obj: Any) -> bool:
    """An Excel import of a batch (its rows and errors) and exports with full numbers: the
    batch's institution and the officers covering it (read-only); not the admin, who runs
    accounts, not trainings."""
    if obj is None:
        return has_role(user, Role.INSTITUTION_STAFF, Role.FEDERATION_OFFICER)
    return own_institution(user, obj) or officer_covers(user, obj.region_code)
