"""Results: totals, ranking with the tie-break chain, awards, the standardised score, the
delegations' medal table; appeals within the window; publication, which freezes the results
and issues the award certificates (verifiable like every certificate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import force_locale, gettext
from sqlalchemy import insert, select, update

from trainhub.competitions import marking, scoring, signals
from trainhub.competitions.catalog import AWARD_NAMES, EntryStatus, EventStatus
from trainhub.competitions.models import (
    Appeal,
    Competition,
    Delegation,
    Entry,
    EntryMember,
    Event,
    Result,
)
from trainhub.competitions.schemes import scheme_of
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.documents import service as documents
from trainhub.core.errors import N_, Conflict, DomainError
from trainhub.core.parameters import service as parameters
from trainhub.core.people.models import Person
from trainhub.extensions import db

CERTIFICATE_TITLE = N_("Award Certificate of the Vocational Skills Competition")


@dataclass(frozen=True)
class Line:
    entry: Entry
    rank: int
    total: Decimal
    judgement_total: Decimal
    breakdown: dict[str, Decimal | None]
    award: str | None
    standardised: int | None
    decided_by: str | None


def _audit(action: str, event: Event, **details: object) -> None:
    record(action, object_type="competition_event", object_id=event.id,
           region_code=event.competition.region_code, details=details)


def standings(event: Event) -> list[Line]:
    """The ranking from the submitted marks (a live scoreboard before the lock)."""
    scheme = scheme_of(event.aspects)
    entries = {e.id: e for e in event.entries if e.status == EntryStatus.CONFIRMED}
    on, region = event.age_reference_date, event.competition.region_code
    trim = parameters.int_value("competitions.trim_min_judges", on, region)
    scores = scoring.score_entries(scheme, marking.grouped_marks(event), trim, list(entries))
    chain = event.tie_breaks or list(scoring.DEFAULT_TIE_BREAKS)
    ranked = scoring.rank_entries(scheme, scores, chain)
    awards = {a.entry_id: a.award for a in _awards(event, ranked, on, region)}
    standard = scoring.standardised_scores({s.entry_id: s.total for s in ranked}) \
        if len(ranked) > 1 else {}
    return [Line(entries[int(s.entry_id)], s.rank, s.total, s.score.judgement_total,
                 s.score.breakdown, awards.get(s.entry_id), standard.get(s.entry_id),
                 s.decided_by)
            for s in ranked]


def _awards(event: Event, ranked: tuple[scoring.Standing, ...], on: object,
            region: str) -> tuple[scoring.Award, ...]:
    if event.award_rule == "ratio" and event.award_ratios:
        return scoring.awards_by_ratio(ranked, [(n, Decimal(p)) for n, p in event.award_ratios])
    bands = scoring.award_bands(parameters.value("competitions.award_bands", on,  # type: ignore[arg-type]
                                                 region))
    return scoring.awards_by_bands(ranked, bands)


# --- appeals ---------------------------------------------------------------------------

def set_end(event: Event, ends_at: datetime, by: User) -> None:
    """The organiser records when the event ends; the appeal window runs from then. Fixed
    at the lock (the lock sets it when empty), so the window cannot move afterwards."""
    if event.status not in (EventStatus.OPEN, EventStatus.DRAWN):
        raise Conflict(N_("The end of the event is fixed once the marks are locked."))
    event.ends_at = ends_at
    db.session.flush()
    _audit("competition.event_end", event, ends_at=ends_at.isoformat())


def _window(event: Event) -> int:
    return parameters.int_value("competitions.appeal_window_hours", event.age_reference_date,
                                event.competition.region_code)


def appeal_closes_at(event: Event) -> datetime | None:
    """When the appeal window closes (None until the end of the event is known)."""
    if event.ends_at is None:
        return None
    return event.ends_at + timedelta(hours=_window(event))


def appeal_open(event: Event, now: datetime) -> bool:
    return (event.status == EventStatus.LOCKED and event.ends_at is not None
            and scoring.appeal_open(event.ends_at, now, _window(event)))


def file_appeal(event: Event, entry: Entry, content: str, by: User, now: datetime) -> Appeal:
    if not appeal_open(event, now):
        raise DomainError(N_("Appeals are received within %(hours)s hours after the event "
                             "ends; the window is closed."), hours=_window(event))
    if not content.strip():
        raise DomainError(N_("Describe the appeal."))
    appeal = Appeal(event_id=event.id, entry_id=entry.id, content=content.strip(),
                    filed_by_id=by.id)
    db.session.add(appeal)
    db.session.flush()
    _audit("competition.appeal", event, appeal=appeal.id, entry=entry.id)
    return appeal


def decide_appeal(event: Event, appeal: Appeal, upheld: bool, note: str, by: User,
                  now: datetime) -> None:
    if not marking.is_arbitrator(event, by):
        raise DomainError(N_("Only a member of the arbitration group decides appeals."))
    if not note.strip():
        raise DomainError(N_("Record the arbitration group's reasons."))
    stmt = (update(Appeal).where(Appeal.id == appeal.id, Appeal.decision.is_(None))
            .values(decision="upheld" if upheld else "dismissed", decision_note=note.strip(),
                    decided_by_id=by.id, decided_at=now))
    if db.session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(N_("This appeal has already been decided."))
    db.session.refresh(appeal)
    _audit("competition.appeal_decided", event, appeal=appeal.id, upheld=upheld)
    signals.appeal_decided.send(appeal, event=event, upheld=upheld)


# --- publication -----------------------------------------------------------------------

def check_publishable(event: Event, now: datetime) -> None:
    """Refuse publication that cannot happen now (raises the rule not met)."""
    if event.status != EventStatus.LOCKED:
        raise Conflict(N_("Only a locked event can be published."))
    if appeal_open(event, now):
        assert event.ends_at is not None
        raise DomainError(N_("The appeal window is open until %(time)s."),
                          time=event.ends_at + timedelta(hours=_window(event)))
    if db.session.scalar(select(Appeal.id).where(Appeal.event_id == event.id,
                                                 Appeal.decision.is_(None))):
        raise DomainError(N_("Decide every appeal before publishing."))
    if any(c.status == "pending" for c in marking.corrections(event)):
        raise DomainError(N_("Decide every correction before publishing."))


@dataclass(frozen=True)
class Published:
    entry_id: int
    rank: int
    award: str | None
    verification_code: str | None


def publish(event: Event, by: User, now: datetime) -> list[Published]:
    """After the lock, the appeal window and every appeal and correction decided: the
    results are frozen and award certificates issued, each set in one bulk insert."""
    check_publishable(event, now)
    lines = standings(event)
    awarded = [line for line in lines if line.award]
    names = _member_names([line.entry.id for line in awarded])
    codes = dict(zip((line.entry.id for line in awarded), documents.issue_many(
        "award", [award_facts(event, line, names[line.entry.id]) for line in awarded],
        region_code=event.competition.region_code, valid_from=event.competition.ends_on),
        strict=True))
    rows = [result_row(event, line, codes.get(line.entry.id)) for line in lines]
    if rows:
        db.session.execute(insert(Result), rows)
    event.status, event.published_at = EventStatus.PUBLISHED.value, now
    db.session.flush()
    _audit("competition.publish", event, entries=len(rows))
    published = [Published(row["entry_id"], row["rank"], row["award"],
                           row["verification_code"]) for row in rows]
    signals.results_published.send(event, published=published)
    return published


def result_row(event: Event, line: Line, code: str | None) -> dict[str, Any]:
    """The frozen result of one line, as inserted: an aspect without a mark is null."""
    return {"event_id": event.id, "entry_id": line.entry.id, "rank": line.rank,
            "total": line.total, "standardised": line.standardised, "award": line.award,
            "breakdown": {k: None if v is None else str(v) for k, v in line.breakdown.items()},
            "verification_code": code}


def _member_names(entry_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {e: [] for e in entry_ids}
    for start in range(0, len(entry_ids), 500):
        for entry_id, name in db.session.execute(
                select(EntryMember.entry_id, Person.name)
                .join(Person, Person.id == EntryMember.person_id)
                .where(EntryMember.entry_id.in_(entry_ids[start:start + 500]))
                .order_by(EntryMember.id)):
            names[entry_id].append(name)
    return names


def awards_to_issue(event: Event) -> int:
    """How many award certificates publishing the event would issue now (0 unless it is
    locked), for the organiser to read before confirming."""
    if event.status != EventStatus.LOCKED:
        return 0
    return sum(1 for line in standings(event) if line.award)


def award_facts(event: Event, line: Line, names: list[str] | None = None) -> list[list[str]]:
    """Frozen in Chinese, the certificate's language; no ID number on a public page.
    `names`: the entry's contestants, when read already for a whole publication."""
    names_text = "、".join(names if names is not None
                          else [m.person.name for m in line.entry.members])
    with force_locale("zh_Hans_CN"):
        return [[N_("Name"), names_text], [N_("Delegation"), line.entry.delegation.name],
                [N_("Competition"), event.competition.name], [N_("Event"), event.name],
                [N_("Rank"), gettext("No. %(rank)s", rank=line.rank)],
                [N_("Award"), line.award or ""]]


def medal_table(competition: Competition) -> tuple[scoring.MedalRow, ...]:
    rows = db.session.execute(
        select(Delegation.name, Result.award).join(Entry, Entry.id == Result.entry_id)
        .join(Delegation, Delegation.id == Entry.delegation_id)
        .where(Delegation.competition_id == competition.id, Result.award.is_not(None)))
    names = db.session.scalars(select(Delegation.name).where(
        Delegation.competition_id == competition.id)).all()
    return scoring.medal_table([(d, a) for d, a in rows if a], AWARD_NAMES, names)
