"""What a judge sees and types: their sheet for each entry they may mark (by station and
anonymous code only), the state of each aspect on it, and the typed marks read field by
field, so that each refusal is shown beside its own input. Storing goes through
`marking.save_sheet`, which checks everything again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import case, or_, select

from trainhub.competitions import judging, marking, scoring
from trainhub.competitions.catalog import EntryStatus
from trainhub.competitions.models import Aspect, Assignment, Entry, Event, Mark, Resolution
from trainhub.competitions.schemes import scheme_of
from trainhub.core.accounts.models import User
from trainhub.core.errors import N_, DomainError, PermissionDenied, Phrase
from trainhub.extensions import db


class CellState(StrEnum):
    BLANK = "blank"          # nothing typed yet
    DRAFT = "draft"          # saved, not submitted: the judge may change it
    REOPENED = "reopened"    # the chief judge asked for this aspect to be marked again
    SUBMITTED = "submitted"  # the judge's submitted mark: read-only
    OTHER = "other"          # a measurement entered by another judge: read-only


class SheetState(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    REOPENED = "reopened"
    SUBMITTED = "submitted"


READ_ONLY = (CellState.SUBMITTED, CellState.OTHER)


@dataclass(frozen=True)
class Cell:
    aspect: Aspect
    value: Decimal | None
    state: CellState

    @property
    def editable(self) -> bool:
        return self.state not in READ_ONLY


@dataclass(frozen=True)
class Sheet:
    """One judge's sheet for one entry. `entry` is there for its id, station and code;
    nothing else of it may reach a judge's page."""

    entry: Entry
    cells: tuple[Cell, ...]

    @property
    def editable(self) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.editable)

    @property
    def state(self) -> SheetState:
        if not self.editable:
            return SheetState.SUBMITTED
        if any(c.state == CellState.REOPENED for c in self.cells):
            return SheetState.REOPENED
        if any(c.value is not None and c.editable for c in self.cells):
            return SheetState.DRAFT
        return SheetState.NOT_STARTED

    @property
    def marked(self) -> int:
        return sum(1 for c in self.cells if c.value is not None)


def _station(entry: Entry) -> int:
    return entry.station_no or 0


def markable_entries(event: Event, assignment: Assignment) -> list[Entry]:
    """The drawn entries this judge may mark, by station: their conflicts left out (none
    before the draw, when entries have no station or code yet)."""
    found = judging.conflicts(event)
    return sorted((e for e in event.entries if e.status == EntryStatus.CONFIRMED and e.code
                   and found.allowed(assignment.judge_id, e.id)), key=_station)


def may_mark(event: Event, assignment: Assignment, entry: Entry) -> bool:
    return entry.status == EntryStatus.CONFIRMED and judging.conflicts(event, [entry]).allowed(
        assignment.judge_id, entry.id)


def _reopened(event: Event) -> set[tuple[int, int]]:
    rows = db.session.execute(
        select(Resolution.entry_id, Resolution.aspect_id)
        .join(Entry, Entry.id == Resolution.entry_id)
        .where(Entry.event_id == event.id,
               Resolution.action == scoring.ResolutionAction.REMARKED.value))
    return {(entry_id, aspect_id) for entry_id, aspect_id in rows}


def sheets_of(event: Event, assignment: Assignment,
              entries: Sequence[Entry] | None = None) -> list[Sheet]:
    """The judge's sheets: two queries, whatever the number of entries."""
    whole = entries is None
    entries = list(entries) if entries is not None else markable_entries(event, assignment)
    marks: dict[tuple[int, int], _Mark] = {}
    if entries:  # read column by column: a judge's list holds a thousand marks (issue 13)
        mine = or_(Mark.slot == assignment.judge_id, Mark.slot == marking.MEASUREMENT_SLOT)
        # whether a mark is submitted, not when: a thousand moments converted for nothing
        submitted = case((Mark.submitted_at.is_(None), 0), else_=1)
        query = select(Mark.entry_id, Mark.aspect_id, Mark.judge_id, submitted,
                       Mark.value).where(mine)
        # the whole list: the event's marks by its id (the marks of entries left out are
        # never looked up), not an IN list of a hundred entry ids to bind and send
        query = (query.join(Entry, Entry.id == Mark.entry_id).where(Entry.event_id == event.id)
                 if whole else query.where(Mark.entry_id.in_([e.id for e in entries])))
        for mark in db.session.execute(query):
            marks[(mark.entry_id, mark.aspect_id)] = _Mark(*mark)
    reopened = _reopened(event)
    # ids read once: a thousand cells read them through the ORM's attributes otherwise
    aspects = [(a, a.id) for a in event.aspects]
    judge_id = assignment.judge_id
    found = []
    for entry in entries:
        entry_id = entry.id
        found.append(Sheet(entry, tuple(
            _cell(aspect, marks.get((entry_id, aspect_id)), judge_id,
                  (entry_id, aspect_id) in reopened) for aspect, aspect_id in aspects)))
    return found


