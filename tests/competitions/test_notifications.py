"""Competitions tell contestants (issue 16, item 5): an entry confirmed or refused, and the
results published with each contestant's own rank, to the contestants' accounts only."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.competitions import builders
from tests.competitions.builders import TODAY
from tests.competitions.test_marking import _locked, drawn  # noqa: F401 - the fixture
from tests.training import builders as training
from trainhub.competitions import registration, results
from trainhub.core.accounts.models import User
from trainhub.core.notifications.models import Notification
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db


def _told() -> list[tuple[int, str, dict]]:
    return [tuple(row) for row in db.session.execute(  # type: ignore[misc]
        select(Notification.user_id, Notification.kind, Notification.params)
        .order_by(Notification.id))]


def _with_account(entry) -> User:
    return training.user("trainee", person_id=entry.members[0].person_id)


def test_a_decision_on_an_entry_tells_its_contestants(contest):
    entries = []
    for city in ("3601", "3607"):
        delegation = registration.delegation_for(contest.competition, city)
        entries.append(registration.register(contest.event, delegation,
                                             [builders.contestant(city)],
                                             builders.city_officer(city), TODAY))
    confirmed, refused = (_with_account(e) for e in entries)
    registration.decide(entries[0], True, contest.organiser)
    registration.decide(entries[1], False, contest.organiser, "名额已满")
    names = {"competition": contest.competition.name, "event": contest.event.name}
    assert _told() == [(confirmed.id, "competition.entry_confirmed", names),
                       (refused.id, "competition.entry_refused", names)]


def test_published_results_tell_each_contestant_their_rank(contest, drawn):  # noqa: F811
    entries, _panel, _chief = _locked(contest, drawn)
    accounts = {entry.id: _with_account(entry) for entry in entries[:3]}  # the 4th: none
    contest.event.ends_at = utcnow() - timedelta(hours=3)
    before = len(_told())
    published = results.publish(contest.event, contest.organiser, utcnow())
    rank = {line.entry_id: line.rank for line in published}
    told = _told()[before:]
    assert sorted(told, key=lambda t: t[0]) == sorted((
        (accounts[entry_id].id, "competition.results_published",
         {"competition": contest.competition.name, "event": contest.event.name,
          "rank": rank[entry_id]}) for entry_id in accounts), key=lambda t: t[0])


def test_a_decided_appeal_tells_the_officer_who_filed_it_and_the_contestants(
        contest, drawn):  # noqa: F811
    """An appeal's outcome was told to no one: the filer read it only by opening the page."""
    entries, _panel, _chief = _locked(contest, drawn)
    contestant = _with_account(entries[0])
    bystander = _with_account(entries[1])
    officer = builders.city_officer("3601")
    contest.event.ends_at = utcnow() - timedelta(minutes=30)
    appeal = results.file_appeal(contest.event, entries[0], "评分不公", officer, utcnow())
    before = len(_told())
    arbiter = builders.arbitrator(contest.competition)
    results.decide_appeal(contest.event, appeal, True, "经复核，更正第3项评分", arbiter,
                          utcnow())
    names = {"competition": contest.competition.name, "event": contest.event.name}
    told = _told()[before:]
    assert sorted(told) == sorted([(officer.id, "competition.appeal_upheld", names),
                                   (contestant.id, "competition.appeal_upheld", names)])
    assert bystander.id not in {user for user, _kind, _params in told}
    link = db.session.scalar(select(Notification.link).where(
        Notification.user_id == officer.id, Notification.kind == "competition.appeal_upheld"))
    assert link == f"/competitions/events/{contest.event.id}/appeal"
