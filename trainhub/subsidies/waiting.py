"""What waits for a user in subsidies, for their home page, and an officer's budget figures:
one aggregate statement each, scoped by `subsidies.rules` (the approval queue's
`loaders.in_scope`, the batch list's `subsidies.view`).

An officer's figures fold every decision of their region (a province: ~150,000): each
process keeps them under the state of the region's decisions (`versions.region_version`, kept
by the database's triggers, as the reconciliation report does), so a home page reads one
small sum of versions instead, and the next reader after any change recomputes (issue 13)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from trainhub.core import policy
from trainhub.extensions import db
from trainhub.subsidies import loaders, versions, vouchers
from trainhub.subsidies.models import Budget, Decision, Voucher
from trainhub.subsidies.values import DecisionStatus
from trainhub.subsidies.vouchers import VoucherStatus


def _by_status(stmt: Any) -> dict[str, int]:
    counts = {s.value: 0 for s in DecisionStatus}
    counts.update({status: int(n) for status, n in db.session.execute(stmt)})
    return counts


def for_officer(user: Any) -> dict[str, int]:
    """Decisions in the officer's region by status: submitted wait for approval, approved
    for payment."""
    def count() -> dict[str, int]:
        scoped = loaders.in_scope(user).with_only_columns(Decision.status).subquery()
        return _by_status(select(scoped.c.status, func.count()).group_by(scoped.c.status))

    # the approval scope of an officer is their region's decisions (subsidies.rules)
    return dict(versions.kept(user.region_code or "", ("by status", user.role), count))


def vouchers_of_region(region_code: str, today: date) -> dict[str, int]:
    """The officer's vouchers as the voucher list shows them (`vouchers.with_status`): unused
    ones issued or claimed and still valid, and those that expired unused."""
    # the list's rows as the two columns counted (its loader options and every column made
    # the statement cost 1.0 ms to build and run at province scale, 0.4 ms so)
    listed = (vouchers.in_region(region_code)
              .with_only_columns(Voucher.status, Voucher.valid_until)
              .order_by(None).subquery())
    unused = listed.c.status.in_([VoucherStatus.ISSUED.value, VoucherStatus.CLAIMED.value])
    valid = listed.c.valid_until >= today
    row = db.session.execute(
        select(
            func.count().filter(listed.c.status == VoucherStatus.ISSUED.value, valid),
            func.count().filter(listed.c.status == VoucherStatus.CLAIMED.value, valid),
            func.count().filter(unused, listed.c.valid_until < today),
        )
    ).one()
    return {"issued": int(row[0]), "claimed": int(row[1]), vouchers.EXPIRED: int(row[2])}


def for_staff(user: Any) -> dict[str, int]:
    """An institution's decisions by status: computed ones are still to claim, rejected
    ones came back with a reason."""
    return _by_status(
        select(Decision.status, func.count())
        .where(policy.where(user, "subsidies.view", Decision))
        .group_by(Decision.status)
    )


def for_trainee(person_id: int) -> dict[str, int]:
    return _by_status(
        select(Decision.status, func.count())
        .where(Decision.person_id == person_id)
        .group_by(Decision.status)
    )


@dataclass(frozen=True)
class BudgetFigure:
    kind: str
    budget_fen: int
    committed_fen: int
    paid_fen: int


def budget_figures(region_code: str, year: int) -> list[BudgetFigure]:
    """The budgets set for the officer's own region this year against what was committed
    and paid in it (the budgets, then every sum at once, kept under the state of the
    region's decisions: the sums read no budget amount)."""
    own = list(
        db.session.scalars(
            select(Budget)
            .where(Budget.region_code == region_code, Budget.year == year)
            .order_by(Budget.kind)
        )
    )
    if not own:
        return []

    def used() -> list[tuple[int, int]]:
        return [(u.committed_fen, u.paid_fen) for u in loaders.usages(own)]

    sums = versions.kept(region_code, ("budgets", year, tuple(b.kind for b in own)), used)
    return [
        BudgetFigure(b.kind, b.amount_fen, committed, paid)
        for b, (committed, paid) in zip(own, sums, strict=True)
    ]
