"""Ranking a large event with the pure scoring core: 1,000 entries × 5 judges × 10 aspects.

No database: the time is the scoring core's own (validation, trimmed aggregation, totals,
tie-breaks, awards, flags, completeness, standardised scores). Run alone with
`python -m benchmarks.competition_scoring`, or with the others by `make bench`.
"""

from __future__ import annotations

import os
import random
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from flask import g
from sqlalchemy import select

from benchmarks import competition_world, pages
from benchmarks.harness import Report, compare
from trainhub.competitions.scoring import (
    Aspect,
    Mark,
    MarkingScheme,
    award_bands,
    awards_by_bands,
    completeness,
    disagreement_flags,
    rank_entries,
    score_entries,
    standardised_scores,
)
from trainhub.core.parameters.defaults import AWARD_BANDS
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

ENTRIES = int(os.environ.get("BENCH_ENTRIES", "1000"))
JUDGES = 5

SCHEME = MarkingScheme((
    *(Aspect.wsos(f"wsos{i}", Decimal(5 + i)) for i in range(4)),
    *(Aspect.points(f"points{i}", Decimal(10), step=Decimal("0.5")) for i in range(3)),
    *(Aspect.measurement(f"measure{i}", Decimal(10)) for i in range(3)),
))


def _marks(rng: random.Random) -> list[Mark]:
    marks = []
    for entry in range(ENTRIES):
        for aspect in SCHEME.aspects:
            if not aspect.is_judgement:
                marks.append(Mark(entry, aspect.id, None, Decimal(rng.randint(0, 1000)) / 100))
                continue
            for judge in range(JUDGES):
                value = (Decimal(rng.randint(0, 3)) if aspect.is_wsos
                         else Decimal(rng.randint(0, 20)) / 2)
                marks.append(Mark(entry, aspect.id, judge, value))
    return marks


def _results(marks: list[Mark]) -> object:
    scores = score_entries(SCHEME, marks, trim_min_judges=5)
    standings = rank_entries(SCHEME, scores)
    awards = awards_by_bands(standings, award_bands(AWARD_BANDS))
    standardised = standardised_scores({s.entry_id: s.total for s in scores})
    return standings, awards, standardised


def _lock_check(marks: list[Mark]) -> object:
    judges = {entry: range(JUDGES) for entry in range(ENTRIES)}
    flags = disagreement_flags(SCHEME, marks, Decimal(1), Decimal(20))
    return flags, completeness(SCHEME, judges, marks)


def pure_figures(report: Report) -> None:
    """The pure core alone, reported: what ranking costs without a database."""
    marks = _marks(random.Random(2025))
    report.add(compare(f"scoring core, {ENTRIES} entries ({len(marks)} marks)",
                       lambda: _results(marks), lambda: _lock_check(marks), goal=None,
                       notes={"floor": "flags and completeness"}))


def figures(report: Report, app: Any, scale: float) -> None:
    """Standings, lock + publish and the live scoreboard of a drawn event of 1,000 entries
    (× scale, at least 50) beside one SELECT of its marks and `/healthz`."""
    from trainhub.competitions import marking, results
    from trainhub.competitions.models import Event

    entries = max(50, int(ENTRIES * scale))
    with app.app_context():
        world = competition_world.build(entries)
    floor = partial(_read_marks, world.event_id)

    def standings() -> None:
        _fresh_request()
        results.standings(db.session.get(Event, world.event_id))

    def lock_and_publish() -> None:
        _fresh_request()
        event = db.session.get(Event, world.event_id)
        chief, organiser = (_user(world.chief), _user(world.organiser))
        now = utcnow()
        with db.session.begin_nested() as nested:
            marking.lock(event, chief, now)
            results.publish(event, organiser, now + timedelta(days=30))
            nested.rollback()

    with app.test_request_context():
        notes = {"entries": entries, "marks": world.marks}
        report.add(compare(f"standings, {entries} entries", standings, floor, goal=3,
                           notes=notes))
        report.add(compare(f"lock + publish, {entries} entries", lock_and_publish, floor,
                           goal=5, runs=3, notes=notes))
        db.session.rollback()
    client = app.test_client()
    pages.sign_in(client, world.organiser)
    report.add(pages.latency(client, f"scoreboard page, {entries} entries",
                             f"/competitions/events/{world.event_id}/scoreboard", goal=5))


def _fresh_request() -> None:
    """Each run as a new request would start: nothing loaded, nothing memoised."""
    db.session.expire_all()
    g.pop("competition_marks", None)


def _read_marks(event_id: int) -> None:
    from trainhub.competitions.models import Entry, Mark

    db.session.execute(select(Mark.entry_id, Mark.aspect_id, Mark.slot, Mark.judge_id,
                              Mark.value).join(Entry, Entry.id == Mark.entry_id)
                       .where(Entry.event_id == event_id, Mark.submitted_at.is_not(None))).all()


def _user(username: str) -> Any:
    from trainhub.core.accounts.models import User

    return db.session.scalars(select(User).where(User.username == username)).one()


def main() -> None:
    pure_figures(Report("none", 1.0))


if __name__ == "__main__":
    main()
