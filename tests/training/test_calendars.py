"""Session calendars (ICS): parsed back, times in Asia/Shanghai with their VTIMEZONE, UIDs
that stay the same from one download to the next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from tests.training import builders
from tests.training.conftest import TODAY
from trainhub.training import batches, calendars, enrolment

START = TODAY + timedelta(days=10)
STAMP = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def parsed(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def test_a_batch_calendar_holds_each_session_in_local_time(world):
    batch = builders.batch(world.base, world.staff, TODAY, days=3, venue="南昌市东湖区八一大道1号")
    body = calendars.ics(batch.title, [batch], STAMP)
    assert b"BEGIN:VTIMEZONE" in body and b"TZID=Asia/Shanghai" in body
    cal = parsed(body)
    assert str(cal["X-WR-CALNAME"]) == batch.title
    events = cal.walk("VEVENT")
    assert len(events) == 3
    first = events[0]
    assert first.decoded("dtstart") == builders.local(START, 9)
    assert str(first.decoded("dtstart").tzinfo) == "Asia/Shanghai"
    assert first.decoded("dtstart").hour == 9  # the hour the sheet shows
    assert first.decoded("dtend") == batch.sessions[0].ends_at
    assert str(first["summary"]) == f"{batch.title} · 实操"
    assert str(first["location"]) == "南昌市东湖区八一大道1号"
    assert str(first["description"]) == world.institution.name
    assert [str(e["uid"]) for e in events] == [
        f"training-session-{s.id}@trainhub" for s in batch.sessions]


def test_the_uids_are_the_same_in_a_later_download(world):
    batch = builders.batch(world.base, world.staff, TODAY, days=2)
    uids = [[str(e["uid"]) for e in parsed(calendars.ics("x", [batch], stamp)).walk("VEVENT")]
            for stamp in (STAMP, STAMP + timedelta(days=3))]
    assert uids[0] == uids[1] and len(set(uids[0])) == 2


def test_a_trainee_calendar_holds_only_the_batches_where_they_hold_a_seat(world):
    seat = builders.batch(world.base, world.staff, TODAY, status="enrolling", days=2,
                          title="有座位的班")
    later = builders.batch(world.base, world.staff, TODAY, status="enrolling", days=1,
                           start=START + timedelta(days=30), title="已退出的班")
    called_off = builders.batch(world.base, world.staff, TODAY, status="enrolling", days=1,
                                start=START + timedelta(days=60), title="取消的班")
    person = builders.person()
    enrolment.apply(seat, person, world.staff)
    enrolment.withdraw(enrolment.apply(later, person, world.staff), world.staff)
    enrolment.apply(called_off, person, world.staff)
    batches.cancel(called_off, "场地问题")
    found = calendars.trainee_batches(person.id)
    assert [b.title for b in found] == ["有座位的班"]
    events = parsed(calendars.ics("我的", found, STAMP)).walk("VEVENT")
    assert len(events) == 2
