"""The marks of an event are read once per request and shared by standings, flags and
completeness (issue 13); a change made by any path afterwards, even a plain UPDATE that
skips the services, is seen by the next reading in the same app context."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from tests.competitions import builders
from tests.competitions.builders import CLOSES
from trainhub.competitions import drawing, judging, marking, results, scoring
from trainhub.competitions.models import Mark
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db


@pytest.fixture
def marked(contest):
    entries = builders.confirmed_entries(contest.event, ("3601", "3607", "3602", "3603"),
                                         contest.organiser)
    panel = [judging.assign(contest.event, builders.judge(city), False).judge
             for city in ("3604", "3605")]
    judging.assign(contest.event, builders.judge("3605", chief=True), True)
    drawing.draw(contest.event, contest.organiser, CLOSES + timedelta(days=1))
    ids = {a.code: a.id for a in contest.event.aspects}
    for entry in entries:
        for n, judge in enumerate(panel):
            marks = {ids["B"]: Decimal(2), ids["C"]: Decimal(40)}
            if n == 0:
                marks[ids["A"]] = Decimal(18)
            assignment = next(a for a in contest.event.assignments if a.judge_id == judge.id)
            marking.save_sheet(contest.event, assignment, entry, marks, submit=True,
                               now=utcnow())
    return contest.event, entries


def _mark_reads(call):
    """How many statements reading the marks' values `call` runs."""
    seen = []

    def count(_conn, _cursor, statement, *_args):
        if "competition_marks.value" in statement and "sum(" not in statement.lower():
            seen.append(statement)

    sa_event.listen(Engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        sa_event.remove(Engine, "before_cursor_execute", count)
    return len(seen)


def test_standings_flags_and_completeness_share_one_reading(marked):
    event, _entries = marked
    assert _mark_reads(lambda: (results.standings(event), marking.open_flags(event),
                                marking.completeness(event))) == 1


def _measurement(entry_id):
    return db.session.scalars(select(Mark).where(
        Mark.entry_id == entry_id, Mark.slot == marking.MEASUREMENT_SLOT)).one()


@pytest.mark.parametrize("change", ["value", "swap", "reopen", "delete"])
def test_a_change_by_any_path_is_read_again(marked, change):
    event, entries = marked
    first, second = (_measurement(e.id) for e in entries[:2])
    second.value = Decimal(12)  # the two measurements differ, so a swap changes totals
    db.session.flush()
    before = {line.entry.id: line.total for line in results.standings(event)}
    if change == "value":  # a plain UPDATE, updated_at untouched
        db.session.execute(update(Mark).where(Mark.id == first.id).values(value=Decimal(10)))
    elif change == "swap":  # two values exchanged: their plain sum stays the same
        db.session.execute(update(Mark).where(Mark.id == first.id).values(value=Decimal(12)))
        db.session.execute(update(Mark).where(Mark.id == second.id).values(value=Decimal(18)))
    elif change == "reopen":
        db.session.execute(update(Mark).where(Mark.id == first.id).values(submitted_at=None))
    else:
        db.session.delete(first)
    db.session.expire_all()
    fresh = marking.pure_marks(event)
    expected = db.session.execute(select(Mark.entry_id, Mark.value)
                                  .where(Mark.submitted_at.is_not(None))).all()
    assert sorted((m.entry_id, m.value) for m in fresh) == sorted(tuple(r) for r in expected)
    after = {line.entry.id: line.total for line in results.standings(event)}
    assert after[entries[0].id] != before[entries[0].id]


def test_grouped_marks_belong_to_their_scheme(marked):
    event, _entries = marked
    grouped = marking.grouped_marks(event)
    other = scoring.MarkingScheme((scoring.Aspect.measurement("X", Decimal(10)),))
    with pytest.raises(ValueError, match="another marking scheme"):
        scoring.score_entries(other, grouped, 5)


def test_the_marks_read_are_the_decimals_the_column_gives(marked):
    """On SQLite the values' Decimals are made once per distinct value, not per mark: they
    must be the ones the column's own reading gives, scale included (2.50, not 2.5)."""
    event, _entries = marked
    db.session.execute(update(Mark).where(Mark.id == db.session.scalars(
        select(Mark.id).where(Mark.submitted_at.is_not(None)).limit(1)).one())
        .values(value=Decimal("2.5")))
    marks = marking._read_marks(event, True).marks
    column = sorted(str(v) for v in db.session.scalars(
        select(Mark.value).where(Mark.submitted_at.is_not(None))))
    assert sorted(str(m.value) for m in marks) == column
    assert all(type(m.value) is Decimal for m in marks)
