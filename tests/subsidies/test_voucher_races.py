"""Vouchers under concurrency, on PostgreSQL with real threads and commits: one voucher
claimed ten times at once is claimed once; used for ten seats at once, it pays for one; two
vouchers used for one seat at once, one of them is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.races import all_at_once
from tests.training import builders
from tests.training.conftest import TODAY
from trainhub.core.accounts.models import User
from trainhub.core.errors import Conflict
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import vouchers
from trainhub.subsidies.models import Voucher
from trainhub.training import enrolment
from trainhub.training.models import Enrolment

pytestmark = pytest.mark.postgres_only
NOW = local_today()


def _world(app, seats: int, held: int) -> dict[str, list[int]]:
    """`seats` seats of one person in batches that do not overlap, then `held` vouchers
    issued to them (after the seats, so none is redeemed on admission)."""
    with app.app_context():
        owner = builders.institution("360102")
        staff = builders.user("institution_staff", institution_id=owner.id)
        officer = builders.user("federation_officer", region_code="360102")
        base = builders.base(owner, certifier=officer)
        person = builders.person()
        made = [enrolment.apply(builders.batch(base, staff, TODAY, status="enrolling",
                                               approver=officer,
                                               start=TODAY + timedelta(days=10 + 7 * n)),
                                person, staff) for n in range(seats)]
        terms = vouchers.Terms(100000, NOW - timedelta(days=1), NOW + timedelta(days=30))
        issued = [vouchers.issue([person.id_number], terms, officer, NOW)[0]
                  for _ in range(held)]
        db.session.commit()
        return {"seats": [e.id for e in made], "vouchers": [v.id for v in issued]}


def _claim(app, voucher_id: int) -> str:
    with app.app_context():
        try:
            vouchers.claim(db.session.get(Voucher, voucher_id), NOW)
            db.session.commit()
            return "claimed"
        except Conflict:
            db.session.rollback()
            return "conflict"


def _use(app, voucher_id: int, seat_id: int) -> str:
    with app.app_context():
        try:
            vouchers.use(db.session.get(Voucher, voucher_id),
                         db.session.get(Enrolment, seat_id), NOW)
            db.session.commit()
            return "used"
        except Conflict:
            db.session.rollback()
            return "conflict"


def test_ten_simultaneous_claims_and_uses_of_one_voucher(race_app):
    ids = _world(race_app, seats=10, held=1)
    (voucher,) = ids["vouchers"]
    claims = all_at_once(10, lambda i: _claim(race_app, voucher))
    assert sorted(claims) == ["claimed"] + ["conflict"] * 9, claims
    uses = all_at_once(10, lambda i: _use(race_app, voucher, ids["seats"][i]))
    assert sorted(uses) == ["conflict"] * 9 + ["used"], uses
    with race_app.app_context():
        found = db.session.get(Voucher, voucher)
        assert found.status == "redeemed" and found.enrolment_id in ids["seats"]


def test_two_vouchers_used_for_one_seat_at_once(race_app):
    ids = _world(race_app, seats=1, held=2)
    for voucher in ids["vouchers"]:
        assert _claim(race_app, voucher) == "claimed"
    (seat,) = ids["seats"]
    uses = all_at_once(2, lambda i: _use(race_app, ids["vouchers"][i], seat))
    assert sorted(uses) == ["conflict", "used"], uses
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Voucher).where(
            Voucher.enrolment_id == seat)) == 1


def _cancel(app, voucher_id: int) -> str:
    with app.app_context():
        try:
            officer = db.session.scalar(select(User).where(
                User.role == "federation_officer", User.region_code == "360102"))
            vouchers.cancel(db.session.get(Voucher, voucher_id), officer, "发放有误")
            db.session.commit()
            return "cancelled"
        except Conflict:
            db.session.rollback()
            return "conflict"


def test_a_voucher_cancelled_while_it_is_used_is_one_or_the_other(race_app):
    """Five officers cancel and five requests use one claimed voucher at the same moment:
    it ends cancelled with no seat, or used by one seat and not cancelled."""
    ids = _world(race_app, seats=5, held=1)
    (voucher,) = ids["vouchers"]
    assert _claim(race_app, voucher) == "claimed"
    outcomes = all_at_once(10, lambda i: _cancel(race_app, voucher) if i % 2
                           else _use(race_app, voucher, ids["seats"][i // 2]))
    won = [o for o in outcomes if o != "conflict"]
    assert len(won) == 1, outcomes
    with race_app.app_context():
        found = db.session.get(Voucher, voucher)
        if won == ["cancelled"]:
            assert (found.status, found.enrolment_id) == ("cancelled", None)
        else:
            assert found.status == "redeemed" and found.cancelled_at is None
