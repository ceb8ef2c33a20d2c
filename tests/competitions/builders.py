"""Competition objects for tests: a provincial competition with one massage event (a
measurement, a 0–3 judgement and a points judgement), contestants of several cities, judges
from cities of their own. Functions flush; callers commit."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tests.training import builders as training
from trainhub.competitions import creation, judging, registration
from trainhub.competitions.creation import CompetitionInput, EventInput
from trainhub.competitions.models import Arbitrator, Competition, Event, Judge
from trainhub.competitions.schemes import AspectInput
from trainhub.core.accounts.models import User
from trainhub.extensions import db

TODAY = date(2026, 5, 4)
OPENS, CLOSES = date(2026, 5, 1), date(2026, 5, 20)
STARTS = date(2026, 6, 1)
_seq = itertools.count(1)

ASPECTS = (
    AspectInput("A", "操作规范（测量）", "measurement", None, Decimal(20), Decimal("0.5")),
    AspectInput("B", "手法（评价 0–3）", "judgement", "wsos", Decimal(30)),
    AspectInput("C", "沟通与服务（评分）", "judgement", "points", Decimal(50), Decimal("0.5")),
)


def competition(organiser: User | None = None) -> Competition:
    organiser = organiser or training.user("federation_officer", region_code="36")
    return creation.create_competition("36", CompetitionInput(
        "江西省第七届残疾人职业技能竞赛", STARTS, STARTS + timedelta(days=2), OPENS, CLOSES,
        "南昌市"), organiser)


def event(made: Competition, *, quota: int = 3, categories: tuple[int, ...] = (1,),
          team_size: int = 1, **changes: Any) -> Event:
    data = dict(name="盲人保健按摩", occupation="保健按摩师", team_size=team_size, quota=quota,
                categories=categories, grades=(), age_reference_date=STARTS, aspects=ASPECTS)
    data.update(changes)
    return creation.add_event(made, EventInput(**data))  # type: ignore[arg-type]


def event_input(made: Event, **changes: Any) -> EventInput:
    """What an event of `event()` holds, as a correction would send it, with `changes`."""
    return dataclasses.replace(EventInput(
        name=made.name, occupation=made.occupation, team_size=made.team_size,
        quota=made.quota, categories=tuple(made.categories), grades=tuple(made.grades),
        age_reference_date=made.age_reference_date, aspects=ASPECTS,
        exclude_title_holders=made.exclude_title_holders, award_rule=made.award_rule,
        award_ratios=tuple((n, Decimal(p)) for n, p in made.award_ratios)), **changes)


def contestant(city: str = "3601", *, born: date = date(1990, 3, 1), male: bool = True,
               category: int = 1) -> Any:
    county = {"3601": "360102", "3607": "360702", "3602": "360202", "3603": "360302",
              "3604": "360402", "3605": "360502"}[city]
    return training.person(county, born=born, male=male, category=category)


def judge(city: str, chief: bool = False, institution_id: int | None = None) -> Judge:
    n = next(_seq)
    account = training.user("chief_judge" if chief else "judge")
    return judging.register_judge(account, f"裁判{n}", city, institution_id, ["保健按摩师"])


def arbitrator(made: Competition) -> User:
    account = training.user("federation_officer", region_code="36")
    db.session.add(Arbitrator(competition_id=made.id, user_id=account.id))
    db.session.flush()
    return account


def city_officer(city: str) -> User:
    return training.user("federation_officer", region_code=city)


def confirmed_entries(made_event: Event, cities: tuple[str, ...], organiser: User) -> list[Any]:
    """One confirmed entry per city given (one contestant each)."""
    entries = []
    for city in cities:
        delegation = registration.delegation_for(made_event.competition, city)
        entry = registration.register(made_event, delegation, [contestant(city)],
                                      city_officer(city), TODAY)
        registration.decide(entry, True, organiser)
        entries.append(entry)
    return entries


# --- the permission matrix and view tests: committed objects, returned as ids ----------

def build(app: Any, make: Any) -> dict[str, Any]:
    """A province competition whose registration window is open today, run by an organiser
    who is none of the matrix actors, with the massage event: a registered entry of
    南昌市 ("entry"), a judge assigned ("assignment") and one in the registry only
    ("judge"), a member of the arbitration group ("member") and an officer who could join
    it ("candidate"), and a judge account outside the registry ("account")."""
    from trainhub.core.timeutil import local_today

    with app.app_context():
        today = local_today()
        organiser = training.user("federation_officer", region_code="36")
        made = creation.create_competition("36", CompetitionInput(
            "江西省第八届残疾人职业技能竞赛", today + timedelta(days=20),
            today + timedelta(days=22), today - timedelta(days=5), today + timedelta(days=10),
            "南昌市"), organiser)
        massage = event(made, age_reference_date=today + timedelta(days=20))
        delegation = registration.delegation_for(made, "3601")
        entry = registration.register(massage, delegation, [contestant("3601")],
                                      city_officer("3601"), today)
        assigned = judging.assign(massage, judge("3607"), False)
        spare = judge("3604")
        member = Arbitrator(competition_id=made.id, user_id=organiser.id)
        db.session.add(member)
        candidate = training.user("federation_officer", region_code="36")
        account = training.user("judge")
        db.session.commit()
        return {"competition": made.id, "event": massage.id, "entry": entry.id,
                "assignment": assigned.id, "judge": spare.id, "member": member.id,
                "candidate": candidate.id, "account": account.id, "city": "3601"}
