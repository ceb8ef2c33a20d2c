"""Lists and object checks read one definition (training.rules): on a small world, every
batch and demand in a user's list passes the object check, and every one that passes it is
in the list."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.training import builders
from tests.training.conftest import TODAY
from trainhub.core import policy
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.training import demands, loaders
from trainhub.training.models import Batch, Demand


def _users(world):
    other = builders.institution("360702")
    return [world.staff, world.county, world.city, world.other_county,
            builders.user("federation_officer", region_code="36"),
            builders.user("federation_officer", region_code="3607"),
            builders.user("institution_staff", institution_id=other.id),
            builders.user("enterprise_contact", enterprise_id=builders.enterprise().id),
            builders.user("admin"),
            builders.user("trainee", person_id=builders.person().id)]


def test_the_batch_list_is_what_the_batch_page_opens(world):
    for status in ("draft", "submitted", "approved", "enrolling"):
        builders.batch(world.base, world.staff, TODAY, status=status)
    everything = db.session.scalars(select(Batch)).all()
    assert {b.status for b in everything} >= {"draft", "submitted"}
    for user in _users(world):
        listed = set(db.session.scalars(loaders.visible_batches(user)).all())
        opened = {b for b in everything if policy.may(user, "training.batches.view", b)}
        assert listed == opened, (user.role, user.region_code)
    # An officer covering the batch does not see (nor open) the institution's draft.
    draft = next(b for b in everything if b.status == "draft")
    assert not policy.may(world.county, "training.batches.view", draft)
    assert policy.may(world.staff, "training.batches.view", draft)


def test_the_demand_list_is_what_the_demand_page_opens(world):
    owner = builders.enterprise("360111")
    contact = builders.user("enterprise_contact", enterprise_id=owner.id)
    today = local_today()  # institutions see a demand until its deadline, today included
    for status, deadline in (("open", today + timedelta(days=5)), ("open", today),
                             ("open", today - timedelta(days=1)), ("closed", today)):
        db.session.add(Demand(
            enterprise_id=owner.id, title="按摩师", occupation="保健按摩师", category="massage",
            region_code=owner.region_code, head_count=3, hire_commitment=2,
            monthly_wage_fen=300000, deadline=deadline, status=status,
            created_by_id=contact.id))
    db.session.flush()
    everything = db.session.scalars(select(Demand)).all()
    users = [*_users(world), contact]
    for user in users:
        listed = set(db.session.scalars(demands.visible_demands(user, today)).all())
        opened = {d for d in everything if policy.may(user, "training.demands.view", d)}
        assert listed == opened, (user.role, user.region_code)
