"""Registration of city delegations within the window and quotas, with automatic
eligibility checks (`admission`); confirmation by the organiser; withdrawals and
substitutions. The close of registration and the draw are in `draw`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select

from trainhub.competitions import admission, signals
from trainhub.competitions.catalog import ACTIVE_ENTRY, EntryStatus, EventStatus
from trainhub.competitions.models import Competition, Delegation, Entry, EntryMember, Event
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, Conflict, DomainError, Phrase, Phrases
from trainhub.core.idnumbers import mask_id
from trainhub.core.people.models import Person
from trainhub.core.regions import Region
from trainhub.extensions import db


def _audit(action: str, region_code: str, object_type: str, object_id: int,
           **details: object) -> None:
    record(action, object_type=object_type, object_id=object_id, region_code=region_code,
           details=details)


def delegation_for(competition: Competition, city_code: str) -> Delegation:
    found = db.session.scalar(select(Delegation).where(
        Delegation.competition_id == competition.id, Delegation.region_code == city_code))
    if found is None:
        city = db.session.get(Region, city_code)
        found = Delegation(competition_id=competition.id, region_code=city_code,
                           name=f"{city.name if city else city_code}代表队")
        db.session.add(found)
        db.session.flush()
    return found


def hold(event: Event, *, exclusive: bool = False) -> None:
    """Lock the event's row until the transaction ends and read it again, with its
    competition. Registrations share the lock (they do not wait for one another); a
    correction and the draw take it alone. So an entry is checked against the quota, team
    size and rules a concurrent correction has just saved, a correction counts the entries
    a concurrent registration has just made, and nothing is corrected after a concurrent
    draw. (SQLite lets one writer in at a time and has no row locks.)"""
    # The rows are fetched: that is when the objects are populated again.
    db.session.scalars(select(Event).where(Event.id == event.id)
                       .with_for_update(read=not exclusive)
                       .execution_options(populate_existing=True)).one()
    db.session.scalars(select(Competition).where(Competition.id == event.competition_id)
                       .execution_options(populate_existing=True)).one()


def registration_open(event: Event, today: date) -> bool:
    """Entries can be made, withdrawn and substituted now."""
    competition = event.competition
    return (event.status == EventStatus.OPEN
            and competition.registration_opens <= today <= competition.registration_closes)


def ready_to_draw(event: Event, today: date) -> bool:
    """Registration has closed and the event is neither drawn nor cancelled yet."""
    return event.status == EventStatus.OPEN and today > event.competition.registration_closes


def _require_window(event: Event, today: date) -> None:
    competition = event.competition
    if event.status != EventStatus.OPEN:
        raise Conflict(N_("This event is no longer open for registration."))
    if not competition.registration_opens <= today <= competition.registration_closes:
        raise DomainError(N_("Registration is open from %(opens)s to %(closes)s."),
                          opens=competition.registration_opens,
                          closes=competition.registration_closes)


def _check_entry(event: Event, delegation: Delegation, people: Sequence[Person],
                 replacing: Entry | None = None) -> None:
    """Every rule the entry breaks, raised together."""
    checks = Checks()
    if len(people) != event.team_size or len({p.id for p in people}) != len(people):
        checks.add(N_("An entry of this event has %(size)s different contestants."),
                   size=event.team_size)
    # Named by the masked number the officer typed, never by name: the officer of one city
    # must not learn who holds a number registered in another.
    outsiders = [mask_id(p.id_number) for p in people
                 if not p.household_region_code.startswith(delegation.region_code)]
    if outsiders:
        checks.add(N_("The people with the numbers %(numbers)s are not registered in this "
                      "delegation's city."), numbers="、".join(outsiders))
    taken = db.session.scalar(
        select(func.count()).select_from(EntryMember).join(Entry)
        .where(Entry.event_id == event.id, Entry.status.in_(ACTIVE_ENTRY),
               EntryMember.person_id.in_([p.id for p in people]),
               Entry.id != (replacing.id if replacing else 0)))
    if taken:
        checks.extend(Conflict(N_("A contestant is already entered in this event.")))
    refused = admission.check_people(event, people)
    if refused:
        checks.add(N_("Not eligible: %(reasons)s"),
                   reasons=Phrases([Phrase(r.msgid, **r.params) for r in refused]))
    checks.done()


def register(event: Event, delegation: Delegation, people: Sequence[Person], by: User,
             today: date) -> Entry:
    # One delegation registering from two browsers at once: its row decides the quota.
    db.session.execute(select(Delegation.id).where(Delegation.id == delegation.id)
                       .with_for_update())
    hold(event)
    _require_window(event, today)
    used = db.session.scalar(select(func.count()).select_from(Entry).where(
        Entry.event_id == event.id, Entry.delegation_id == delegation.id,
        Entry.status.in_(ACTIVE_ENTRY)))
    if (used or 0) >= event.quota:
        raise DomainError(N_("The delegation's quota for this event is %(quota)s entries; "
                             "it is used up."), quota=event.quota)
    _check_entry(event, delegation, people)
    entry = Entry(event_id=event.id, delegation_id=delegation.id, registered_by_id=by.id,
                  members=[EntryMember(person_id=p.id) for p in people])
    db.session.add(entry)
    db.session.flush()
    _audit("competition.register", delegation.region_code, "competition_entry", entry.id,
           event=event.id)
    return entry


def withdraw(entry: Entry, by: User, today: date) -> None:
    _require_window(entry.event, today)
    if entry.status not in ACTIVE_ENTRY:
        raise Conflict(N_("This entry is no longer active."))
    entry.status = EntryStatus.WITHDRAWN.value
    _audit("competition.withdraw", entry.delegation.region_code, "competition_entry",
           entry.id)


def substitute(entry: Entry, leaving: Person, joining: Person, by: User, today: date) -> None:
    hold(entry.event)
    _require_window(entry.event, today)
    member = next((m for m in entry.members if m.person_id == leaving.id), None)
    if member is None or entry.status not in ACTIVE_ENTRY:
        raise Conflict(N_("This contestant is not in this entry."))
    staying = [m.person for m in entry.members if m.person_id != leaving.id]
    _check_entry(entry.event, entry.delegation, [*staying, joining], replacing=entry)
    member.person_id = joining.id
    entry.status = EntryStatus.REGISTERED.value  # the organiser confirms the new team
    db.session.flush()
    _audit("competition.substitute", entry.delegation.region_code, "competition_entry",
           entry.id, left=leaving.id, joined=joining.id)


def decide(entry: Entry, confirm: bool, by: User, reason: str = "") -> None:
    """The organiser confirms an entry, or refuses it with the reason."""
    if entry.status != EntryStatus.REGISTERED or entry.event.status != EventStatus.OPEN:
        raise Conflict(N_("This entry has already been decided."))
    if not confirm and not reason.strip():
        raise DomainError(N_("Give the reason for the refusal."))
    entry.status = (EntryStatus.CONFIRMED if confirm else EntryStatus.REFUSED).value
    entry.decided_by_id = by.id
    if not confirm:
        entry.refusal_reasons = [{"msgid": reason.strip(), "params": {}}]
    _audit("competition.confirm" if confirm else "competition.refuse",
           entry.delegation.region_code, "competition_entry", entry.id)
    signals.entry_decided.send(entry, confirmed=confirm)
