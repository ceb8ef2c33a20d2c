"""Committed subsidy objects for the permission matrix and the view tests: the completed
batch of `tests.training.builders.build` with its decisions computed and moved up to a
stage, and budgets of 东湖区 for the current year."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.training import builders
from tests.training.builders import build
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import budgets, decisions
from trainhub.training.models import Batch

STAGES = ("computed", "submitted", "approved", "paid")
GENEROUS = 10_000_000  # ¥100,000


def set_budgets(officer: User, fee: int = GENEROUS, living: int = GENEROUS,
                region: str = "360102") -> None:
    year = local_today().year
    budgets.set_budget(region, year, "fee", fee, officer)
    budgets.set_budget(region, year, "living", living, officer)


def staff_of(batch: Batch) -> User:
    staff = db.session.scalars(select(User).where(
        User.institution_id == batch.institution_id)).first()
    assert staff is not None
    return staff


def move(batch: Batch, stage: str, officer: User) -> list[Any]:
    """Compute the batch's decisions and move them up to `stage`; returns them."""
    today = local_today()
    staff = staff_of(batch)
    made = decisions.compute_batch(batch, staff, today)
    if STAGES.index(stage) >= 1:
        decisions.submit(made, staff, today)
    if STAGES.index(stage) >= 2:
        set_budgets(officer)
        decisions.approve([d for d in made if d.eligible], officer, today)
    if STAGES.index(stage) >= 3:
        for decision in made:
            decisions.pay(decision, officer, today, f"GK-{decision.id}", today)
    return made


def decided(app: Any, make: Any, stage: str = "submitted", *,
            person_id: int | None = None) -> dict[str, int]:
    """A completed batch of 东湖区 (one graduate, owned by an institution no matrix actor
    works for) with its fee subsidy ("decision") and living allowance ("living") at
    `stage`. Ids: completed (the batch), graduate, decision, living."""
    ids = build(app, make, "completed", person_id=person_id)
    with app.app_context():
        batch = db.session.get(Batch, ids["completed"])
        assert batch is not None
        officer = builders.user("federation_officer", region_code="360102")
        made = move(batch, stage, officer)
        ids["decision"] = next(d.id for d in made if d.kind == "fee")
        ids["living"] = next(d.id for d in made if d.kind == "living")
        db.session.commit()
    return ids
