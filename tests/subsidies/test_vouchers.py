"""Electronic training vouchers: issued to eligible people of the officer's region, claimed,
redeemed automatically when the trainee gets a seat in a matching course, settled against
the fee subsidy when the batch's decisions are computed; used once, never after expiry."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.subsidies.conftest import END, finish
from tests.training import builders
from tests.training.conftest import TODAY
from trainhub.core.audit.models import AuditEntry
from trainhub.core.errors import Conflict, DomainError
from trainhub.core.people.models import EmploymentStatus
from trainhub.core.people.services import PersonInput, create_person
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import decisions, vouchers
from trainhub.subsidies.models import Decision, Voucher
from trainhub.training import batches, enrolment

NOW = local_today()  # admissions happen now: the voucher's validity is checked on that day


def _terms(**changes) -> vouchers.Terms:
    values = dict(face_value_fen=100000, valid_from=NOW - timedelta(days=30),
                  valid_until=NOW + timedelta(days=30))
    values.update(changes)
    return vouchers.Terms(**values)


def _issued(world, person, **changes) -> Voucher:
    (voucher,) = vouchers.issue([person.id_number], _terms(**changes), world.county, NOW)
    return voucher


def _claimed(world, person, **changes) -> Voucher:
    voucher = _issued(world, person, **changes)
    vouchers.claim(voucher, NOW)
    return voucher


def _open_batch(world, **changes):
    return builders.batch(world.base, world.staff, TODAY, status="enrolling",
                          approver=world.county, **changes)


def test_issue_claim_redeem_and_settle(world):
    person = builders.person()
    voucher = _issued(world, person)
    assert voucher.status == "issued" and voucher.region_code == "360102"
    assert voucher.code.startswith("JX-") and len(voucher.code) == 27
    vouchers.claim(voucher, NOW)
    assert voucher.status == "claimed" and voucher.claimed_at is not None
    done = finish(world.base, world.staff, world.county, [person])
    (seat,) = done.trainees
    db.session.refresh(voucher)
    assert (voucher.status, voucher.enrolment_id) == ("redeemed", seat.id)
    made = decisions.compute_batch(done.batch, world.staff, END + timedelta(days=10))
    fee = next(d for d in made if d.kind == "fee")
    db.session.refresh(voucher)
    assert fee.amount_fen == 150000
    assert (voucher.status, voucher.settled_fen, voucher.decision_id) == (
        "settled", 100000, fee.id)
    actions = set(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "subsidy_voucher", AuditEntry.object_id == str(voucher.id))))
    assert actions == {"subsidy_voucher.issue", "subsidy_voucher.claim",
                       "subsidy_voucher.redeem", "subsidy_voucher.settle"}


def test_settlement_is_capped_by_the_fee_subsidy_and_follows_recomputation(world):
    person = builders.person()
    voucher = _claimed(world, person, face_value_fen=300000)
    done = finish(world.base, world.staff, world.county, [person])
    decisions.compute_batch(done.batch, world.staff, END + timedelta(days=10))
    db.session.refresh(voucher)
    assert voucher.settled_fen == 150000  # min(¥3,000 face value, ¥1,500 subsidy)
    # Recomputed after the 12-month deadline, the open decision grants nothing.
    decisions.compute_batch(done.batch, world.staff, END + timedelta(days=400))
    db.session.refresh(voucher)
    assert (voucher.status, voucher.settled_fen) == ("settled", 0)


def test_codes_are_unique_and_random(world):
    people = [builders.person() for _ in range(5)]
    made = vouchers.issue([p.id_number for p in people], _terms(), world.county, NOW)
    assert len({v.code for v in made}) == 5
    assert all(set(v.code[3:].replace("-", "")) <= set(vouchers.CODE_ALPHABET) for v in made)


def test_a_voucher_is_used_once(world):
    person = builders.person()
    voucher = _claimed(world, person)
    first = enrolment.apply(_open_batch(world), person, world.staff)
    db.session.refresh(voucher)
    assert voucher.enrolment_id == first.id
    second = enrolment.apply(_open_batch(world, start=TODAY + timedelta(days=30)), person,
                             world.staff)
    assert second.status == "admitted"
    db.session.refresh(voucher)
    assert voucher.enrolment_id == first.id  # not moved to the second seat
    with pytest.raises(Conflict, match="already been used"):
        vouchers.use(voucher, second, NOW)
    db.session.refresh(voucher)
    assert voucher.enrolment_id == first.id


def test_at_most_one_voucher_per_enrolment(world):
    person = builders.person()
    one, two = _claimed(world, person), _claimed(world, person)
    seat = enrolment.apply(_open_batch(world), person, world.staff)
    assert len(db.session.scalars(select(Voucher).where(
        Voucher.enrolment_id == seat.id)).all()) == 1
    spare = two if one.enrolment_id == seat.id else one
    db.session.refresh(spare)
    assert spare.status == "claimed"
    with pytest.raises(Conflict, match="already used for this enrolment"):
        vouchers.use(spare, seat, NOW)


def test_an_expired_voucher_is_not_claimed_nor_used(world):
    person = builders.person()
    old = vouchers.issue([person.id_number], _terms(valid_from=NOW - timedelta(days=60),
                                                    valid_until=NOW - timedelta(days=1)),
                         world.county, NOW - timedelta(days=60))[0]
    assert vouchers.shown_status(old, NOW) == "expired" and old.status == "issued"
    with pytest.raises(DomainError, match="expired"):
        vouchers.claim(old, NOW)
    claimed = _claimed(world, person)
    claimed.valid_until = NOW - timedelta(days=1)  # time passes
    db.session.flush()
    seat = enrolment.apply(_open_batch(world), person, world.staff)
    db.session.refresh(claimed)
    assert (claimed.status, claimed.enrolment_id) == ("claimed", None)
    assert vouchers.shown_status(claimed, NOW) == "expired"
    with pytest.raises(DomainError, match="expired"):
        vouchers.use(claimed, seat, NOW)


def test_a_voucher_is_not_used_for_another_category_or_institution(world):
    person = builders.person()
    other_school = builders.institution("360102")
    wrong_category = _claimed(world, person, categories=("computer",))
    wrong_school = _claimed(world, person, institution_ids=(other_school.id,))
    seat = enrolment.apply(_open_batch(world), person, world.staff)
    for voucher in (wrong_category, wrong_school):
        db.session.refresh(voucher)
        assert (voucher.status, voucher.enrolment_id) == ("claimed", None)
    with pytest.raises(DomainError, match="category"):
        vouchers.use(wrong_category, seat, NOW)
    with pytest.raises(DomainError, match="institution"):
        vouchers.use(wrong_school, seat, NOW)
    right = _claimed(world, person, categories=("massage",),
                     institution_ids=(world.institution.id,))
    vouchers.use(right, seat, NOW)
    assert (right.status, right.enrolment_id) == ("redeemed", seat.id)


def test_a_voucher_claimed_after_the_admission_is_used_by_hand(world):
    person = builders.person()
    seat = enrolment.apply(_open_batch(world), person, world.staff)
    voucher = _issued(world, person)
    with pytest.raises(DomainError, match="Claim"):
        vouchers.use(voucher, seat, NOW)
    vouchers.claim(voucher, NOW)
    with pytest.raises(Conflict, match="already been claimed"):
        vouchers.claim(voucher, NOW)
    assert [s.id for s in vouchers.seats_without_voucher(person.id)] == [seat.id]
    vouchers.use(voucher, seat, NOW)
    assert voucher.enrolment_id == seat.id
    assert vouchers.seats_without_voucher(person.id) == []


def test_a_withdrawn_trainee_gets_the_voucher_back(world):
    person = builders.person()
    voucher = _claimed(world, person)
    first = enrolment.apply(_open_batch(world), person, world.staff)
    db.session.refresh(voucher)
    assert (voucher.status, voucher.enrolment_id) == ("redeemed", first.id)
    enrolment.withdraw(first, world.staff)
    # At once, not at the next computation: "我的补贴" shows it usable again.
    db.session.refresh(voucher)
    assert (voucher.status, voucher.enrolment_id, voucher.redeemed_at) == ("claimed", None, None)
    assert db.session.scalar(select(AuditEntry.id).where(
        AuditEntry.action == "subsidy_voucher.release")) is not None
    later = enrolment.apply(_open_batch(world, start=TODAY + timedelta(days=30)), person,
                            world.staff)
    db.session.refresh(voucher)
    assert (voucher.status, voucher.enrolment_id) == ("redeemed", later.id)


def test_a_cancelled_batch_gives_its_vouchers_back(world):
    person = builders.person()
    voucher = _claimed(world, person)
    seat = enrolment.apply(_open_batch(world), person, world.staff)
    db.session.refresh(voucher)
    assert voucher.enrolment_id == seat.id
    batches.cancel(seat.batch, "报名人数不足")
    db.session.refresh(voucher)
    assert (voucher.status, voucher.enrolment_id) == ("claimed", None)
    other = _claimed(world, builders.person())
    assert other.status == "claimed"  # a voucher of nobody in the batch is left as it was


def test_another_regions_officer_is_refused(world):
    person = builders.person("360102")
    with pytest.raises(vouchers.IssueRefused) as refused:
        vouchers.issue([person.id_number], _terms(), world.other_county, NOW)
    assert [p.message for p in refused.value.problems] == [
        "No person with this number is registered in your region."]
    assert refused.value.problems[0].masked == person.id_number[:4] + "*" * 10 \
        + person.id_number[-4:]
    # The city above the county may.
    assert vouchers.issue([person.id_number], _terms(), world.city, NOW)[0].person_id == person.id


def test_ineligible_people_are_refused_and_nothing_is_issued(world):
    fine = builders.person()
    old = builders.person(born=date(1960, 1, 1))
    uncertified = create_person(PersonInput(
        name="无证人员", id_number=builders.make_resident_id("360102", date(1990, 1, 1), 771),
        cert_number=None, phone=None, household_region_code="360102",
        employment_status=EmploymentStatus.UNEMPLOYED), today=date(2026, 1, 1))
    numbers = [fine.id_number, old.id_number, uncertified.id_number, fine.id_number, "x"]
    with pytest.raises(vouchers.IssueRefused) as refused:
        vouchers.issue(numbers, _terms(), world.county, NOW)
    lines = {p.line: p.message for p in refused.value.problems}
    assert "past the working age" in lines[2]
    assert "disability certificate" in lines[3]
    assert lines[4] == "This person is listed twice."
    assert lines[5].startswith("No person")
    assert 1 not in lines
    assert db.session.scalars(select(Voucher)).all() == []


def test_the_terms_are_checked(world):
    person = builders.person()
    for terms, message in [
        (_terms(face_value_fen=0), "face value"),
        (_terms(face_value_fen=vouchers.MAX_FACE_VALUE_FEN + 1), "face value"),
        (_terms(valid_until=NOW - timedelta(days=40)), "before the first"),
        (_terms(valid_from=NOW - timedelta(days=9), valid_until=NOW - timedelta(days=1)),
         "already past"),
        (_terms(categories=("astrology",)), "category"),
        (_terms(institution_ids=(10**6,)), "institution"),
    ]:
        with pytest.raises(DomainError, match=message):
            vouchers.issue([person.id_number], terms, world.county, NOW)
    with pytest.raises(DomainError, match="at least one"):
        vouchers.issue(["", "  "], _terms(), world.county, NOW)


def test_the_fee_decision_of_a_settled_voucher_is_the_one_linked(world):
    person = builders.person()
    voucher = _claimed(world, person)
    done = finish(world.base, world.staff, world.county, [person])
    decisions.compute_batch(done.batch, world.staff, END + timedelta(days=10))
    db.session.refresh(voucher)
    linked = db.session.get(Decision, voucher.decision_id)
    assert (linked.kind, linked.enrolment_id) == ("fee", voucher.enrolment_id)


# --- cancellation ----------------------------------------------------------------------

def test_an_officer_cancels_an_unused_voucher_which_can_then_not_be_claimed_or_used(world):
    person = builders.person()
    issued = _issued(world, person)
    with pytest.raises(DomainError, match="reason"):
        vouchers.cancel(issued, world.county, "  ")
    assert issued.status == "issued"
    vouchers.cancel(issued, world.county, "发放对象有误")
    assert (issued.status, issued.cancel_reason, issued.cancelled_by_id) == (
        "cancelled", "发放对象有误", world.county.id)
    assert vouchers.shown_status(issued, NOW) == "cancelled"
    with pytest.raises(Conflict, match="cancelled: 发放对象有误"):
        vouchers.claim(issued, NOW)
    with pytest.raises(Conflict, match="already been cancelled"):
        vouchers.cancel(issued, world.county, "再次作废")
    assert issued.cancel_reason == "发放对象有误"
    claimed = _claimed(world, person)
    vouchers.cancel(claimed, world.county, "重复发放")
    # A cancelled voucher is not redeemed when the holder gets a seat, nor used by hand.
    seat = enrolment.apply(_open_batch(world), person, world.staff)
    db.session.refresh(claimed)
    assert (claimed.status, claimed.enrolment_id) == ("cancelled", None)
    with pytest.raises(Conflict, match="cancelled"):
        vouchers.use(claimed, seat, NOW)
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.action == "subsidy_voucher.cancel")).all()
    assert len(actions) == 2


def test_a_voucher_used_for_a_seat_is_not_cancelled(world):
    person = builders.person()
    voucher = _claimed(world, person)
    seat = enrolment.apply(_open_batch(world), person, world.staff)
    db.session.refresh(voucher)
    assert voucher.enrolment_id == seat.id
    with pytest.raises(Conflict, match="used for an enrolment"):
        vouchers.cancel(voucher, world.county, "作废")
    db.session.refresh(voucher)
    assert (voucher.status, voucher.cancel_reason) == ("redeemed", None)
    # Once the seat gives it back, it can be.
    enrolment.withdraw(seat, world.staff)
    db.session.refresh(voucher)
    vouchers.cancel(voucher, world.county, "学员放弃培训")
    assert voucher.status == "cancelled"


def test_the_receivers_are_connected_by_the_domains_setup_not_by_an_import():
    importing = ("from trainhub.subsidies import vouchers  # noqa: F401\n"
                 "from trainhub.training import signals\n"
                 "assert not signals.seat_taken.receivers\n"
                 "from trainhub import create_app\n"
                 "create_app({'TESTING': True})\n"
                 "assert signals.seat_taken.receivers\n")
    subprocess.run([sys.executable, "-c", importing], check=True)
