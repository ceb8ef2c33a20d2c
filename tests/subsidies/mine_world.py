"""Committed subsidy objects for view tests, the permission matrix and the browser journey:
the decisions of a completed batch for a given person, and vouchers issued to them."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from tests.training.builders import build
from trainhub.core.accounts.models import User
from trainhub.core.people.models import Person
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import decisions, vouchers
from trainhub.training.models import Batch

_seq = itertools.count(1)


def compute(batch_id: int) -> dict[str, int]:
    """Compute the decisions of a completed batch (inside an app context); their ids by
    kind ("fee", "living") of the batch's first trainee."""
    batch = db.session.get(Batch, batch_id)
    assert batch is not None
    staff = db.session.scalars(select(User).where(
        User.institution_id == batch.institution_id)).first()
    assert staff is not None
    made = decisions.compute_batch(batch, staff, local_today())
    first = min(d.enrolment_id for d in made)
    return {d.kind: d.id for d in made if d.enrolment_id == first}


def decided(app: Any, make: Any, person_id: int) -> dict[str, int]:
    """A batch that ran last month for the person, with its decisions computed:
    ids "completed", "graduate", "fee" and "living"."""
    ids = build(app, make, "completed", person_id=person_id)
    with app.app_context():
        ids.update(compute(ids["completed"]))
        db.session.commit()
    return ids


def voucher(app: Any, person_id: int, *, claimed: bool = False, **terms: Any) -> int:
    """A voucher issued to the person by an officer of their county."""
    with app.app_context():
        person = db.session.get(Person, person_id)
        assert person is not None
        officer = User(username=f"voucher-officer-{next(_seq)}", display_name="发券人",
                       role="federation_officer", region_code=person.household_region_code,
                       password_hash="x")
        db.session.add(officer)
        db.session.flush()
        today = local_today()
        values: dict[str, Any] = dict(face_value_fen=100000, valid_from=today,
                                      valid_until=today + timedelta(days=90))
        values.update(terms)
        (made,) = vouchers.issue([person.id_number], vouchers.Terms(**values), officer, today)
        if claimed:
            vouchers.claim(made, today)
        db.session.commit()
        return made.id
