"""The close of registration (events below the minimum of confirmed entries are cancelled)
and the reproducible draw of stations and anonymous codes."""

from __future__ import annotations

import secrets
from datetime import date

from trainhub.competitions import scoring
from trainhub.competitions.catalog import EntryStatus, EventStatus
from trainhub.competitions.models import Event
from trainhub.competitions.registration import hold
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Conflict, DomainError
from trainhub.core.parameters import service as parameters
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db


def _audit(action: str, region_code: str, object_type: str, object_id: int,
           **details: object) -> None:
    record(action, object_type=object_type, object_id=object_id, region_code=region_code,
           details=details)


CANCELLED_NOTE = N_("Fewer than %(min)s entries were confirmed: the event is cancelled and "
                    "will not take place.")


def close_registration(event: Event, today: date) -> bool:
    """After the window: an event with too few confirmed entries is cancelled, and its
    entrants can read why. Returns True when it goes ahead."""
    if today <= event.competition.registration_closes:
        raise DomainError(N_("Registration is still open."))
    if event.status != EventStatus.OPEN:
        raise Conflict(N_("Registration of this event is already closed."))
    minimum = parameters.int_value("competitions.min_entries", today,
                                   event.competition.region_code)
    confirmed = [e for e in event.entries if e.status == EntryStatus.CONFIRMED]
    if scoring.event_cancelled(len(confirmed), minimum):
        event.status = EventStatus.CANCELLED.value
        event.cancellation_note = CANCELLED_NOTE % {"min": minimum}
        _audit("competition.event_cancel", event.competition.region_code,
               "competition_event", event.id, entries=len(confirmed))
        return False
    return True


def draw(event: Event, by: User, today: date) -> dict[int, int]:
    """Stations (工位号) and anonymous codes (加密号) from a recorded random seed, so the
    draw can be repeated by anyone holding the seed."""
    hold(event, exclusive=True)
    if event.status != EventStatus.OPEN:
        raise Conflict(N_("This event has already been drawn, or it was cancelled."))
    if not close_registration(event, today):
        return {}
    entries = [e for e in event.entries if e.status == EntryStatus.CONFIRMED]
    seed = secrets.token_hex(16)
    stations = scoring.draw_stations([e.id for e in entries], seed)
    codes = scoring.anonymous_codes([e.id for e in entries], seed)
    for entry in entries:
        entry.station_no, entry.code = stations[entry.id], codes[entry.id]
    event.draw_seed, event.drawn_at, event.status = seed, utcnow(), EventStatus.DRAWN.value
    db.session.flush()
    _audit("competition.draw", event.competition.region_code, "competition_event", event.id,
           seed=seed, entries=len(entries))
    return stations
