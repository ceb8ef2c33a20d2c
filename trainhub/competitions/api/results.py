"""Results under /api/v1: the organiser's standings (live from the submitted marks, by code
until the lock; the frozen results once published), publication, and the public results of
an event and of a competition with the delegations' medal table. The public operations need
no token (any token is accepted too); each awarded result carries the address where anyone
verifies its award certificate."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from trainhub.competitions import marking, result_queries, results
from trainhub.competitions.api import PUBLIC, READ, WRITE, Dumped, bp
from trainhub.competitions.api.outputs import (
    CompetitionResultsOut,
    EventResultsOut,
    StandingsOut,
)
from trainhub.competitions.api.present import aspect_out, coded
from trainhub.competitions.catalog import AWARD_NAMES, EventStatus
from trainhub.competitions.judging import loaders
from trainhub.competitions.judging.display import mark_text
from trainhub.competitions.models import Event
from trainhub.core import policy
from trainhub.core.documents import service as documents
from trainhub.core.errors import NotFound
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

ORGANISE = "competitions.organise"


def _verify_url(code: str | None) -> str | None:
    return documents.verify_url(code) if code else None


def _live_line(event: Event, line: results.Line, decoded: bool) -> dict[str, Any]:
    return {**coded(line.entry, decoded), "rank": line.rank,
            "marks": [{"aspect": a.code, "mark": mark_text(line.breakdown.get(a.code)) or None}
                      for a in event.aspects],
            "judgement_total": mark_text(line.judgement_total), "total": mark_text(line.total),
            "standardised": line.standardised, "award": line.award, "verification_url": None}


def _frozen_marks(event: Event, line: result_queries.PublishedLine) -> list[dict[str, Any]]:
    return [{"aspect": a.code, "mark": mark_text(m) or None}
            for a, m in zip(event.aspects, line.marks, strict=True)]


def _frozen_line(event: Event, line: result_queries.PublishedLine) -> dict[str, Any]:
    result = line.result
    return {**coded(line.entry, True), "rank": result.rank, "marks": _frozen_marks(event, line),
            "judgement_total": None, "total": mark_text(result.total),
            "standardised": result.standardised, "award": result.award,
            "verification_url": _verify_url(result.verification_code)}


@bp.get("/competitions/events/<int:event_id>/standings")
@bp.output(StandingsOut)
@bp.doc(operation_id="getEventStandings",
        summary="The organiser's scoreboard: standings from the submitted marks with "
                "provisional awards, by station and code until the lock (names null); the "
                "frozen results once published; no lines before the draw", **READ)
@policy.permission(ORGANISE)
def standings(event_id: int) -> Dumped:
    event = loaders.event(event_id, ORGANISE, with_names=True)
    decoded = marking.decoded(event)
    published = event.status == EventStatus.PUBLISHED
    if published:
        lines = [_frozen_line(event, line) for line in result_queries.published_lines(event)]
    elif event.status in (EventStatus.DRAWN, EventStatus.LOCKED):
        lines = [_live_line(event, line, decoded) for line in results.standings(event)]
    else:
        lines = []
    return {"event_id": event.id, "status": event.status, "decoded": decoded,
            "published": published, "lines": lines}


def _results_out(event: Event) -> dict[str, Any]:
    lines = [{"rank": line.result.rank, "station_no": line.entry.station_no,
              "contestants": [m.person.name for m in line.entry.members],
              "delegation": line.entry.delegation.name, "marks": _frozen_marks(event, line),
              "total": mark_text(line.result.total), "standardised": line.result.standardised,
              "award": line.result.award,
              "verification_url": _verify_url(line.result.verification_code)}
             for line in result_queries.published_lines(event)]
    log = [{"station_no": c.entry.station_no, "aspect": c.aspect.code, "judge": c.judge,
            "old_value": mark_text(c.correction.old_value),
            "new_value": mark_text(c.correction.new_value), "reason": c.correction.reason,
            "status": c.correction.status, "decided_at": c.correction.decided_at}
           for c in result_queries.corrections_log(event)]
    return {"event_id": event.id, "event_name": event.name,
            "competition_id": event.competition_id,
            "competition_name": event.competition.name, "published_at": event.published_at,
            "aspects": [aspect_out(a) for a in event.aspects], "results": lines,
            "corrections": log}


@bp.post("/competitions/events/<int:event_id>/publish")
@bp.output(EventResultsOut)
@bp.doc(operation_id="publishEventResults",
        summary="Publish a locked event's results once the appeal window has closed and "
                "every appeal and correction is decided: the results are frozen and award "
                "certificates issued", **WRITE)
@policy.permission(ORGANISE)
def publish(event_id: int) -> Dumped:
    event = loaders.event(event_id, ORGANISE, with_names=True)
    results.publish(event, current_user, utcnow())
    db.session.commit()
    return _results_out(loaders.published_event(event_id))


@bp.get("/competitions/events/<int:event_id>/results")
@bp.output(EventResultsOut)
@bp.doc(operation_id="getEventResults",
        summary="An event's published results, with the corrections log and each award "
                "certificate's verification address (public; 404 before publication)",
        **PUBLIC)
@policy.public
def event_results(event_id: int) -> Dumped:
    return _results_out(loaders.published_event(event_id))


@bp.get("/competitions/<int:competition_id>/results")
@bp.output(CompetitionResultsOut)
@bp.doc(operation_id="getCompetitionResults",
        summary="A competition's published events and the delegations' medal table "
                "(public; 404 while no event is published)", **PUBLIC)
@policy.public
def competition_results(competition_id: int) -> Dumped:
    competition = loaders.competition(competition_id)
    events = result_queries.published_events(competition.events)
    if not events:
        raise NotFound(loaders.NOT_PUBLISHED)
    medals = results.medal_table(competition)
    return {"competition_id": competition.id, "competition_name": competition.name,
            "events": [{"id": e.id, "name": e.name, "published_at": e.published_at}
                       for e in events],
            "medal_table": [{"delegation": row.delegation, "total": row.total,
                             "awards": [{"award": name, "count": n}
                                        for name, n in zip(AWARD_NAMES, row.counts,
                                                           strict=True)]}
                            for row in medals]}
