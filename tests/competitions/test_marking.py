"""Judging: conflicts of interest, mark validation, drafts and submitted sheets, flags and
their resolution, the lock, decoding, corrections with a second approver, appeals,
publication with award certificates, and the medal table."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from tests.competitions import builders
from tests.competitions.builders import CLOSES
from trainhub.competitions import judging, marking, result_queries, results
from trainhub.competitions.models import Result
from trainhub.core.documents import service as documents
from trainhub.core.errors import Conflict, DomainError, PermissionDenied
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

CITIES = ("3601", "3607", "3602", "3603")


@pytest.fixture
def drawn(contest):
    """Four entries, three judges (from 3604, 3605 and 3601) and a chief from 3605."""
    entries = builders.confirmed_entries(contest.event, CITIES, contest.organiser)
    panel = [judging.assign(contest.event, builders.judge(city), False).judge
             for city in ("3604", "3605", "3601")]
    chief = builders.judge("3605", chief=True)
    judging.assign(contest.event, chief, True)
    from trainhub.competitions import drawing

    drawing.draw(contest.event, contest.organiser, CLOSES + timedelta(days=1))
    return entries, panel, chief


def _assignment(event, judge):
    return next(a for a in event.assignments if a.judge_id == judge.id)


def _aspects(event):
    return {a.code: a.id for a in event.aspects}


def _mark_all(event, entries, panel, values=None):
    """Every allowed judge submits B and C; the first allowed judge also enters A."""
    ids = _aspects(event)
    found = judging.conflicts(event)
    for entry in entries:
        judges = [j for j in panel if found.allowed(j.id, entry.id)]
        for n, judge in enumerate(judges):
            marks = {ids["B"]: Decimal(2), ids["C"]: Decimal(40)}
            if n == 0:
                marks[ids["A"]] = Decimal(18)
            marks.update((values or {}).get((entry.id, judge.id), {}))
            marking.save_sheet(event, _assignment(event, judge), entry, marks, submit=True,
                               now=utcnow())


def test_a_judge_of_the_entrys_city_cannot_mark_it(contest, drawn):
    entries, panel, _chief = drawn
    nanchang_judge = panel[2]
    nanchang_entry = entries[0]
    assert judging.conflicts(contest.event).reasons[(nanchang_judge.id, nanchang_entry.id)] \
        == judging.SAME_CITY
    with pytest.raises(DomainError, match="回避"):
        marking.save_sheet(contest.event, _assignment(contest.event, nanchang_judge),
                           nanchang_entry, {_aspects(contest.event)["B"]: Decimal(2)},
                           submit=False, now=utcnow())


def test_the_events_conflicts_read_by_its_id_are_those_of_its_entries_one_by_one(contest,
                                                                                  drawn):
    """conflicts(event) reads the event's entries by its id (issue 13), conflicts(event,
    entries) by an IN list: the same reasons, of a city and of an institution."""
    entries, _panel, _chief = drawn
    whole = judging.conflicts(contest.event).reasons
    one_by_one: dict[tuple[int, int], str] = {}
    for entry in entries:
        one_by_one.update(judging.conflicts(contest.event, [entry]).reasons)
    assert whole == one_by_one
    assert judging.SAME_CITY in whole.values()


def test_a_judge_not_assigned_is_refused(contest, drawn):
    entries, _panel, _chief = drawn
    with pytest.raises(PermissionDenied):
        marking.save_sheet(contest.event, None, entries[0], {}, submit=False, now=utcnow())


@pytest.mark.parametrize(("code", "value", "message"), [
    ("C", Decimal("50.5"), "C"), ("C", Decimal("40.3"), "C"), ("B", Decimal(4), "B"),
    ("A", Decimal(-1), "A"),
])
def test_marks_above_the_maximum_or_off_the_step_are_refused(contest, drawn, code, value,
                                                            message):
    entries, panel, _chief = drawn
    with pytest.raises(DomainError):
        marking.save_sheet(contest.event, _assignment(contest.event, panel[0]), entries[0],
                           {_aspects(contest.event)[code]: value}, submit=False, now=utcnow())
    assert marking.pure_marks(contest.event, submitted_only=False) == []


def test_a_sheet_is_submitted_complete_and_then_frozen(contest, drawn):
    entries, panel, _chief = drawn
    ids = _aspects(contest.event)
    assignment = _assignment(contest.event, panel[0])
    with pytest.raises(DomainError, match="every aspect"):
        marking.save_sheet(contest.event, assignment, entries[0], {ids["B"]: Decimal(2)},
                           submit=True, now=utcnow())
    full = {ids["A"]: Decimal(18), ids["B"]: Decimal(2), ids["C"]: Decimal(40)}
    marking.save_sheet(contest.event, assignment, entries[0], full, submit=True, now=utcnow())
    with pytest.raises(Conflict, match="already submitted"):
        marking.save_sheet(contest.event, assignment, entries[0],
                           full | {ids["B"]: Decimal(3)}, submit=False, now=utcnow())


def test_a_second_judge_cannot_overwrite_the_measurement(contest, drawn):
    entries, panel, _chief = drawn
    ids = _aspects(contest.event)
    marking.save_sheet(contest.event, _assignment(contest.event, panel[0]), entries[0],
                       {ids["A"]: Decimal(18)}, submit=False, now=utcnow())
    with pytest.raises(Conflict, match="Another judge"):
        marking.save_sheet(contest.event, _assignment(contest.event, panel[1]), entries[0],
                           {ids["A"]: Decimal(10)}, submit=False, now=utcnow())


def test_locking_needs_every_mark_and_no_open_flag(contest, drawn):
    entries, panel, chief = drawn
    with pytest.raises(DomainError, match="missing"):
        marking.lock(contest.event, chief.user, utcnow())
    ids = _aspects(contest.event)
    spread = {(entries[1].id, panel[0].id): {ids["B"]: Decimal(0)},
              (entries[1].id, panel[1].id): {ids["B"]: Decimal(3)}}
    _mark_all(contest.event, entries, panel, spread)
    flags = marking.open_flags(contest.event)
    assert [(int(f.entry_id), f.aspect_id) for f in flags] == [(entries[1].id, "B")]
    with pytest.raises(DomainError, match="not resolved"):
        marking.lock(contest.event, chief.user, utcnow())
    with pytest.raises(DomainError, match="reason"):
        marking.resolve_flag(contest.event, flags[0], chief.user, remark=False, reason="")
    marking.resolve_flag(contest.event, flags[0], chief.user, remark=False,
                         reason="复核录像，评分有据")
    assert marking.open_flags(contest.event) == []
    with pytest.raises(Conflict):
        marking.require_decoded(contest.event)  # decoding before the lock is refused
    marking.lock(contest.event, chief.user, utcnow())
    assert contest.event.status == "locked" and marking.decoded(contest.event)
    with pytest.raises(Conflict, match="Marking is closed"):
        marking.save_sheet(contest.event, _assignment(contest.event, panel[0]), entries[0],
                           {ids["B"]: Decimal(3)}, submit=False, now=utcnow())


def _locked(contest, drawn):
    entries, panel, chief = drawn
    _mark_all(contest.event, entries, panel)
    marking.lock(contest.event, chief.user, utcnow() - timedelta(hours=3))
    return entries, panel, chief


def test_a_correction_needs_a_second_approver(contest, drawn):
    entries, panel, chief = _locked(contest, drawn)
    first = builders.arbitrator(contest.competition)
    second = builders.arbitrator(contest.competition)
    mark = db.session.scalars(db.select(marking.Mark).where(
        marking.Mark.aspect_id == _aspects(contest.event)["A"])).first()
    correction = marking.request_correction(contest.event, mark, Decimal(17), "录入错误", first)
    with pytest.raises(DomainError, match="second approver"):
        marking.approve_correction(contest.event, correction, first, True, utcnow())
    with pytest.raises(DomainError, match="arbitration group"):
        marking.approve_correction(contest.event, correction, chief.user, True, utcnow())
    with pytest.raises(DomainError, match="reason"):
        marking.request_correction(contest.event, mark, Decimal(17), " ", first)
    marking.approve_correction(contest.event, correction, second, True, utcnow())
    db.session.refresh(mark)
    assert mark.value == Decimal(17)
    assert [c.status for c in marking.corrections(contest.event)] == ["approved"]


def test_publication_waits_for_appeals_and_issues_certificates(contest, drawn):
    entries, panel, chief = _locked(contest, drawn)
    officer = builders.city_officer("3601")
    contest.event.ends_at = utcnow() - timedelta(minutes=30)
    appeal = results.file_appeal(contest.event, entries[0], "评分不公", officer, utcnow())
    with pytest.raises(DomainError, match="appeal window"):
        results.publish(contest.event, contest.organiser, utcnow())
    contest.event.ends_at = utcnow() - timedelta(hours=3)
    with pytest.raises(DomainError, match="window is closed"):
        results.file_appeal(contest.event, entries[1], "迟到的申诉", officer, utcnow())
    with pytest.raises(DomainError, match="appeal"):
        results.publish(contest.event, contest.organiser, utcnow())
    arbiter = builders.arbitrator(contest.competition)
    results.decide_appeal(contest.event, appeal, False, "经复核维持原评分", arbiter, utcnow())
    published = results.publish(contest.event, contest.organiser, utcnow())
    assert len(published) == 4 and contest.event.status == "published"
    awarded = [r for r in published if r.award]
    assert awarded and all(r.verification_code for r in awarded)
    facts = dict(documents.find(awarded[0].verification_code).facts)
    assert facts["Award"] == awarded[0].award and "Resident ID" not in facts
    table = results.medal_table(contest.competition)
    assert sum(row.total for row in table) == len(awarded)


def test_the_scoreboard_ranks_by_total(contest, drawn):
    entries, panel, _chief = drawn
    ids = _aspects(contest.event)
    better = {(entries[2].id, j.id): {ids["C"]: Decimal(50)} for j in panel}
    _mark_all(contest.event, entries, panel, better)
    lines = results.standings(contest.event)
    assert lines[0].entry.id == entries[2].id and lines[0].rank == 1
    assert lines[0].standardised is not None


def test_a_frozen_result_holds_null_for_an_aspect_without_a_mark(contest, drawn):
    entries, _panel, _chief = drawn
    line = results.Line(entries[0], 1, Decimal(2), Decimal(2),
                        {"A": None, "B": Decimal(2), "C": None}, None, None, None)
    db.session.execute(insert(Result), [results.result_row(contest.event, line, None)])
    stored = db.session.scalars(select(Result).where(Result.event_id == contest.event.id)).one()
    assert stored.breakdown == {"A": None, "B": "2", "C": None}
    (shown,) = result_queries.published_lines(contest.event)
    codes = [a.code for a in contest.event.aspects]
    assert dict(zip(codes, shown.marks, strict=True)) == {"A": None, "B": Decimal(2), "C": None}
