"""What waits in competitions for the home pages: the organiser's entries to confirm and
appeals, a judge's events to mark and lock, in scope."""

from __future__ import annotations

from tests.competitions import builders
from trainhub.competitions import registration, waiting
from trainhub.competitions.models import Appeal, Assignment
from trainhub.extensions import db


def test_the_organiser_counts_the_entries_to_confirm_and_the_appeals(ctx):
    organiser = builders.city_officer("36")
    made = builders.competition(organiser)
    event = builders.event(made)
    delegation = registration.delegation_for(made, "3601")
    entry = registration.register(event, delegation, [builders.contestant("3601")],
                                  builders.city_officer("3601"), builders.TODAY)
    assert waiting.for_officer(organiser) == waiting.Organiser(to_confirm=1, appeals=0)
    # a city's officer registers but does not organise a province competition
    assert waiting.for_officer(builders.city_officer("3601")) == waiting.Organiser(0, 0)
    db.session.add(Appeal(event_id=event.id, entry_id=entry.id, content="复核",
                          filed_by_id=organiser.id))
    registration.decide(entry, True, organiser)
    db.session.flush()
    assert waiting.for_officer(organiser) == waiting.Organiser(to_confirm=0, appeals=1)


def test_judges_count_their_own_events_open_for_marking(ctx):
    made = builders.competition()
    event = builders.event(made)
    judge, chief, idle = builders.judge("3601"), builders.judge("3602", chief=True), \
        builders.judge("3603")
    db.session.add_all([Assignment(event_id=event.id, judge_id=judge.id),
                        Assignment(event_id=event.id, judge_id=chief.id, chief=True)])
    db.session.flush()
    assert waiting.for_judge(judge.user) == waiting.Judging(0, 0, 0)  # not drawn yet
    event.status = "drawn"
    db.session.flush()
    assert waiting.for_judge(judge.user) == waiting.Judging(1, 0, 0)
    assert waiting.for_judge(chief.user) == waiting.Judging(1, 1, 0)
    assert waiting.for_judge(idle.user) == waiting.Judging(0, 0, 0)
