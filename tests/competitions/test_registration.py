"""Registration within the window and the quota, eligibility with reasons, confirmation,
withdrawal and substitution, cancellation below the minimum, the reproducible draw."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.competitions import builders
from tests.competitions.builders import CLOSES, TODAY
from trainhub.competitions import drawing, registration, scoring
from trainhub.competitions.models import Entry
from trainhub.core.errors import Conflict, DomainError
from trainhub.extensions import db


def _register(contest, person, city="3601", today=TODAY):
    delegation = registration.delegation_for(contest.competition, city)
    return registration.register(contest.event, delegation, [person],
                                 builders.city_officer(city), today)


def test_an_eligible_contestant_is_registered(contest):
    entry = _register(contest, builders.contestant("3601"))
    assert (entry.status, entry.delegation.name) == ("registered", "南昌市代表队")


def test_wrong_disability_category_is_refused_with_the_reason(contest):
    with pytest.raises(DomainError, match="category is not admitted"):
        _register(contest, builders.contestant("3601", category=4))
    assert db.session.scalars(select(Entry)).all() == []


@pytest.mark.parametrize(("born", "male", "ok"), [
    (date(1966, 6, 2), True, True),    # 59 on 2026-06-01: the last year admitted
    (date(1966, 6, 1), True, False),   # 60 that day
    (date(1971, 6, 2), False, True),   # a woman of 54
    (date(1971, 6, 1), False, False),  # 55
    (date(2010, 6, 1), True, True),    # 16 that day
    (date(2010, 6, 2), True, False),   # 15
])
def test_age_by_sex_on_the_reference_date(contest, born, male, ok):
    person = builders.contestant("3601", born=born, male=male)
    if ok:
        assert _register(contest, person).status == "registered"
    else:
        with pytest.raises(DomainError, match="this event admits"):
            _register(contest, person)


def test_the_quota_and_the_window(contest):
    for _ in range(3):
        _register(contest, builders.contestant("3601"))
    with pytest.raises(DomainError, match="quota"):
        _register(contest, builders.contestant("3601"))
    with pytest.raises(DomainError, match="Registration is open"):
        _register(contest, builders.contestant("3607"), "3607", CLOSES + timedelta(days=1))


def test_a_contestant_from_another_city_is_refused(contest):
    with pytest.raises(DomainError, match="not registered in this delegation's city"):
        _register(contest, builders.contestant("3607"), "3601")


def test_the_same_person_twice_is_refused(contest):
    person = builders.contestant("3601")
    _register(contest, person)
    with pytest.raises(Conflict, match="already entered"):
        _register(contest, person)


def test_a_title_holder_is_refused(contest, ctx):
    from trainhub.competitions.models import Result

    person = builders.contestant("3601")
    earlier = builders.competition(contest.organiser)
    earlier.starts_on = date(2024, 6, 1)
    old_event = builders.event(earlier)
    entry = _register_in(old_event, person)
    db.session.add(Result(event_id=old_event.id, entry_id=entry.id, rank=1, total=90,
                          award="一等奖"))
    db.session.flush()
    with pytest.raises(DomainError, match="title holders"):
        _register(contest, person)


def _register_in(made_event, person, city="3601"):
    delegation = registration.delegation_for(made_event.competition, city)
    return registration.register(made_event, delegation, [person],
                                 builders.city_officer(city), TODAY)


def test_withdrawal_and_substitution_before_the_deadline(contest):
    first = builders.contestant("3601")
    entry = _register(contest, first)
    registration.decide(entry, True, contest.organiser)
    second = builders.contestant("3601")
    registration.substitute(entry, first, second, contest.organiser, TODAY)
    assert [m.person_id for m in entry.members] == [second.id]
    assert entry.status == "registered"  # to be confirmed again
    registration.withdraw(entry, contest.organiser, TODAY)
    assert entry.status == "withdrawn"
    with pytest.raises(DomainError, match="Registration is open"):
        registration.withdraw(entry, contest.organiser, CLOSES + timedelta(days=1))


def test_refusal_needs_a_reason(contest):
    entry = _register(contest, builders.contestant("3601"))
    with pytest.raises(DomainError, match="reason"):
        registration.decide(entry, False, contest.organiser, "")
    registration.decide(entry, False, contest.organiser, "证件不全")
    assert entry.status == "refused"


def test_an_event_below_the_minimum_is_cancelled_and_says_why(contest):
    builders.confirmed_entries(contest.event, ("3601", "3607"), contest.organiser)
    assert drawing.draw(contest.event, contest.organiser, CLOSES + timedelta(days=1)) == {}
    assert contest.event.status == "cancelled"
    assert "3" in contest.event.cancellation_note


def test_the_draw_is_reproducible_from_its_seed(contest):
    entries = builders.confirmed_entries(contest.event, ("3601", "3607", "3602", "3603"),
                                         contest.organiser)
    stations = drawing.draw(contest.event, contest.organiser, CLOSES + timedelta(days=1))
    assert sorted(stations.values()) == [1, 2, 3, 4]
    seed = contest.event.draw_seed
    assert scoring.draw_stations([e.id for e in entries], seed) == stations
    codes = scoring.anonymous_codes([e.id for e in entries], seed)
    assert {e.id: e.code for e in entries} == codes
    with pytest.raises(Conflict):
        drawing.draw(contest.event, contest.organiser, CLOSES + timedelta(days=1))
