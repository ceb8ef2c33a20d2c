"""The codes of the competitions domain."""

from __future__ import annotations

from enum import StrEnum


class EventStatus(StrEnum):
    OPEN = "open"            # registration
    CANCELLED = "cancelled"  # fewer entries than the minimum
    DRAWN = "drawn"          # stations and codes drawn: marking is open
    LOCKED = "locked"        # marks locked by the chief judge: names may be decoded
    PUBLISHED = "published"  # results public


class EntryStatus(StrEnum):
    REGISTERED = "registered"  # by the city, checked automatically
    CONFIRMED = "confirmed"    # by the organiser
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


ACTIVE_ENTRY = (EntryStatus.REGISTERED, EntryStatus.CONFIRMED)


class CorrectionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


FIRST_PRIZE = "一等奖"
AWARD_NAMES = ("一等奖", "二等奖", "三等奖")
