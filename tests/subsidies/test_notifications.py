"""Subsidies tell trainees (issue 16, item 5): a decision approved or paid, a voucher
issued, each to the person it concerns (their account), with the amount and nothing
about the person."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.subsidies.conftest import END, finish
from tests.training import builders
from trainhub.core.notifications.models import Notification
from trainhub.extensions import db
from trainhub.subsidies import decisions, vouchers
from trainhub.subsidies.models import Decision

CLAIMED = END + timedelta(days=10)


def _told() -> list[tuple[int, str, dict]]:
    return [tuple(row) for row in db.session.execute(  # type: ignore[misc]
        select(Notification.user_id, Notification.kind, Notification.params)
        .order_by(Notification.id))]


def test_approval_and_payment_tell_each_trainee_their_amount(world, budget):
    budget()
    with_account, without = builders.person(), builders.person()
    account = builders.user("trainee", person_id=with_account.id)
    finished = finish(world.base, world.staff, world.county, [with_account, without],
                      title="电子商务培训班")
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    fees = list(db.session.scalars(select(Decision).where(
        Decision.batch_id == finished.batch.id, Decision.kind == "fee").order_by(Decision.id)))
    decisions.submit(fees, world.staff, CLAIMED)
    before = len(_told())
    decisions.approve(fees, world.county, CLAIMED)
    mine = next(d for d in fees if d.person_id == with_account.id)
    assert _told()[before:] == [(account.id, "subsidy.approved",
                                 {"amount": mine.amount_fen, "course": "电子商务培训班"})]
    decisions.pay(mine, world.county, CLAIMED, "GK2026-0001", CLAIMED)
    assert _told()[-1] == (account.id, "subsidy.paid",
                           {"amount": mine.amount_fen, "course": "电子商务培训班"})
    other = next(d for d in fees if d.person_id == without.id)
    decisions.pay(other, world.county, CLAIMED, "GK2026-0002", CLAIMED)  # no account: no one
    assert len(_told()) == before + 2


def test_an_issued_voucher_tells_its_holder(world):
    holder, other = builders.person(), builders.person()
    account = builders.user("trainee", person_id=holder.id)
    builders.user("trainee", person_id=other.id)
    today = CLAIMED
    (voucher,) = vouchers.issue([holder.id_number], vouchers.Terms(
        face_value_fen=100000, valid_from=today, valid_until=today + timedelta(days=90)),
        world.county, today)
    assert _told() == [(account.id, "subsidy.voucher_issued", {
        "amount": 100000, "start": today.isoformat(),
        "end": (today + timedelta(days=90)).isoformat()})]
    assert voucher.person_id == holder.id


def test_a_rejection_and_a_cancelled_voucher_tell_the_person(world):
    person = builders.person()
    account = builders.user("trainee", person_id=person.id)
    finished = finish(world.base, world.staff, world.county, [person], title="电子商务培训班")
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    fee = db.session.scalar(select(Decision).where(Decision.batch_id == finished.batch.id,
                                                   Decision.kind == "fee"))
    decisions.reject(fee, world.county, "材料不全")
    assert _told()[-1] == (account.id, "subsidy.rejected", {"course": "电子商务培训班"})
    until = CLAIMED + timedelta(days=90)
    (voucher,) = vouchers.issue([person.id_number], vouchers.Terms(
        face_value_fen=100000, valid_from=CLAIMED, valid_until=until), world.county, CLAIMED)
    vouchers.cancel(voucher, world.county, "发放有误")
    assert _told()[-1] == (account.id, "subsidy.voucher_cancelled",
                           {"amount": 100000, "end": until.isoformat()})
