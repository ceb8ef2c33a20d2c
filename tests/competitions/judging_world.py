"""A drawn event with accounts that can sign in, for the judging and results pages, the
permission matrix and nothing else: four confirmed entries (南昌 3601, 赣州 3607, 景德镇 3602,
萍乡 3603), judge A from 九江 3604 (marks every entry), judge B from 3601 (the 南昌 entry is
a conflict for B), a chief judge from 新余 3605, two arbitrators of the province,
the 南昌 officer, and a trainee account for the 南昌 contestant. `build` commits and
returns ids and usernames; `stage` takes the event on to marked, locked or published."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from tests.competitions import builders
from tests.competitions.builders import CLOSES, TODAY
from trainhub.competitions import drawing, judging, marking, registration, results, selection
from trainhub.competitions.models import Arbitrator, Entry, Event, Mark, Result
from trainhub.core.accounts.models import User
from trainhub.core.people.models import Person
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

CITIES = ("3601", "3607", "3602", "3603")
STAGES = ("drawn", "marked", "locked", "published")
CONTESTANT = "南昌选手甲"


def _user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def _accounts(make: Any, actors: Iterable[str]) -> dict[str, str]:
    names = {"organiser": make.user("federation_officer", region_code="36"),
             "judge_a": make.user("judge"), "judge_b": make.user("judge"),
             "chief": make.user("chief_judge"),
             "arbitrator_1": make.user("federation_officer", region_code="36"),
             "arbitrator_2": make.user("federation_officer", region_code="36"),
             "city_officer": make.user("federation_officer", region_code="3601")}
    for actor in actors:  # the matrix's actors take the parts their roles play here
        user = make.get_user(actor)
        part = {"judge": "judge_a", "chief_judge": "chief"}.get(user.role)
        if user.role == "federation_officer" and user.region_code == "36":
            part = "arbitrator_2"
        if part:
            names[part] = actor
    return names


def _entries(event: Event, organiser: User, person_id: int | None) -> list[Entry]:
    entries = []
    for city in CITIES:
        delegation = registration.delegation_for(event.competition, city)
        person = builders.contestant(city)
        if city == "3601":
            person = db.session.get(Person, person_id) if person_id else person
            person.name = CONTESTANT
        entry = registration.register(event, delegation, [person],
                                      builders.city_officer(city), TODAY)
        registration.decide(entry, True, organiser)
        entries.append(entry)
    return entries


def build(app: Any, make: Any, stage: str = "drawn", *, actors: Iterable[str] = (),
          person_id: int | None = None) -> dict[str, Any]:
    names = _accounts(make, actors)
    with app.app_context():
        users = {part: _user(name) for part, name in names.items()}
        made = builders.competition(users["organiser"])
        # Any disability category: the matrix's own person (category 4) may be a contestant.
        event = builders.event(made, categories=())
        entries = _entries(event, users["organiser"], person_id)
        for part, city in (("judge_a", "3604"), ("judge_b", "3601")):
            judge = judging.register_judge(users[part], f"裁判{part[-1].upper()}", city, None,
                                           ["保健按摩师"])
            judging.assign(event, judge, False)
        chief = judging.register_judge(users["chief"], "裁判长", "3605", None, ["保健按摩师"])
        judging.assign(event, chief, True)
        for part in ("arbitrator_1", "arbitrator_2"):
            db.session.add(Arbitrator(competition_id=made.id, user_id=users[part].id))
        drawing.draw(event, users["organiser"], CLOSES + timedelta(days=1))
        db.session.flush()
        ids: dict[str, Any] = dict(names, event=event.id, competition=made.id,
                                   entries=[e.id for e in entries],
                                   codes=[e.code for e in entries],
                                   aspects={a.code: a.id for a in event.aspects})
        for step in STAGES[1:STAGES.index(stage) + 1]:
            STEPS[step](event, users)
        ids.update(_after(event))
        db.session.commit()
    if person_id is None:  # the matrix's own person already has its trainee account
        ids["trainee"] = make.user("trainee", person_id=_person_of(app, ids["entries"][0]))
    return ids


def _person_of(app: Any, entry_id: int) -> int:
    with app.app_context():
        return db.session.get(Entry, entry_id).members[0].person_id


def assignment(event: Event, user: User) -> Any:
    return judging.assignment_of(event, user)


def mark_all(event: Event, users: dict[str, User],
             spread: dict[tuple[int, str], Decimal] | None = None) -> None:
    """Both judges submit every sheet they may mark; judge A enters the measurement."""
    ids = {a.code: a.id for a in event.aspects}
    found = judging.conflicts(event)
    for part in ("judge_a", "judge_b"):
        mine = assignment(event, users[part])
        for entry in (e for e in event.entries if found.allowed(mine.judge_id, e.id)):
            marks = {ids["B"]: Decimal(2), ids["C"]: Decimal(40)}
            if part == "judge_a":
                marks[ids["A"]] = Decimal(18)
            for code, value in (spread or {}).items():
                if code[0] == entry.id and part == "judge_b":
                    marks[ids[code[1]]] = value
            marking.save_sheet(event, mine, entry, marks, submit=True, now=utcnow())


def _lock(event: Event, users: dict[str, User]) -> None:
    # Ended three hours ago: the two-hour appeal window is already closed.
    marking.lock(event, users["chief"], utcnow())
    event.ends_at = utcnow() - timedelta(hours=3)


def _publish(event: Event, users: dict[str, User]) -> None:
    results.publish(event, users["organiser"], utcnow())


STEPS = {"marked": mark_all, "locked": _lock, "published": _publish}


def _after(event: Event) -> dict[str, Any]:
    rows = db.session.scalars(select(Result).where(Result.event_id == event.id)).all()
    return {"results": {r.entry_id: r.id for r in rows},
            "verification": {r.entry_id: r.verification_code for r in rows}}


def add_correction(app: Any, ids: dict[str, Any]) -> int:
    """Arbitrator 1 asks to correct the measurement of the first entry (a locked event)."""
    with app.app_context():
        event = db.session.get(Event, ids["event"])
        mark = db.session.scalars(select(Mark).where(
            Mark.entry_id == ids["entries"][0], Mark.aspect_id == ids["aspects"]["A"])).one()
        made = marking.request_correction(event, mark, Decimal(17), "录入错误",
                                          _user(ids["arbitrator_1"]))
        db.session.commit()
        return made.id


def add_appeal(app: Any, ids: dict[str, Any]) -> int:
    """The 南昌 delegation appeals within the window (a locked event)."""
    with app.app_context():
        event = db.session.get(Event, ids["event"])
        event.ends_at = utcnow() - timedelta(minutes=30)
        entry = db.session.get(Entry, ids["entries"][0])
        made = results.file_appeal(event, entry, "评分不公", _user(ids["city_officer"]),
                                   utcnow())
        db.session.commit()
        return made.id


def add_selection(app: Any, ids: dict[str, Any]) -> int:
    """The organiser selects the first entry's contestant for the national competition (a
    published event)."""
    with app.app_context():
        event = db.session.get(Event, ids["event"])
        made = selection.select_result(event, ids["results"][ids["entries"][0]], "national",
                                       "第一名", _user(ids["organiser"]))
        db.session.commit()
        return made.id
