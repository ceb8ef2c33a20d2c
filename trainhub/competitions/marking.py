"""Marks: judges save drafts and submit their sheets; disagreements are flagged and the
chief judge resolves each (re-mark or confirm with a reason); the chief judge locks a
complete event; after the lock a mark changes only by a correction with a reason and a
second approver from the arbitration group, logged publicly. Judges see codes, never names,
until the lock."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import g, has_app_context
from sqlalchemy import Float, select, type_coerce, update
from sqlalchemy.exc import IntegrityError

from trainhub.competitions import judging, scoring
from trainhub.competitions.catalog import CorrectionStatus, EntryStatus, EventStatus
from trainhub.competitions.models import (
    Arbitrator,
    Aspect,
    Assignment,
    Correction,
    Entry,
    Event,
    Mark,
    Resolution,
)
from trainhub.competitions.schemes import scheme_of
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Conflict, DomainError, PermissionDenied, Phrase
from trainhub.core.parameters import service as parameters
from trainhub.extensions import db

MEASUREMENT_SLOT = 0


def _audit(action: str, event: Event, **details: object) -> None:
    record(action, object_type="competition_event", object_id=event.id,
           region_code=event.competition.region_code, details=details)


def parse_mark(raw: str) -> Decimal | None:
    """A typed mark; blank is no mark yet."""
    raw = (raw or "").strip().replace("，", ".").replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise DomainError(N_("“%(value)s” is not a number."), value=raw) from None
    if not value.is_finite():
        raise DomainError(N_("“%(value)s” is not a number."), value=raw)
    return value


def _slot(aspect: Aspect, assignment: Assignment) -> int:
    return MEASUREMENT_SLOT if aspect.kind == "measurement" else assignment.judge_id


def _check_can_mark(event: Event, assignment: Assignment | None, entry: Entry) -> Assignment:
    if assignment is None or assignment.chief:
        raise PermissionDenied("competitions.mark", "competition_event", event.id)
    if event.status != EventStatus.DRAWN:
        raise Conflict(N_("Marking is closed: the event is locked or not drawn yet."))
    if entry.event_id != event.id or entry.status != EntryStatus.CONFIRMED:
        raise DomainError(N_("This entry is not in the event."))
    if not judging.conflicts(event, [entry]).allowed(assignment.judge_id, entry.id):
        raise DomainError(N_("You may not mark this entry: it comes from your own city or "
                             "institution (回避)."))
    return assignment


def save_sheet(event: Event, assignment: Assignment | None, entry: Entry,
               values: Mapping[int, Decimal | None], submit: bool, now: datetime) -> int:
    """Store a judge's marks for one entry (aspect id → mark; None leaves it blank). A
    submitted sheet must be complete and can no longer be changed by the judge."""
    assignment = _check_can_mark(event, assignment, entry)
    aspects = {a.id: a for a in event.aspects}
    pure = {a.id: scheme_of([a]).aspects[0] for a in event.aspects}
    for aspect_id, value in values.items():
        if aspect_id not in aspects:
            raise DomainError(N_("Unknown aspect."))
        if value is not None and (reason := scoring.validate_mark(pure[aspect_id], value)):
            raise DomainError(N_("%(aspect)s: %(problem)s"), aspect=aspects[aspect_id].title,
                              problem=Phrase(reason.message, **reason.params))
    existing = {(m.aspect_id, m.slot): m for m in db.session.scalars(
        select(Mark).where(Mark.entry_id == entry.id))}
    if submit and _incomplete(aspects.values(), values, existing, assignment):
        raise DomainError(N_("Mark every aspect before submitting the sheet."))
    saved = 0
    try:
        with db.session.begin_nested():
            for aspect_id, value in values.items():
                if value is None:
                    continue
                saved += _put(existing, entry, aspects[aspect_id], assignment, value,
                              submit, now)
    except IntegrityError:  # another judge submitted the same measurement at this moment
        raise Conflict(N_("Another judge has just entered this sheet. Reload the page.")) \
            from None
    _audit("competition.marks_submit" if submit else "competition.marks_save", event,
           entry=entry.id, judge=assignment.judge_id, marks=saved)
    return saved


def _incomplete(aspects: Iterable[Aspect], values: Mapping[int, Decimal | None],
                existing: Mapping[tuple[int, int], Mark], assignment: Assignment) -> bool:
    """A judge's sheet is complete with their own mark on every judgement aspect and a mark
    on every measurement aspect, whoever entered it."""
    for aspect in aspects:
        slot = _slot(aspect, assignment)
        if values.get(aspect.id) is None and (aspect.id, slot) not in existing:
            return True
    return False


def _put(existing: dict[tuple[int, int], Mark], entry: Entry, aspect: Aspect,
         assignment: Assignment, value: Decimal, submit: bool, now: datetime) -> int:
    slot = _slot(aspect, assignment)
    mark = existing.get((aspect.id, slot))
    if mark is not None and mark.submitted_at is not None:
        if mark.value == value:
            return 0
        raise Conflict(N_("“%(aspect)s” was already submitted; ask the chief judge to reopen "
                          "it."), aspect=aspect.title)
    if mark is not None and mark.judge_id != assignment.judge_id:
        raise Conflict(N_("Another judge is entering “%(aspect)s”."), aspect=aspect.title)
    if mark is None:
        mark = Mark(entry_id=entry.id, aspect_id=aspect.id, judge_id=assignment.judge_id,
                    slot=slot, value=value)
        db.session.add(mark)
    mark.value, mark.updated_at = value, now
    if submit:
        mark.submitted_at = now
    db.session.flush()
    return 1


# --- flags, completeness, lock ---------------------------------------------------------

def pure_marks(event: Event, submitted_only: bool = True) -> list[scoring.Mark]:
    """The event's marks on its confirmed entries as the scoring core's values, read column
    by column (no ORM objects). Standings, flags and completeness each ask for them; within
    one app context they are read once, and again only when `marks_version` has moved."""
    return _read_marks(event, submitted_only).marks


def grouped_marks(event: Event) -> scoring.GroupedMarks:
    """The submitted marks grouped and checked against the event's scheme, once per app
    context while they stay the same: what standings, flags and completeness share."""
    read = _read_marks(event, True)
    if read.grouped is None:
        read.grouped = scoring.group_marks(scheme_of(event.aspects), read.marks)
    return read.grouped


@dataclass
class _Read:
    version: int
    marks: list[scoring.Mark]
    grouped: scoring.GroupedMarks | None = None


def _read_marks(event: Event, submitted_only: bool) -> _Read:
    version = marks_version(event)
    memo: dict[tuple[int, bool], _Read] = \
        g.setdefault("competition_marks", {}) if has_app_context() else {}
    cached = memo.get((event.id, submitted_only))
    if cached is not None and cached.version == version:
        return cached
    codes = {a.id: a.code for a in event.aspects}
    connection = db.session.connection()
    value, decimal_of = _mark_values(connection.dialect)
    stmt = select(Mark.entry_id, Mark.aspect_id, Mark.slot, Mark.judge_id, value).join(
        Entry, Entry.id == Mark.entry_id).where(
        Entry.event_id == event.id, Entry.status == EntryStatus.CONFIRMED.value)
    if submitted_only:
        stmt = stmt.where(Mark.submitted_at.is_not(None))
    # Through the session's connection: plain columns need none of the ORM's row handling,
    # which cost a third of reading 38,000 marks (the same transaction, the same rows).
    marks = [scoring.Mark(entry_id, codes[aspect_id],
                          None if slot == MEASUREMENT_SLOT else judge_id, decimal_of(raw))
             for entry_id, aspect_id, slot, judge_id, raw in connection.execute(stmt)]
    read = memo[(event.id, submitted_only)] = _Read(version, marks)
    return read


def _mark_values(dialect: Any) -> tuple[Any, Callable[[Any], Decimal]]:
    """The column to select for a mark's value and what makes its Decimal. SQLite hands
    back plain numbers, which the column type turns into a Decimal one by one (a third of
    reading an event's 38,000 marks): here the column's own conversion runs once per
    distinct value, a few hundred per event, so the Decimals are the same. Elsewhere the
    driver gives Decimals already."""
    process = Mark.__table__.c.value.type.result_processor(dialect, None)
    if dialect.name != "sqlite" or process is None:
        return Mark.value, _same
    convert: Callable[[Any], Any] = process
    made: dict[Any, Decimal] = {}

    def decimal_of(raw: Any) -> Decimal:
        found = made.get(raw)
        if found is None:
            found = made[raw] = convert(raw)
        return found

    return type_coerce(Mark.value, Float), decimal_of


def _same(value: Decimal) -> Decimal:
    return value


def marks_version(event: Event) -> int:
    """Moves whenever a mark of the event is added, removed, submitted, reopened or changed,
    and when an entry, a resolution or a judge's assignment changes: the count the
    database's triggers keep (migration 0014), whatever wrote the rows. Read from the row,
    not the loaded object, which a trigger does not refresh."""
    db.session.flush()
    return int(db.session.scalar(select(Event.marks_version).where(Event.id == event.id))
               or 0)


THRESHOLDS = ("competitions.disagreement_wsos_points", "competitions.disagreement_percent",
              "competitions.trim_min_judges")


def thresholds(event: Event) -> tuple[Decimal, Decimal, int]:
    """The disagreement limits (WorldSkills points, percent of the scale) and the fewest
    judges for trimming, in force on the event's day in its region."""
    on, region = event.age_reference_date, event.competition.region_code
    found = parameters.values_with_source(THRESHOLDS, on, region)  # one statement for three
    wsos, percent, fewest = (found[key].value for key in THRESHOLDS)
    if not (isinstance(wsos, Decimal) and isinstance(percent, Decimal)
            and isinstance(fewest, int)):
        raise TypeError(f"parameters {THRESHOLDS} are not two decimals and a whole number")
    return wsos, percent, fewest


def _resolutions(event: Event) -> list[scoring.Resolution]:
    codes = {a.id: a.code for a in event.aspects}
    rows = db.session.scalars(select(Resolution).join(Entry, Entry.id == Resolution.entry_id)
                              .where(Entry.event_id == event.id).order_by(Resolution.id))
    return [scoring.Resolution(r.entry_id, codes[r.aspect_id],
                               scoring.ResolutionAction(r.action),
                               frozenset((int(j), Decimal(v)) for j, v in r.marks.items()),
                               r.reason) for r in rows]


def open_flags(event: Event) -> list[scoring.Flag]:
    wsos, percent, _trim = thresholds(event)
    scheme = scheme_of(event.aspects)
    flags = scoring.disagreement_flags(scheme, grouped_marks(event), wsos, percent)
    return list(scoring.unresolved_flags(flags, _resolutions(event)))


def resolve_flag(event: Event, flag: scoring.Flag, by: User, remark: bool, reason: str) -> None:
    """Confirm the marks with a reason, or reopen them for the judges to mark again."""
    if event.status != EventStatus.DRAWN:
        raise Conflict(N_("Flags are resolved before the lock."))
    if not remark and not reason.strip():
        raise DomainError(N_("Give the reason for confirming marks that disagree."))
    aspect = next(a for a in event.aspects if a.code == flag.aspect_id)
    resolution = flag.remarked(reason) if remark else flag.confirm(reason)
    db.session.add(Resolution(entry_id=int(flag.entry_id), aspect_id=aspect.id,
                              action=resolution.action.value, reason=reason.strip(),
                              marks={str(j): str(v) for j, v in resolution.marks},
                              resolved_by_id=by.id))
    if remark:  # the judges' submitted marks reopen as drafts
        db.session.execute(update(Mark).where(Mark.entry_id == int(flag.entry_id),
                                              Mark.aspect_id == aspect.id)
                           .values(submitted_at=None))
    db.session.flush()
    _audit("competition.flag_resolve", event, entry=int(flag.entry_id), aspect=aspect.code,
           resolution=resolution.action.value)


def completeness(event: Event) -> scoring.Completeness:
    judges = judging.judges_by_entry(event, judging.conflicts(event))
    return scoring.completeness(scheme_of(event.aspects), judges, grouped_marks(event))


def lock(event: Event, by: User, now: datetime) -> None:
    """The chief judge locks a complete event with no open flag; names can then be read."""
    check = completeness(event)
    if not check.complete:
        raise DomainError(N_("%(count)s marks are still missing; the event cannot be "
                             "locked."), count=len(check.missing))
    flags = open_flags(event)
    if flags:
        raise DomainError(N_("%(count)s disagreements are not resolved yet."), count=len(flags))
    stmt = (update(Event).where(Event.id == event.id, Event.status == EventStatus.DRAWN.value)
            .values(status=EventStatus.LOCKED.value, locked_at=now, locked_by_id=by.id,
                    ends_at=event.ends_at or now))
    if db.session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(N_("This event is already locked."))
    db.session.refresh(event)
    _audit("competition.lock", event)


def decoded(event: Event) -> bool:
    """Names, cities and institutions may be shown with the codes."""
    return event.status in (EventStatus.LOCKED, EventStatus.PUBLISHED)


def require_decoded(event: Event) -> None:
    if not decoded(event):
        raise Conflict(N_("The codes are decoded only after the chief judge locks the "
                          "marks."))


# --- corrections after the lock --------------------------------------------------------

def is_arbitrator(event: Event, user: User) -> bool:
    return db.session.scalar(select(Arbitrator.id).where(
        Arbitrator.competition_id == event.competition_id, Arbitrator.user_id == user.id)) \
        is not None


def request_correction(event: Event, mark: Mark, new_value: Decimal, reason: str,
                       by: User) -> Correction:
    if event.status != EventStatus.LOCKED:
        raise Conflict(N_("Corrections are made after the lock and before publication."))
    if not reason.strip():
        raise DomainError(N_("A correction needs a reason."))
    aspect = next(a for a in event.aspects if a.id == mark.aspect_id)
    if problem := scoring.validate_mark(scheme_of([aspect]).aspects[0], new_value):
        raise DomainError(N_("%(aspect)s: %(problem)s"), aspect=aspect.title,
                          problem=Phrase(problem.message, **problem.params))
    correction = Correction(mark_id=mark.id, old_value=mark.value, new_value=new_value,
                            reason=reason.strip(), requested_by_id=by.id)
    db.session.add(correction)
    db.session.flush()
    _audit("competition.correction_request", event, correction=correction.id)
    return correction


def approve_correction(event: Event, correction: Correction, by: User, approve: bool,
                       now: datetime) -> None:
    """A second person of the arbitration group decides; an approved change is applied."""
    if not is_arbitrator(event, by):
        raise DomainError(N_("Only a member of the arbitration group approves corrections."))
    if by.id == correction.requested_by_id:
        raise DomainError(N_("A correction needs a second approver: not the person who "
                             "asked for it."))
    status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REFUSED
    stmt = (update(Correction).where(Correction.id == correction.id,
                                     Correction.status == CorrectionStatus.PENDING.value)
            .values(status=status.value, approved_by_id=by.id, decided_at=now))
    if db.session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(N_("This correction has already been decided."))
    if approve:
        db.session.execute(update(Mark).where(Mark.id == correction.mark_id)
                           .values(value=correction.new_value, updated_at=now))
    db.session.refresh(correction)
    _audit("competition.correction_" + status.value, event, correction=correction.id)


def corrections(event: Event) -> Sequence[Correction]:
    return db.session.scalars(
        select(Correction).join(Mark, Mark.id == Correction.mark_id)
        .join(Entry, Entry.id == Mark.entry_id).where(Entry.event_id == event.id)
        .order_by(Correction.id)).all()
