"""Marks under /api/v1 for the organiser and the arbitration group (judges enter theirs
through api/sheets.py). The organiser reads an event's
submitted marks, the completeness check (missing marks and open disagreement flags) and,
after the lock, the decoded list; entries are known by station and anonymous code until the
chief judge locks the event, as on the web scoreboard. After the lock, the chief judge or a member
of the arbitration group asks for a correction (with a reason) and another member decides it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_login import current_user

from trainhub.competitions import chief_review, marking, result_queries, sheets
from trainhub.competitions.api import READ, WRITE, Dumped, bp
from trainhub.competitions.api.inputs import CorrectionIn, DecisionIn
from trainhub.competitions.api.outputs import (
    CompletenessOut,
    CorrectionList,
    CorrectionOut,
    DecodedOut,
    MarksOut,
)
from trainhub.competitions.api.present import aspect_out, coded
from trainhub.competitions.catalog import EventStatus
from trainhub.competitions.judging import loaders
from trainhub.competitions.judging.display import mark_text
from trainhub.competitions.models import Event
from trainhub.core import policy
from trainhub.core.errors import N_, Conflict, DomainError, NotFound
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

ORGANISE = "competitions.organise"
CORRECT = "competitions.correct"
ARBITRATE = "competitions.arbitrate"
NOT_DRAWN = N_("Marking has not begun: the event has not been drawn.")


def _event(event_id: int, action: str) -> Event:
    # Names are loaded; whether an answer shows them is decided by `coded`, on the lock.
    return loaders.event(event_id, action, with_names=True)


@bp.get("/competitions/events/<int:event_id>/marks")
@bp.output(MarksOut)
@bp.doc(operation_id="listEventMarks",
        summary="The submitted marks of an event, by entry (the organiser)",
        description="Judges enter marks through their sheets. Entries are given by "
                    "station and anonymous code; `contestants` and `delegation` "
                    "stay null until the chief judge locks the event.", **READ)
@policy.permission(ORGANISE)
def event_marks(event_id: int) -> Dumped:
    event = _event(event_id, ORGANISE)
    decoded = marking.decoded(event)
    by_entry: dict[int, list[result_queries.MarkChoice]] = {}
    for choice in result_queries.locked_marks(event):
        by_entry.setdefault(choice.entry.id, []).append(choice)
    entries = sorted((e for e in event.entries if e.id in by_entry or e.code),
                     key=lambda e: e.station_no or 0)
    return {"event_id": event.id, "status": event.status, "decoded": decoded,
            "aspects": [aspect_out(a) for a in event.aspects],
            "entries": [{**coded(e, decoded), "marks": [
                {"id": c.mark.id, "aspect": c.aspect.code, "judge": c.judge,
                 "value": mark_text(c.mark.value), "submitted_at": c.mark.submitted_at}
                for c in by_entry.get(e.id, [])]} for e in entries]}


@bp.get("/competitions/events/<int:event_id>/completeness")
@bp.output(CompletenessOut)
@bp.doc(operation_id="getEventCompleteness",
        summary="What the chief judge checks before locking: marks still missing and "
                "disagreement flags still open, by station and code (the organiser); 409 "
                "before the draw", **READ)
@policy.permission(ORGANISE)
def event_completeness(event_id: int) -> Dumped:
    event = _event(event_id, ORGANISE)
    if event.status in (EventStatus.OPEN, EventStatus.CANCELLED):
        raise Conflict(NOT_DRAWN)
    decoded = marking.decoded(event)
    review = chief_review.review(event)
    return {
        "event_id": event.id, "status": event.status, "decoded": decoded,
        "ready": review.ready, "missing_count": review.missing_count,
        "unexpected_count": review.unexpected,
        "missing": [{**coded(row.entry, decoded), "aspect": m.aspect.code, "judge": m.judge}
                    for row in review.missing for m in row.missing],
        "open_flags": [{**coded(row.entry, decoded), "aspect": row.aspect.code,
                        "lowest": mark_text(row.flag.lowest),
                        "highest": mark_text(row.flag.highest),
                        "limit": mark_text(row.flag.limit),
                        "marks": [{"judge": judge, "value": mark_text(value)}
                                  for judge, value in row.marks]} for row in review.flags]}


@bp.get("/competitions/events/<int:event_id>/decoded")
@bp.output(DecodedOut)
@bp.doc(operation_id="listDecodedEntries",
        summary="Codes decoded: each station and anonymous code with its contestants and "
                "delegation, after the lock only (409 before, changing nothing)", **READ)
@policy.permission(ORGANISE)
def decoded_entries(event_id: int) -> Dumped:
    event = _event(event_id, ORGANISE)
    marking.require_decoded(event)
    entries = sorted((e for e in event.entries if e.code), key=lambda e: e.station_no or 0)
    return {"event_id": event.id, "entries": [coded(e, True) for e in entries]}


# --- corrections after the lock ---------------------------------------------------------

def correction_out(logged: result_queries.LoggedCorrection, decoded: bool) -> dict[str, Any]:
    item = logged.correction
    return {**coded(logged.entry, decoded), "id": item.id, "mark_id": item.mark_id,
            "aspect": logged.aspect.code, "judge": logged.judge,
            "old_value": mark_text(item.old_value), "new_value": mark_text(item.new_value),
            "reason": item.reason, "status": item.status, "requested_at": item.requested_at,
            "decided_at": item.decided_at}


def _logged(event: Event, correction_id: int) -> dict[str, Any]:
    found = next(c for c in result_queries.corrections_log(event)
                 if c.correction.id == correction_id)
    return correction_out(found, marking.decoded(event))


@bp.get("/competitions/events/<int:event_id>/corrections")
@bp.output(CorrectionList)
@bp.doc(operation_id="listMarkCorrections",
        summary="The corrections of an event's marks after the lock, with their reasons "
                "and decisions (the event's chief judge and the arbitration group)", **READ)
@policy.permission(CORRECT)
def list_corrections(event_id: int) -> Dumped:
    event = _event(event_id, CORRECT)
    decoded = marking.decoded(event)
    return {"items": [correction_out(c, decoded) for c in result_queries.corrections_log(event)]}


@bp.post("/competitions/events/<int:event_id>/corrections")
@bp.input(CorrectionIn, location="json", arg_name="body")
@bp.output(CorrectionOut, status_code=201)
@bp.doc(operation_id="requestMarkCorrection",
        summary="Ask for a correction of a submitted mark after the lock, with a reason "
                "(the event's chief judge or a member of the arbitration group); a member "
                "of the arbitration group other than the asker must approve it. A new mark above "
                "the maximum or off the step is refused (400)", **WRITE)
@policy.permission(CORRECT)
def request_correction(event_id: int, body: dict[str, Any]) -> Dumped:
    event = _event(event_id, CORRECT)
    chosen = next((c for c in result_queries.locked_marks(event) if c.mark.id == body["mark_id"]),
                  None)
    if chosen is None:
        raise NotFound(loaders.NOT_FOUND)
    value = Decimal(body["new_value"])
    # The page's wording of a refused mark (the scheme's figures as typed), once locked;
    # before that the service answers that corrections wait for the lock.
    if event.status == EventStatus.LOCKED and (problem := sheets.check_value(chosen.aspect,
                                                                             value)):
        raise DomainError(N_("%(aspect)s: %(problem)s"), aspect=chosen.aspect.title,
                          problem=problem)
    made = marking.request_correction(event, chosen.mark, value, body["reason"], current_user)
    db.session.commit()
    return _logged(event, made.id)


@bp.post("/competitions/corrections/<int:correction_id>/decide")
@bp.input(DecisionIn, location="json", arg_name="body")
@bp.output(CorrectionOut)
@bp.doc(operation_id="decideMarkCorrection",
        summary="Approve (the corrected mark is applied) or refuse a correction: a member "
                "of the arbitration group other than the one who asked (400 otherwise)",
        **WRITE)
@policy.permission(ARBITRATE)
def decide_correction(correction_id: int, body: dict[str, bool]) -> Dumped:
    event, found = loaders.correction(correction_id, ARBITRATE)
    marking.approve_correction(event, found, current_user, body["approve"], utcnow())
    db.session.commit()
    return _logged(event, found.id)