class _Mark(NamedTuple):
    entry_id: int
    aspect_id: int
    judge_id: int | None
    submitted: int  # 1: submitted, 0: a draft
    value: Decimal


def _cell(aspect: Aspect, mark: _Mark | None, judge_id: int, reopened: bool) -> Cell:
    if mark is None:
        return Cell(aspect, None, CellState.BLANK)
    value = Decimal(mark.value)
    if mark.judge_id != judge_id:  # a measurement another judge entered
        return Cell(aspect, value, CellState.OTHER)
    if mark.submitted:
        return Cell(aspect, value, CellState.SUBMITTED)
    return Cell(aspect, value, CellState.REOPENED if reopened else CellState.DRAFT)


def sheet_of(event: Event, assignment: Assignment, entry: Entry) -> Sheet:
    return sheets_of(event, assignment, [entry])[0]


def next_to_mark(sheets: Sequence[Sheet], after: Entry) -> Sheet | None:
    """The first sheet after `after` (by station, wrapping round) still to be submitted."""
    order = sorted(sheets, key=lambda s: _station(s.entry))
    later = [s for s in order if _station(s.entry) > _station(after)]
    earlier = [s for s in order if _station(s.entry) < _station(after)]
    return next((s for s in [*later, *earlier] if s.state != SheetState.SUBMITTED), None)


FIELD_PREFIX = "mark-"


def field_name(aspect: Aspect) -> str:
    return f"{FIELD_PREFIX}{aspect.id}"


@dataclass(frozen=True)
class Typed:
    """The marks typed on a sheet: values of its editable aspects, and each refusal by
    aspect id (translated when shown)."""

    values: dict[int, Decimal | None]
    problems: dict[int, Phrase]
    raw: dict[int, str]


def _plain(number: Decimal) -> Decimal:
    """50.00 → 50 and 0.50 → 0.5 (never 5E+1), so that messages quote the scheme as
    it was typed."""
    return Decimal(format(number.normalize(), "f"))


def check_value(aspect: Aspect, value: Decimal) -> Phrase | None:
    """Why `value` is not a valid mark on `aspect` (the pure core's rule), or None."""
    pure = scheme_of([aspect]).aspects[0]
    pure = scoring.Aspect(pure.id, _plain(pure.max_mark), pure.kind, pure.scale,
                          _plain(pure.step))
    reason = scoring.validate_mark(pure, value)
    return Phrase(reason.message, **reason.params) if reason else None


ENTER_TO_SUBMIT = N_("Enter this mark before submitting the sheet.")


def read_typed(sheet: Sheet, form: Mapping[str, str], submit: bool) -> Typed:
    """Parse and check every editable field; a submitted sheet needs every one filled."""
    values: dict[int, Decimal | None] = {}
    problems: dict[int, Phrase] = {}
    raw: dict[int, str] = {}
    for cell in sheet.editable:
        text = raw[cell.aspect.id] = (form.get(field_name(cell.aspect)) or "").strip()
        try:
            value = marking.parse_mark(text)
        except DomainError as error:
            problems[cell.aspect.id] = Phrase(error.message, **error.params)
            continue
        if value is None and submit:
            problems[cell.aspect.id] = Phrase(ENTER_TO_SUBMIT)
        elif value is not None and (problem := check_value(cell.aspect, value)):
            problems[cell.aspect.id] = problem
        values[cell.aspect.id] = value
    return Typed(values, problems, raw)


def marking_assignment(event: Event, user: User) -> Assignment:
    """The user's marking assignment to the event; the chief judge supervises and does not
    mark (as `marking.save_sheet` also refuses)."""
    found = judging.assignment_of(event, user)
    if found is None or found.chief:
        raise PermissionDenied("competitions.mark", "competition_event", event.id)
    return found
