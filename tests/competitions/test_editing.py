"""Corrections of a competition and its events (editing.py). Each rule is shown refusing,
with the database read again to show nothing changed and nothing audited, and each
correction it allows is saved with its old and new values in the audit log."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.competitions import builders
from tests.competitions.builders import CLOSES, OPENS, STARTS, TODAY
from trainhub.competitions import drawing, editing, registration
from trainhub.competitions.creation import CompetitionInput
from trainhub.competitions.models import Aspect, Competition, Event, Result
from trainhub.competitions.schemes import AspectInput
from trainhub.core.audit.models import AuditEntry
from trainhub.core.errors import Conflict, DomainError
from trainhub.extensions import db

ENDS = STARTS + timedelta(days=2)


def _competition_data(made: Competition, **changes: Any) -> CompetitionInput:
    return dataclasses.replace(CompetitionInput(
        made.name, made.starts_on, made.ends_on, made.registration_opens,
        made.registration_closes, made.venue), **changes)


def _stored_competition(made: Competition) -> tuple[Any, ...]:
    """The row as the database holds it (the select flushes whatever the service left)."""
    return tuple(db.session.execute(select(
        Competition.name, Competition.venue, Competition.starts_on, Competition.ends_on,
        Competition.registration_opens, Competition.registration_closes)
        .where(Competition.id == made.id)).one())


def _stored_event(event: Event) -> tuple[Any, ...]:
    row = tuple(db.session.execute(select(
        Event.name, Event.occupation, Event.team_size, Event.quota, Event.categories,
        Event.grades, Event.age_reference_date, Event.award_rule, Event.award_ratios)
        .where(Event.id == event.id)).one())
    scheme = db.session.execute(select(Aspect.code, Aspect.max_mark)
                                .where(Aspect.event_id == event.id)
                                .order_by(Aspect.position)).all()
    return (*row, tuple(scheme))


def _audited(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                   .order_by(AuditEntry.id)))


def _register(event: Event, person: Any, city: str = "3601", today: date = TODAY) -> Any:
    delegation = registration.delegation_for(event.competition, city)
    return registration.register(event, delegation, [person], builders.city_officer(city),
                                 today)


def _refused_competition(contest: Any, error: type[DomainError], match: str,
                         today: date = TODAY, **changes: Any) -> None:
    before = _stored_competition(contest.competition), _audited("competition.update")
    with pytest.raises(error, match=match):
        editing.update_competition(contest.competition,
                                   _competition_data(contest.competition, **changes),
                                   contest.organiser, today)
    assert (_stored_competition(contest.competition), _audited("competition.update")) == before


def _refused_event(contest: Any, error: type[DomainError], match: str,
                   event: Event | None = None, **changes: Any) -> None:
    event = event or contest.event
    before = _stored_event(event), _audited("competition.event_update")
    with pytest.raises(error, match=match):
        editing.update_event(event, builders.event_input(event, **changes), contest.organiser)
    assert (_stored_event(event), _audited("competition.event_update")) == before


# --- competitions -------------------------------------------------------------------------

def test_a_competition_is_corrected_before_it_starts_and_audited(contest):
    changes = editing.update_competition(contest.competition, _competition_data(
        contest.competition, name=" 江西省第七届残疾人职业技能大赛 ", venue="赣州市",
        registration_closes=CLOSES + timedelta(days=3), starts_on=STARTS + timedelta(days=7),
        ends_on=ENDS + timedelta(days=7)), contest.organiser, TODAY)
    assert _stored_competition(contest.competition) == (
        "江西省第七届残疾人职业技能大赛", "赣州市", STARTS + timedelta(days=7),
        ENDS + timedelta(days=7), OPENS, CLOSES + timedelta(days=3))
    (audited,) = _audited("competition.update")
    assert audited.actor_id == contest.organiser.id
    assert audited.details["changes"] == changes == {
        "name": ["江西省第七届残疾人职业技能竞赛", "江西省第七届残疾人职业技能大赛"],
        "venue": ["南昌市", "赣州市"],
        "registration_closes": ["2026-05-20", "2026-05-23"],
        "starts_on": ["2026-06-01", "2026-06-08"], "ends_on": ["2026-06-03", "2026-06-10"]}


def test_the_same_values_change_nothing_and_audit_nothing(contest):
    assert editing.update_competition(contest.competition, _competition_data(
        contest.competition), contest.organiser, TODAY) == {}
    assert _audited("competition.update") == []


@pytest.mark.parametrize(("changes", "match"), [
    ({"name": "  "}, "Give the competition a name"),
    ({"registration_closes": STARTS}, "Registration must open, then close"),
    ({"registration_opens": CLOSES + timedelta(days=1)}, "Registration must open, then close"),
    ({"ends_on": STARTS - timedelta(days=1)}, "cannot end before it starts"),
])
def test_the_rules_of_creation_still_hold(contest, changes, match):
    _refused_competition(contest, DomainError, match, **changes)


def test_it_cannot_be_moved_to_start_before_today(contest):
    _refused_competition(contest, DomainError, "cannot start before today",
                         today=date(2026, 5, 10), registration_closes=date(2026, 5, 8),
                         starts_on=date(2026, 5, 9))


def test_once_started_only_the_name_and_venue_change(contest):
    _refused_competition(contest, Conflict, "started on 2026-06-01", today=STARTS,
                         ends_on=ENDS + timedelta(days=1))
    editing.update_competition(contest.competition, _competition_data(
        contest.competition, name="更正后的名称", venue="九江市"), contest.organiser, STARTS)
    assert _stored_competition(contest.competition)[:2] == ("更正后的名称", "九江市")


def test_once_over_nothing_changes(contest):
    _refused_competition(contest, Conflict, "competition is over",
                         today=ENDS + timedelta(days=1), venue="九江市")


@pytest.mark.parametrize(("cities", "status"), [
    (("3601", "3607", "3602"), "drawn"),
    (("3601", "3607"), "cancelled"),  # fewer than the minimum of 3
])
def test_the_window_is_frozen_once_an_event_is_drawn_or_cancelled(contest, cities, status):
    builders.confirmed_entries(contest.event, cities, contest.organiser)
    drawing.draw(contest.event, contest.organiser, CLOSES + timedelta(days=1))
    assert contest.event.status == status
    later = CLOSES + timedelta(days=2)
    _refused_competition(contest, Conflict, "Registration has been closed for 盲人保健按摩",
                         today=later, registration_closes=CLOSES + timedelta(days=5))
    _refused_competition(contest, Conflict, "can no longer change", today=later,
                         registration_opens=OPENS - timedelta(days=1))
    # The competition's own dates and its name are not the window: they still change.
    editing.update_competition(contest.competition, _competition_data(
        contest.competition, name="更正后的名称", ends_on=ENDS + timedelta(days=1)),
        contest.organiser, later)
    assert _stored_competition(contest.competition)[3] == ENDS + timedelta(days=1)


def test_registration_cannot_close_before_today_once_entries_exist(contest):
    entry = _register(contest.event, builders.contestant("3601"))
    yesterday = TODAY - timedelta(days=1)
    _refused_competition(contest, DomainError, "1 entries have been made: registration "
                         "cannot close before today", registration_closes=yesterday)
    # Closing today is not before today.
    editing.update_competition(contest.competition, _competition_data(
        contest.competition, registration_closes=TODAY), contest.organiser, TODAY)
    # A withdrawn entry is no longer an entry the earlier close would cut off.
    registration.withdraw(entry, contest.organiser, TODAY)
    editing.update_competition(contest.competition, _competition_data(
        contest.competition, registration_closes=yesterday), contest.organiser, TODAY)
    assert _stored_competition(contest.competition)[5] == yesterday


def _title_won(organiser: Any, person: Any, starts_on: date,
               occupation: str = "保健按摩师") -> None:
    """`person` won the first prize in `occupation` at a competition starting `starts_on`."""
    other = builders.competition(organiser)
    other.starts_on, other.ends_on = starts_on, starts_on + timedelta(days=2)
    won = builders.event(other, occupation=occupation)
    entry = _register(won, person)
    db.session.add(Result(event_id=won.id, entry_id=entry.id, rank=1, total=90, award="一等奖"))
    db.session.flush()


def test_a_new_first_day_that_makes_an_entrant_a_title_holder_is_refused(contest):
    person = builders.contestant("3601")
    _register(contest.event, person)
    _title_won(contest.organiser, person, STARTS + timedelta(days=9))
    _refused_competition(contest, DomainError,
                         "1 registered or confirmed entries would no longer be eligible: "
                         ".* already won the first prize",
                         starts_on=STARTS + timedelta(days=14), ends_on=ENDS + timedelta(days=14))


# --- events -------------------------------------------------------------------------------

NEW_SCHEME = (
    AspectInput("A", "操作规范（测量）", "measurement", None, Decimal(40), Decimal("0.5")),
    AspectInput("D", "职业素养", "judgement", "wsos", Decimal(60)),
)


def test_an_open_event_is_corrected_and_audited(contest):
    _register(contest.event, builders.contestant("3601"))
    changes = editing.update_event(contest.event, builders.event_input(
        contest.event, name="保健按摩", occupation=" 保健按摩师 ", quota=5, categories=(1, 2),
        grades=(1, 2), award_rule="ratio",
        award_ratios=(("一等奖", Decimal(10)), ("二等奖", Decimal("20.5"))),
        aspects=NEW_SCHEME), contest.organiser)
    assert _stored_event(contest.event) == (
        "保健按摩", "保健按摩师", 1, 5, [1, 2], [1, 2], STARTS, "ratio",
        [["一等奖", "10"], ["二等奖", "20.5"]], (("A", Decimal(40)), ("D", Decimal(60))))
    (audited,) = _audited("competition.event_update")
    assert audited.details["changes"] == changes
    assert changes["quota"] == [3, 5] and changes["categories"] == [[1], [1, 2]]
    assert "occupation" not in changes  # the same occupation, typed with spaces
    assert [a["code"] for a in changes["aspects"][0]] == ["A", "B", "C"]
    assert changes["aspects"][1] == [
        {"code": "A", "title": "操作规范（测量）", "kind": "measurement", "scale": None,
         "max_mark": "40", "step": "0.5"},
        {"code": "D", "title": "职业素养", "kind": "judgement", "scale": "wsos",
         "max_mark": "60", "step": "1"}]


def test_the_same_event_changes_nothing_and_keeps_its_scheme(contest):
    aspect_ids = [a.id for a in contest.event.aspects]
    assert editing.update_event(contest.event, builders.event_input(contest.event),
                                contest.organiser) == {}
    assert [a.id for a in contest.event.aspects] == aspect_ids
    assert _audited("competition.event_update") == []


@pytest.mark.parametrize(("cities", "status"), [
    (("3601", "3607", "3602"), "drawn"), (("3601", "3607"), "cancelled")])
def test_a_drawn_or_cancelled_event_is_not_corrected(contest, cities, status):
    builders.confirmed_entries(contest.event, cities, contest.organiser)
    drawing.draw(contest.event, contest.organiser, CLOSES + timedelta(days=1))
    assert contest.event.status == status
    _refused_event(contest, Conflict, "drawn or cancelled", name="保健按摩")
    _refused_event(contest, Conflict, "drawn or cancelled", aspects=NEW_SCHEME)


def test_the_quota_cannot_go_below_a_delegations_entries(contest):
    for _ in range(3):
        _register(contest.event, builders.contestant("3601"))
    _register(contest.event, builders.contestant("3607"), "3607")
    registration.withdraw(contest.event.entries[0], contest.organiser, TODAY)
    _refused_event(contest, DomainError, r"南昌市代表队 already has 2 entries in this event: "
                   r"the quota cannot be lower than 2 \(1 asked\)", quota=1)
    editing.update_event(contest.event, builders.event_input(contest.event, quota=2),
                         contest.organiser)
    assert _stored_event(contest.event)[3] == 2


def test_the_team_size_cannot_change_once_an_entry_exists(contest):
    editing.update_event(contest.event, builders.event_input(contest.event, team_size=2),
                         contest.organiser)
    assert _stored_event(contest.event)[2] == 2
    editing.update_event(contest.event, builders.event_input(contest.event, team_size=1),
                         contest.organiser)
    entry = _register(contest.event, builders.contestant("3601"))
    registration.withdraw(entry, contest.organiser, TODAY)  # even a withdrawn entry counts
    _refused_event(contest, Conflict, "1 entries have been made with 1 contestants each",
                   team_size=2)


@pytest.mark.parametrize(("changes", "match"), [
    ({"name": " "}, "name and an occupation"),
    ({"quota": 51}, "out of range"),
    ({"categories": (8,)}, "Unknown disability category"),
    ({"aspects": ()}, "at least one aspect"),
    ({"aspects": (NEW_SCHEME[0], NEW_SCHEME[0])}, "the code A is used twice"),
    ({"aspects": (AspectInput("A", "", "judgement", "points", Decimal(10), Decimal(3)),)},
     "not a multiple of the step"),
    ({"award_rule": "ratio", "award_ratios": (("一等奖", Decimal(60)), ("二等奖", Decimal(50)))},
     "Award shares"),
])
def test_the_rules_of_adding_an_event_still_hold(contest, changes, match):
    _refused_event(contest, DomainError, match, **changes)


def test_eligibility_that_would_exclude_entries_is_refused_with_the_count_and_reasons(contest):
    for city in ("3601", "3607"):
        _register(contest.event, builders.contestant(city), city)
    _refused_event(contest, DomainError, "2 registered or confirmed entries would no longer "
                   "be eligible: .*category is not admitted.*category is not admitted",
                   categories=(2,))
    _refused_event(contest, DomainError, "2 registered .*grade is not admitted", grades=(1,))


def test_an_entrant_too_old_on_a_later_reference_date_is_named_until_refused(contest):
    older = builders.contestant("3601", born=date(1966, 6, 2))  # 59 on 2026-06-01
    entry = _register(contest.event, older)
    _register(contest.event, builders.contestant("3607"), "3607")
    later = STARTS + timedelta(days=1)
    _refused_event(contest, DomainError, f"1 registered or confirmed entries .*{older.name} is "
                   "60 on 2026-06-02", age_reference_date=later)
    registration.decide(entry, False, contest.organiser, "年龄不符")
    editing.update_event(contest.event, builders.event_input(
        contest.event, age_reference_date=later), contest.organiser)
    assert _stored_event(contest.event)[6] == later


def test_a_new_occupation_in_which_an_entrant_holds_the_title_is_refused(contest):
    person = builders.contestant("3601")
    _register(contest.event, person)
    _title_won(contest.organiser, person, date(2024, 6, 1), occupation="中式面点师")
    _refused_event(contest, DomainError, "already won the first prize", occupation="中式面点师")
    # Title holders may enter when the event admits them again.
    editing.update_event(contest.event, builders.event_input(
        contest.event, occupation="中式面点师", exclude_title_holders=False), contest.organiser)
    assert _stored_event(contest.event)[1] == "中式面点师"


def test_the_scheme_is_replaced_keeping_a_code(contest):
    editing.update_event(contest.event, builders.event_input(contest.event, aspects=NEW_SCHEME),
                         contest.organiser)
    db.session.expire_all()
    assert [(a.code, a.position) for a in db.session.get(Event, contest.event.id).aspects] == [
        ("A", 0), ("D", 1)]
    assert db.session.scalar(select(func.count()).select_from(Aspect)) == 2
