"""Times are stored in UTC and shown in Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_today() -> date:
    """The calendar date in China, which decides birthdays and deadlines."""
    return utcnow().astimezone(LOCAL_TZ).date()


def to_local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ)


def from_local(day: date, at: time) -> datetime:
    """A wall-clock time in China on `day`, as an aware UTC datetime for storage."""
    return datetime.combine(day, at, LOCAL_TZ).astimezone(UTC)
