"""A new parameter value: refused when it would change an approved or paid decision;
previewed side by side; applied to open decisions only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.subsidies.conftest import END, START
from trainhub.core.errors import Conflict
from trainhub.core.parameters import impact
from trainhub.core.parameters import service as parameters
from trainhub.core.parameters.models import ParameterValue
from trainhub.extensions import db
from trainhub.subsidies import decisions
from trainhub.subsidies.models import Decision

CLAIMED = END + timedelta(days=10)
KEY = "subsidies.fee_intermediate"


def _fees(finished) -> list[Decision]:
    return list(db.session.scalars(select(Decision).where(
        Decision.batch_id == finished.batch.id, Decision.kind == "fee").order_by(Decision.id)))


def _values(key: str) -> int:
    return len(db.session.scalars(select(ParameterValue).join(ParameterValue.parameter)
                                  .where(ParameterValue.parameter.has(key=key))).all())


def test_a_past_value_that_would_change_a_paid_decision_is_refused(world, finished, budget):
    budget()
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    fees = _fees(finished)
    decisions.submit(fees, world.staff, CLAIMED)
    decisions.approve(fees[:1], world.county, CLAIMED)
    decisions.pay(fees[0], world.county, CLAIMED, "GK-1", CLAIMED)
    before = _values(KEY)
    with pytest.raises(Conflict, match="approved or paid"):
        parameters.add_value(KEY, "180000", START - timedelta(days=1), None, "涨标准",
                             world.county)
    db.session.rollback()
    assert _values(KEY) == before


def test_a_value_dated_after_the_batch_started_changes_nothing(world, finished, budget):
    budget()
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    fees = _fees(finished)
    decisions.submit(fees, world.staff, CLAIMED)
    decisions.approve(fees, world.county, CLAIMED)
    later = START + timedelta(days=1)
    assert impact.preview(parameters.proposed_change(KEY, "180000", later, None)) == []
    parameters.add_value(KEY, "180000", later, None, "新标准", world.county)
    assert [d.amount_fen for d in _fees(finished)] == [150000, 150000]


def test_open_decisions_are_previewed_then_recomputed(world, finished, budget):
    budget()
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    fees = _fees(finished)
    decisions.submit(fees, world.staff, CLAIMED)
    decisions.approve(fees[:1], world.county, CLAIMED)  # the first is frozen
    change = parameters.proposed_change(KEY, "140000", date(2026, 1, 1), None)
    with pytest.raises(Conflict):  # it would lower the approved one too
        impact.check(change)
    db.session.rollback()


def test_a_raise_for_open_decisions_only_recomputes_them(world, finished):
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    change = parameters.proposed_change(KEY, "140000", date(2026, 1, 1), None)
    rows = impact.preview(change)
    assert [(r.old, r.new) for r in rows] == [("1,500.00", "1,400.00")] * 2
    assert all(f.amount_fen == 150000 for f in _fees(finished))  # a preview changes nothing
    parameters.add_value(KEY, "140000", date(2026, 1, 1), None, "调整", world.county)
    fees = _fees(finished)
    assert [f.amount_fen for f in fees] == [140000, 140000]
    assert "1,400.00" in fees[0].explanation
    used = {p["version"] for p in fees[0].parameters if p["key"] == KEY}
    row = db.session.get(ParameterValue, int(used.pop()))
    assert row.first_used_at is not None  # the new value is now frozen too


def test_a_city_override_applies_to_its_counties_only(world, finished):
    decisions.compute_batch(finished.batch, world.staff, CLAIMED)
    other_city = parameters.proposed_change(KEY, "140000", date(2026, 1, 1), "3607")
    assert impact.preview(other_city) == []
    own_city = parameters.proposed_change(KEY, "130000", date(2026, 1, 1), "3601")
    assert [(r.old, r.new) for r in impact.preview(own_city)] == [("1,500.00", "1,300.00")] * 2
    # A raise changes nothing here: the subsidy never exceeds the fee charged (¥1,500).
    raised = parameters.proposed_change(KEY, "160000", date(2026, 1, 1), "3601")
    assert impact.preview(raised) == []


def test_the_parameter_page_shows_old_and_new_before_saving(app, client, make):
    from tests.conftest import post_form, sign_in
    from tests.subsidies.conftest import finish
    from tests.training import builders
    from tests.training.conftest import make_world

    with app.app_context():
        world = make_world()
        done = finish(world.base, world.staff, world.county, [builders.person()])
        decisions.compute_batch(done.batch, world.staff, CLAIMED)
        db.session.commit()
    sign_in(client, make.user("federation_officer", region_code="36"))
    page = f"/parameters/{KEY}"
    form = {"region_code": "36", "effective_from": "2026-01-01", "value": "1400",
            "note": "调整"}
    first = post_form(client, f"{page}/values", form)
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and "1,500.00" in html and "1,400.00" in html
    with app.app_context():
        assert _values(KEY) == 1  # nothing saved yet
    confirmed = post_form(client, f"{page}/values", dict(form, confirmed="1"))
    assert confirmed.status_code == 302
    with app.app_context():
        assert _values(KEY) == 2
        fee = db.session.scalars(select(Decision).where(Decision.kind == "fee")).one()
        assert fee.amount_fen == 140000
