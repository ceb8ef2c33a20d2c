"""选拔优秀选手参加国内国际竞赛 (policy 二(三)3): once an event's results are published, its
organisers name contestants for a national or international competition, from the frozen
ranking and with the reason; a selection can be withdrawn, with a reason, and both steps are
in the audit log. The frozen results themselves never change."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from trainhub.competitions.catalog import EventStatus
from trainhub.competitions.models import Event, Result, Selection
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Conflict, DomainError, NotFound
from trainhub.extensions import db

LEVELS = {"national": _l("National competition"),
          "international": _l("International competition")}
REASON_MAX = 500


def _reason(text: str | None) -> str:
    reason = (text or "").strip()
    if not reason:
        raise DomainError(N_("Write why the contestant is selected."))
    if len(reason) > REASON_MAX:
        raise DomainError(N_("The reason is longer than %(max)s characters."), max=REASON_MAX)
    return reason


def _audit(action: str, event: Event, selection: Selection, **details: object) -> None:
    record(action, object_type="competition_event", object_id=event.id,
           region_code=event.competition.region_code,
           details={"result_id": selection.result_id, "level": selection.level, **details})


def select_result(event: Event, result_id: int, level: str, reason: str | None,
                  by: User) -> Selection:
    """Select the contestants of one published result of `event`."""
    if event.status != EventStatus.PUBLISHED:
        raise Conflict(N_("Contestants are selected from published results only."))
    if level not in LEVELS:
        raise DomainError(N_("Choose the national or the international competition."))
    text = _reason(reason)
    result = db.session.get(Result, result_id)
    if result is None or result.event_id != event.id:
        raise NotFound(N_("This result is not one of the event's."))
    taken = db.session.scalar(select(Selection.id).where(Selection.result_id == result_id))
    if taken is not None:
        raise Conflict(N_("These contestants are already selected."))
    selection = Selection(event_id=event.id, result_id=result_id, level=level, reason=text,
                          selected_by_id=by.id)
    db.session.add(selection)
    db.session.flush()
    _audit("competition.select", event, selection, reason=text)
    return selection


def withdraw(event: Event, selection_id: int, reason: str | None) -> None:
    """Withdraw a selection of `event`, with the reason (kept in the audit log)."""
    selection = db.session.get(Selection, selection_id)
    if selection is None or selection.event_id != event.id:
        raise NotFound(N_("This selection is not one of the event's."))
    text = _reason(reason)
    _audit("competition.select_withdraw", event, selection, reason=text)
    db.session.delete(selection)
    db.session.flush()


def of_event(event: Event) -> Sequence[Selection]:
    """The event's selections by rank (one statement: their results and entries are those
    the page has already read for the frozen table)."""
    return db.session.scalars(
        select(Selection).join(Result, Result.id == Selection.result_id)
        .where(Selection.event_id == event.id)
        .order_by(Result.rank, Result.entry_id)).all()
