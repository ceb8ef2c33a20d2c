"""Competitions for the API tests and the conformance test, organised by any officer in any
region (the other worlds are the province's): one whose registration window is open today,
one whose window closed yesterday with an event ready to draw, and drawn events taken on to
marked, locked or published, with judges, a chief judge and an arbitration group. Functions
commit and return plain ids (and the usernames of the accounts they made)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from tests.competitions import builders, judging_world, organise_world
from tests.competitions.builders import CLOSES, OPENS, STARTS, TODAY
from trainhub.competitions import creation, drawing, judging, registration
from trainhub.competitions.creation import CompetitionInput
from trainhub.competitions.models import Arbitrator, Entry, Event, Mark
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

CITIES = judging_world.CITIES  # 南昌 3601, 赣州 3607, 景德镇 3602, 萍乡 3603


# The massage event's marking scheme as the API takes it.
SCHEME = [
    {"code": "A", "title": "操作规范（测量）", "kind": "measurement", "max_mark": "20",
     "step": "0.5"},
    {"code": "B", "title": "手法（评价 0–3）", "kind": "judgement", "scale": "wsos",
     "max_mark": "30"},
    {"code": "C", "title": "沟通与服务（评分）", "kind": "judgement", "scale": "points",
     "max_mark": "50", "step": "0.5"},
]


def _user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def competition(app: Any, organiser: str, region: str = "36", *, closed: bool = False,
                quota: int = 10, categories: tuple[int, ...] = (1,)) -> dict[str, int]:
    """A competition of `region` with the massage event; `closed`: its window ended
    yesterday, otherwise it is open today."""
    return organise_world.competition(app, organiser, closed=closed, quota=quota,
                                      categories=categories, region=region,
                                      name="南昌市残疾人职业技能竞赛")


person = organise_world.person  # a contestant of the city, committed: (id, ID number)


def registered(app: Any, event_id: int, city: str = "3601", *, confirm: bool = False,
               day: Any = None) -> dict[str, Any]:
    """One entry of the city (one contestant), registered on `day` (default today)."""
    with app.app_context():
        found = db.session.get(Event, event_id)
        delegation = registration.delegation_for(found.competition, city)
        contestant = builders.contestant(city)
        entry = registration.register(found, delegation, [contestant],
                                      builders.city_officer(city), day or local_today())
        if confirm:
            registration.decide(entry, True, db.session.get(User,
                                                            found.competition.created_by_id))
        db.session.commit()
        return {"entry": entry.id, "person": contestant.id, "number": contestant.id_number,
                "name": contestant.name}


def staged(app: Any, make: Any, stage: str = "drawn", *, organiser: str, region: str = "36",
           arbitrator: str | None = None) -> dict[str, Any]:
    """A drawn event of a competition of `region` organised by `organiser`: four confirmed
    entries (one per city of CITIES, contestants named 选手1…选手4), judge A of 九江 (marks
    every entry), judge B of 南昌 (not the 南昌 entry), a chief judge of 新余, and an
    arbitration group of `arbitrator` (default: a new officer of the region) and a second
    officer; taken on to `stage` (judging_world.STAGES)."""
    names = {"organiser": organiser, "judge_a": make.user("judge"),
             "judge_b": make.user("judge"), "chief": make.user("chief_judge"),
             "arbitrator_1": make.user("federation_officer", region_code=region),
             "arbitrator_2": arbitrator or make.user("federation_officer",
                                                     region_code=region)}
    with app.app_context():
        users = {part: _user(name) for part, name in names.items()}
        made = creation.create_competition(region, CompetitionInput(
            "江西省残疾人职业技能竞赛", STARTS, STARTS + timedelta(days=2), OPENS, CLOSES,
            "南昌市"), users["organiser"])
        event = builders.event(made, categories=())
        people, entries = [], []
        for n, city in enumerate(CITIES, start=1):
            contestant = builders.contestant(city)
            contestant.name = f"选手{n}"
            entry = registration.register(event, registration.delegation_for(made, city),
                                          [contestant], builders.city_officer(city), TODAY)
            registration.decide(entry, True, users["organiser"])
            people.append(contestant)
            entries.append(entry)
        for part, city, chief in (("judge_a", "3604", False), ("judge_b", "3601", False),
                                  ("chief", "3605", True)):
            judging.assign(event, judging.register_judge(
                users[part], f"裁判{part[-1].upper()}", city, None, ["保健按摩师"]), chief)
        for part in ("arbitrator_1", "arbitrator_2"):
            db.session.add(Arbitrator(competition_id=made.id, user_id=users[part].id))
        drawing.draw(event, users["organiser"], CLOSES + timedelta(days=1))
        db.session.flush()
        ids: dict[str, Any] = dict(
            names, event=event.id, competition=made.id, entries=[e.id for e in entries],
            codes=[e.code for e in entries], names=[p.name for p in people],
            numbers=[p.id_number for p in people],
            delegations=[e.delegation.name for e in entries],
            aspects={a.code: a.id for a in event.aspects})
        for step in judging_world.STAGES[1:judging_world.STAGES.index(stage) + 1]:
            judging_world.STEPS[step](event, users)
        db.session.commit()
        return ids


def mark_of(app: Any, entry_id: int, aspect_id: int) -> int:
    """The id of a submitted mark (the measurement's, or the first judge's)."""
    with app.app_context():
        return db.session.scalars(select(Mark.id).where(
            Mark.entry_id == entry_id, Mark.aspect_id == aspect_id).order_by(Mark.id)).first()


def entry_status(app: Any, entry_id: int) -> str:
    with app.app_context():
        return db.session.get(Entry, entry_id).status
