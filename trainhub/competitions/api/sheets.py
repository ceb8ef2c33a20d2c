"""Judges' marking under /api/v1, within their assignments: the events assigned to the token's
judge, their sheets for one event (the entries they may mark, by station and anonymous code
only: never a name, city, institution or entry id), and saving a sheet as a draft or
submitting it. Everything the web sheet enforces holds here, since both go through
`marking.save_sheet`: the conflict-of-interest rule, range and step, the lock, a submitted
mark that only the chief judge can reopen, and two judges on one measurement at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_login import current_user

from trainhub.competitions import marking, sheets
from trainhub.competitions.api import READ, WRITE, Dumped, bp
from trainhub.competitions.api.inputs import SheetIn
from trainhub.competitions.api.outputs import JudgeEventList, SheetList, SheetOut
from trainhub.competitions.api.present import aspect_out
from trainhub.competitions.catalog import EventStatus
from trainhub.competitions.judging import loaders
from trainhub.competitions.judging.display import mark_text
from trainhub.competitions.models import Event
from trainhub.core import policy
from trainhub.core.errors import N_, DomainError, NotFound
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

MARK = "competitions.mark"


def sheet_out(sheet: sheets.Sheet) -> dict[str, Any]:
    return {"station_no": sheet.entry.station_no, "code": sheet.entry.code,
            "state": sheet.state, "marked": sheet.marked, "cells": [
                {"aspect": c.aspect.code, "value": mark_text(c.value) or None,
                 "state": c.state, "editable": c.editable} for c in sheet.cells]}


@bp.get("/competitions/marking")
@bp.output(JudgeEventList)
@bp.doc(operation_id="listMarkingEvents",
        summary="The events the token's judge is assigned to, with their role in each "
                "(judge or chief judge) and the stage", **READ)
@policy.permission(MARK)
def judge_events() -> Dumped:
    return {"items": [
        {"event_id": event.id, "event": event.name, "occupation": event.occupation,
         "competition": event.competition.name, "status": event.status,
         "chief": assignment.chief, "open": event.status == EventStatus.DRAWN}
        for event, assignment in loaders.judge_events(current_user)]}


def _event_and_assignment(event_id: int) -> tuple[Event, Any]:
    event = loaders.event(event_id, MARK)
    return event, sheets.marking_assignment(event, current_user)


@bp.get("/competitions/events/<int:event_id>/sheets")
@bp.output(SheetList)
@bp.doc(operation_id="listScoreSheets",
        summary="The judge's sheets of an event: every entry they may mark, by station and "
                "anonymous code, with their own marks (drafts and submitted) and each "
                "aspect's state (a judge assigned as chief judge gets 403: they do not mark)",
        **READ)
@policy.permission(MARK)
def judge_sheets(event_id: int) -> Dumped:
    event, assignment = _event_and_assignment(event_id)
    return {"event_id": event.id, "status": event.status,
            "open": event.status == EventStatus.DRAWN,
            "aspects": [aspect_out(a) for a in event.aspects],
            "sheets": [sheet_out(s) for s in sheets.sheets_of(event, assignment)]}


def _sheet(event: Event, assignment: Any, code: str) -> sheets.Sheet:
    entry = loaders.entry_by_code(event, code)
    if not sheets.may_mark(event, assignment, entry):
        # As on the web sheet: not found, never "your own city", which would tell the judge
        # which code is their city's entry.
        raise NotFound(loaders.NOT_FOUND)
    return sheets.sheet_of(event, assignment, entry)


@bp.get("/competitions/events/<int:event_id>/sheets/<code>")
@bp.output(SheetOut)
@bp.doc(operation_id="getScoreSheet",
        summary="One sheet, by the entry's anonymous code (404 for an entry the judge may "
                "not mark)", **READ)
@policy.permission(MARK)
def judge_sheet(event_id: int, code: str) -> Dumped:
    event, assignment = _event_and_assignment(event_id)
    return sheet_out(_sheet(event, assignment, code))


def _typed(event: Event, sheet: sheets.Sheet, body: dict[str, Any]) -> dict[int, Decimal | None]:
    """The marks sent, over the sheet's drafts: as on the web sheet, whose fields hold the
    drafts, submitting submits every editable mark, the ones saved before included."""
    by_code = {a.code: a for a in event.aspects}
    given: dict[int, Decimal | None] = {}
    for item in body["marks"]:
        aspect = by_code.get(item["aspect"])
        if aspect is None:
            raise DomainError(N_("The event has no aspect “%(aspect)s”."),
                              aspect=item["aspect"])
        if aspect.id in given:
            raise DomainError(N_("Aspect “%(aspect)s” is given twice."), aspect=aspect.code)
        given[aspect.id] = marking.parse_mark(item["value"] or "")
    drafts = {c.aspect.id: c.value for c in sheet.editable}
    return {**drafts, **given}


@bp.put("/competitions/events/<int:event_id>/sheets/<code>")
@bp.input(SheetIn, location="json", arg_name="body")
@bp.output(SheetOut)
@bp.doc(operation_id="saveScoreSheet",
        summary="Save the judge's marks on one sheet as a draft, or submit it (`submit`: "
                "every aspect must then have a mark, and the judge can no longer change "
                "it). A mark above the maximum or off the step, or a missing mark on "
                "submit, is refused (400) and nothing is saved; after the lock, or when "
                "another judge has just entered the same measurement, 409", **WRITE)
@policy.permission(MARK)
def save_sheet(event_id: int, code: str, body: dict[str, Any]) -> Dumped:
    event, assignment = _event_and_assignment(event_id)
    sheet = _sheet(event, assignment, code)
    marking.save_sheet(event, assignment, sheet.entry, _typed(event, sheet, body),
                       body["submit"],
                       utcnow())
    db.session.commit()
    return sheet_out(sheets.sheet_of(event, assignment, sheet.entry))
