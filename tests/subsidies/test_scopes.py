"""The subsidy lists read the object checks' own definitions (subsidies.rules): the decisions
of the API's list and the officers' approval queue are exactly those the checks allow."""

from __future__ import annotations

from sqlalchemy import select

from tests.subsidies.builders import decided
from tests.training import builders
from trainhub.core import policy
from trainhub.extensions import db
from trainhub.subsidies import loaders
from trainhub.subsidies.api.decisions import visible_decisions
from trainhub.subsidies.models import Decision
from trainhub.training.models import Batch


def test_the_lists_are_what_the_checks_allow(app, make):
    ids = decided(app, make, "submitted")
    with app.app_context():
        batch = db.session.get(Batch, ids["completed"])
        assert batch is not None
        users = [builders.user("institution_staff", institution_id=batch.institution_id),
                 builders.user("institution_staff",
                               institution_id=builders.institution("360102").id),
                 builders.user("admin"), builders.user("trainee",
                                                       person_id=builders.person().id),
                 *(builders.user("federation_officer", region_code=code)
                   for code in ("36", "3601", "360102", "360103", "3607"))]
        everything = db.session.scalars(select(Decision)).all()
        assert everything
        for user in users:
            seen = set(db.session.scalars(visible_decisions(user)).all())
            assert seen == {d for d in everything if policy.may(user, "subsidies.view", d)}
            queue = set(db.session.scalars(loaders.in_scope(user)).all())
            assert queue == {d for d in everything
                             if policy.may(user, "subsidies.approve", d)}, user
            batches = set(db.session.scalars(
                select(Batch).where(policy.where(user, "subsidies.view", Batch))).all())
            assert (batch in batches) == policy.may(user, "subsidies.view", batch)
