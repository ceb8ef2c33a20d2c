"""What waits in subsidies for the home pages, and an officer's budget figures: the right
numbers, in the approval queue's scope."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.subsidies.conftest import END
from tests.training import builders
from trainhub.extensions import db
from trainhub.subsidies import decisions, waiting
from trainhub.subsidies.models import Decision, Voucher

CLAIMED = END + timedelta(days=10)


def test_counts_follow_the_decisions_through_their_states(world, finished, budget):
    budget()
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    assert waiting.for_staff(world.staff)["computed"] == 4
    assert waiting.for_officer(world.county)["computed"] == 4  # in scope, not yet theirs
    fees = list(db.session.scalars(select(Decision).where(Decision.kind == "fee")))
    decisions.submit(fees, world.staff, CLAIMED)
    decisions.approve(fees[:1], world.county, CLAIMED)
    decisions.pay(fees[0], world.county, CLAIMED, "GK2026-0001", CLAIMED)
    expected = {"computed": 2, "submitted": 1, "approved": 0, "paid": 1, "rejected": 0}
    assert waiting.for_officer(world.county) == expected
    assert waiting.for_officer(world.city) == expected
    assert waiting.for_staff(world.staff) == expected
    assert set(waiting.for_officer(world.other_county).values()) == {0}
    person_id = fees[0].person_id
    assert waiting.for_trainee(person_id)["paid"] == 1
    assert sum(waiting.for_trainee(person_id).values()) == 2  # the fee and the allowance


def test_budget_figures_are_the_regions_own_budgets_against_what_was_paid(world, finished,
                                                                          budget):
    budget(fee=1_000_000, living=500_000)
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    fees = list(db.session.scalars(select(Decision).where(Decision.kind == "fee")))
    decisions.submit(fees, world.staff, CLAIMED)
    decisions.approve(fees, world.county, CLAIMED)
    decisions.pay(fees[0], world.county, CLAIMED, "GK2026-0001", CLAIMED)
    year = CLAIMED.year
    assert waiting.budget_figures("360102", year) == [
        waiting.BudgetFigure("fee", 1_000_000, 2 * 150000, 150000),
        waiting.BudgetFigure("living", 500_000, 0, 0)]
    assert waiting.budget_figures("360103", year) == []
    assert waiting.budget_figures("360102", year + 1) == []



def test_vouchers_are_counted_as_the_voucher_list_shows_them(world):
    def issue(region: str, until: date, status: str = "issued") -> None:
        db.session.add(Voucher(
            code=f"V{region}{until:%m%d}{status}", person_id=builders.person(region).id,
            region_code=region, face_value_fen=100_000, valid_from=date(2026, 1, 1),
            valid_until=until, status=status, issued_by_id=world.county.id))
        db.session.flush()

    issue("360102", date(2026, 12, 31))
    issue("360102", date(2026, 12, 31), "claimed")
    issue("360102", date(2026, 2, 1))  # expired unused by the day counted
    issue("360102", date(2026, 2, 1), "redeemed")  # used: not waiting
    issue("360103", date(2026, 12, 31))  # another county's
    today = date(2026, 3, 1)
    assert waiting.vouchers_of_region("360102", today) == {
        "issued": 1, "claimed": 1, "expired": 1}
    assert waiting.vouchers_of_region("3601", today) == {"issued": 2, "claimed": 1, "expired": 1}
    assert waiting.vouchers_of_region("360104", today) == {
        "issued": 0, "claimed": 0, "expired": 0}
