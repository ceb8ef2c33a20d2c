"""Judges: the registry, assignment to events by the organiser, and conflicts of interest
(回避): a judge never marks an entry from their own city or institution. The conflicts are
computed in one place and read by the assignment page, the marking form and the service
that stores marks.

Beside it in this package, for the judging and results pages: `loaders` (what they load,
and the permission checked on it), `forms` and `display` (labels, marks written out, the
template helpers)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from trainhub.competitions.catalog import EntryStatus, EventStatus
from trainhub.competitions.models import Assignment, Delegation, Entry, EntryMember, Event, Judge
from trainhub.core.accounts.models import Role, User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Conflict, DomainError
from trainhub.core.regions import Region
from trainhub.extensions import db
from trainhub.training.catalog import EnrolmentStatus
from trainhub.training.models import Batch, Enrolment

JUDGE_ROLES = (Role.JUDGE, Role.CHIEF_JUDGE)


def register_judge(user: User, name: str, home_city: str, institution_id: int | None,
                   specialties: Sequence[str]) -> Judge:
    if user.role not in JUDGE_ROLES:
        raise DomainError(N_("Only a judge's account can be registered as a judge."))
    city = db.session.get(Region, home_city)
    if city is None or len(home_city) != 4:
        raise DomainError(N_("Choose the judge's home city."))
    if db.session.scalar(select(Judge.id).where(Judge.user_id == user.id)):
        raise Conflict(N_("This account is already in the judges' registry."))
    judge = Judge(user_id=user.id, name=name.strip() or user.display_name,
                  home_region_code=home_city, institution_id=institution_id,
                  specialties=sorted(set(specialties)))
    db.session.add(judge)
    db.session.flush()
    record("competition.judge_register", object_type="competition_judge", object_id=judge.id,
           details={"city": home_city})
    return judge


def assign(event: Event, judge: Judge, chief: bool) -> Assignment:
    if event.status in (EventStatus.LOCKED, EventStatus.PUBLISHED, EventStatus.CANCELLED):
        raise Conflict(N_("Judges can no longer be assigned to this event."))
    if any(a.judge_id == judge.id for a in event.assignments):
        raise Conflict(N_("This judge is already assigned to the event."))
    if chief and any(a.chief for a in event.assignments):
        raise Conflict(N_("The event already has a chief judge.")).on("chief")
    assignment = Assignment(event_id=event.id, judge_id=judge.id, chief=chief)
    event.assignments.append(assignment)
    db.session.flush()
    record("competition.assign", object_type="competition_event", object_id=event.id,
           region_code=event.competition.region_code,
           details={"judge": judge.id, "chief": chief})
    return assignment


def unassign(event: Event, assignment: Assignment) -> None:
    if event.status != EventStatus.OPEN:
        raise Conflict(N_("Judges are changed only before the draw."))
    record("competition.unassign", object_type="competition_event", object_id=event.id,
           region_code=event.competition.region_code, details={"judge": assignment.judge_id})
    event.assignments.remove(assignment)
    db.session.delete(assignment)


@dataclass(frozen=True)
class Conflicts:
    """For each (judge, entry) pair of an event that must not meet, why."""

    reasons: dict[tuple[int, int], str]

    def allowed(self, judge_id: int, entry_id: int) -> bool:
        return (judge_id, entry_id) not in self.reasons


CHUNK = 500  # ids per IN (...) list
SAME_CITY = N_("the judge's own city")
SAME_INSTITUTION = N_("the judge's own institution")


def _institutions_of(entry_ids: Sequence[int], event_id: int | None = None) -> dict[int, set[int]]:
    """The training institutions of each entry's contestants (their admitted enrolments),
    in one query: entry → member → admitted enrolment → batch. With `event_id`, the
    entries are those of the event (one parameter where an IN list bound one an entry)."""
    found: dict[int, set[int]] = {e: set() for e in entry_ids}
    query = (select(EntryMember.entry_id, Batch.institution_id)
             .join(Enrolment, Enrolment.person_id == EntryMember.person_id)
             .join(Batch, Batch.id == Enrolment.batch_id)
             .where(Enrolment.status == EnrolmentStatus.ADMITTED.value))
    for where in _entries_where(EntryMember.entry_id, entry_ids, event_id):
        for entry_id, institution_id in db.session.execute(query.where(*where)):
            if entry_id in found:
                found[entry_id].add(institution_id)
    return found


def _cities_of(entry_ids: Sequence[int], event_id: int | None = None) -> dict[int, str]:
    """Each entry's delegation city, without loading the delegations one entry at a time."""
    wanted = set(entry_ids)
    found: dict[int, str] = {}
    query = select(Entry.id, Delegation.region_code).join(
        Delegation, Delegation.id == Entry.delegation_id)
    for where in _entries_where(Entry.id, entry_ids, event_id):
        found.update((entry_id, city) for entry_id, city in db.session.execute(
            query.where(*where)) if entry_id in wanted)
    return found


def _entries_where(column: Any, entry_ids: Sequence[int],
                   event_id: int | None) -> list[tuple[Any, ...]]:
    """The conditions of each query for these entries: the event's entries when the event
    is given (the caller keeps those it asked for), else IN lists of CHUNK ids."""
    if event_id is not None:
        inside = select(Entry.id).where(Entry.event_id == event_id).scalar_subquery()
        return [(column.in_(inside),)] if entry_ids else []
    return [(column.in_(entry_ids[start:start + CHUNK]),)
            for start in range(0, len(entry_ids), CHUNK)]


def conflicts(event: Event, entries: Sequence[Entry] | None = None) -> Conflicts:
    """Three queries whatever the size: the entries' cities and institutions, and the
    event's judges (assignments come loaded with the event)."""
    active = [e.id for e in (entries if entries is not None else event.entries)
              if e.status == EntryStatus.CONFIRMED]
    # all of the event's entries: their cities read by the event's id (issue 13). The
    # institutions keep their IN list: given a subquery, SQLite starts from every admitted
    # enrolment (0.7 s at province scale) instead of from the entries' members
    whole = event.id if entries is None else None
    institutions, cities = _institutions_of(active), _cities_of(active, whole)
    reasons: dict[tuple[int, int], str] = {}
    for assignment in event.assignments:
        judge = assignment.judge
        for entry_id in active:
            if cities[entry_id] == judge.home_region_code:
                reasons[(judge.id, entry_id)] = SAME_CITY
            elif judge.institution_id and judge.institution_id in institutions[entry_id]:
                reasons[(judge.id, entry_id)] = SAME_INSTITUTION
    return Conflicts(reasons)


def judges_by_entry(event: Event, found: Conflicts) -> dict[int, list[int]]:
    """Who marks each confirmed entry: the assigned judges minus their conflicts. The chief
    judge supervises and does not mark (as a WorldSkills chief expert)."""
    judges = [a.judge_id for a in event.assignments if not a.chief]
    return {e.id: [j for j in judges if found.allowed(j, e.id)]
            for e in event.entries if e.status == EntryStatus.CONFIRMED}


def assignment_of(event: Event, user: User) -> Assignment | None:
    return next((a for a in event.assignments if a.judge.user_id == user.id), None)

