"""Labels and filters of the judging, results and output pages, in the reader's language.
States are always written out in words, never shown by colour alone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from trainhub.competitions.catalog import EventStatus
from trainhub.competitions.models import Aspect, Delegation, Event
from trainhub.competitions.sheets import CellState, SheetState
from trainhub.core import policy
from trainhub.extensions import db

SHEET_LABELS = {
    SheetState.NOT_STARTED: _l("Not started"),
    SheetState.DRAFT: _l("Draft saved"),
    SheetState.REOPENED: _l("To mark again"),
    SheetState.SUBMITTED: _l("Submitted"),
}
CELL_LABELS = {
    CellState.BLANK: _l("No mark yet"),
    CellState.DRAFT: _l("Draft"),
    CellState.REOPENED: _l("Reopened by the chief judge: mark again"),
    CellState.SUBMITTED: _l("Submitted"),
    CellState.OTHER: _l("Entered by another judge"),
}
EVENT_STATE_LABELS = {
    "open": _l("Registration"),
    "cancelled": _l("Cancelled"),
    "drawn": _l("Marking"),
    "locked": _l("Marks locked"),
    "published": _l("Results published"),
}
CORRECTION_LABELS = {"pending": _l("Awaiting a second approver"),
                     "approved": _l("Approved and applied"), "refused": _l("Refused")}
APPEAL_LABELS = {None: _l("Awaiting the arbitration group"), "upheld": _l("Upheld"),
                 "dismissed": _l("Dismissed")}
# The award names are data (parameters, frozen on certificates in Chinese); the shipped
# ones are shown in the reader's language.
AWARD_LABELS = {"一等奖": _l("First prize"), "二等奖": _l("Second prize"),
                "三等奖": _l("Third prize")}
KIND_LABELS = {"measurement": _l("Measurement"), "judgement": _l("Judgement")}


def mark_text(value: Decimal | str | None) -> str:
    """A mark without trailing zeros (18, 40.5); blank when there is none."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


def scale_hint(aspect: Aspect) -> Any:
    """What a judge may type for an aspect, written out."""
    if aspect.scale == "wsos":
        return _l("Judgement on the 0–3 scale: type 0, 1, 2 or 3. The aspect is worth "
                  "%(max)s marks.", max=mark_text(aspect.max_mark))
    if aspect.kind == "judgement":
        return _l("Judgement in points: 0 to %(max)s in steps of %(step)s.",
                  max=mark_text(aspect.max_mark), step=mark_text(aspect.step))
    return _l("Measurement: 0 to %(max)s in steps of %(step)s, entered once for the entry.",
              max=mark_text(aspect.max_mark), step=mark_text(aspect.step))


def input_limits(aspect: Aspect) -> dict[str, str]:
    """The min, max and step attributes of an aspect's input."""
    if aspect.scale == "wsos":
        return {"min": "0", "max": "3", "step": "1"}
    return {"min": "0", "max": mark_text(aspect.max_mark), "step": mark_text(aspect.step)}


def judging_links(event: Event) -> list[tuple[Any, str]]:
    """The judging and results pages of an event that the reader may open, for the
    organisers' and delegations' pages to list (`judging_links(event)` in a template)."""
    links: list[tuple[Any, str]] = []
    decoded = event.status in (EventStatus.LOCKED, EventStatus.PUBLISHED)

    def add(action: str, label: Any, endpoint: str, when: bool = True,
            obj: Any = event) -> None:
        if when and policy.may(current_user, action, obj):
            links.append((label, url_for(endpoint, event_id=event.id)))

    if policy.may(current_user, "competitions.organise", event):
        add("competitions.organise", _l("Scoreboard, end of the event and publication"),
            "competitions.scoreboard", event.status != EventStatus.OPEN)
    else:
        add("competitions.scoreboard", _l("Scoreboard"), "competitions.scoreboard",
            event.status != EventStatus.OPEN)
    add("competitions.chief", _l("Check and lock"), "competitions.chief_event")
    add("competitions.correct", _l("Corrections after the lock"), "competitions.corrections",
        decoded)
    add("competitions.arbitrate", _l("Arbitration: appeals"), "competitions.arbitration",
        decoded)
    if decoded and policy.may(current_user, "competitions.register"):
        delegation = db.session.scalar(select(Delegation).where(
            Delegation.competition_id == event.competition_id,
            Delegation.region_code == current_user.region_code))
        add("competitions.register", _l("Appeal"), "competitions.appeal_form",
            delegation is not None, delegation)
    if event.status == EventStatus.PUBLISHED:
        links.append((_l("Published results"), url_for("competitions.event_results",
                                                      event_id=event.id)))
    return links


def _label(table: dict[Any, Any]) -> Any:
    return lambda value: table.get(value, value)


def register(bp: Blueprint) -> None:
    for name, table in (("sheet_state", SHEET_LABELS), ("cell_state", CELL_LABELS),
                        ("competition_event_state", EVENT_STATE_LABELS),
                        ("correction_state", CORRECTION_LABELS),
                        ("appeal_decision", APPEAL_LABELS), ("aspect_kind", KIND_LABELS),
                        ("award_name", AWARD_LABELS)):
        bp.add_app_template_filter(_label(table), name)
    bp.add_app_template_filter(mark_text, "judged_mark")
    bp.add_app_template_filter(scale_hint, "scale_hint")
    bp.add_app_template_filter(input_limits, "input_limits")
    bp.add_app_template_global(judging_links, "judging_links")
