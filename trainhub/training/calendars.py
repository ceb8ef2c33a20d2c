"""Session calendars as iCalendar (RFC 5545) files (issue 16 item 4): a batch's sessions for
its staff and officers, a trainee's sessions of the batches where they hold a seat.

Times are written in Asia/Shanghai with its VTIMEZONE (a phone's calendar shows them at the
hour the sheet shows, whatever its own zone); each session's UID is made of its id alone, so
a calendar downloaded again updates the events instead of doubling them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainhub.core.timeutil import to_local
from trainhub.extensions import db
from trainhub.training.catalog import BatchStatus, EnrolmentStatus
from trainhub.training.models import Batch, Enrolment, Session

PRODUCT = "-//TrainHub//Training sessions//ZH"
# Batches whose sessions will not take place: nobody is asked to come.
CALLED_OFF = (BatchStatus.CANCELLED.value, BatchStatus.REJECTED.value)


def session_uid(session: Session) -> str:
    return f"training-session-{session.id}@trainhub"


def ics(title: str, batches: Iterable[Batch], stamp: datetime) -> bytes:
    """The sessions of `batches` as one calendar named `title`; `stamp` (UTC) is DTSTAMP."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for batch in batches:
        for session in batch.sessions:
            event = Event()
            event.add("uid", session_uid(session))
            event.add("dtstamp", stamp)
            event.add("dtstart", to_local(session.starts_at))
            event.add("dtend", to_local(session.ends_at))
            event.add("summary", f"{batch.title} · {session.topic}" if session.topic
                      else batch.title)
            if batch.venue:
                event.add("location", batch.venue)
            event.add("description", batch.institution.name)
            calendar.add_component(event)
    calendar.add_missing_timezones()  # the VTIMEZONE of Asia/Shanghai the events name
    return calendar.to_ical()


def trainee_batches(person_id: int) -> list[Batch]:
    """The batches where the person holds a seat, with their sessions and institution
    (three statements)."""
    return list(db.session.scalars(
        select(Batch).join(Enrolment, Enrolment.batch_id == Batch.id)
        .where(Enrolment.person_id == person_id,
               Enrolment.status == EnrolmentStatus.ADMITTED.value,
               Batch.status.not_in(CALLED_OFF))
        .options(selectinload(Batch.sessions), selectinload(Batch.institution))
        .order_by(Batch.start_date, Batch.id)))
