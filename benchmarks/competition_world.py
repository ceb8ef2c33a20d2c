"""A drawn event of N entries × 5 judges × 10 aspects, every sheet submitted, written in bulk:
what the competition figures of `make bench` read. Entries come from ten cities' delegations;
the judges and the chief judge come from the eleventh (上饶), so no judge has a conflict and
every entry gets every judge's marks (38 marks an entry: 7 judgement aspects × 5 judges and
3 measurements)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

from trainhub.cli.demo import make_resident_id
from trainhub.competitions.models import (
    Arbitrator,
    Aspect,
    Assignment,
    Competition,
    Delegation,
    Entry,
    EntryMember,
    Event,
    Judge,
    Mark,
)
from trainhub.core.accounts.models import User
from trainhub.core.people.models import Person
from trainhub.core.people.services import id_index
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

CITIES = ("3601", "3602", "3603", "3604", "3605", "3606", "3607", "3608", "3609", "3610")
JUDGES_CITY = "3611"
JUDGES = 5
# code, kind, scale, max, step: 4 WSOS judgements, 3 points judgements, 3 measurements
ASPECTS = ([(f"W{i}", "judgement", "wsos", Decimal(5 + i), Decimal(1)) for i in range(4)]
           + [(f"P{i}", "judgement", "points", Decimal(10), Decimal("0.5")) for i in range(3)]
           + [(f"M{i}", "measurement", None, Decimal(10), Decimal("0.01")) for i in range(3)])


@dataclass(frozen=True)
class World:
    event_id: int
    organiser: str     # usernames that can sign in (no password: sessions are written)
    chief: str
    arbitrators: tuple[str, str]
    marks: int


def _users(prefix: str, count: int, role: str, region: str | None) -> list[int]:
    rows = [{"username": f"{prefix}{n}", "display_name": f"{prefix}{n}", "role": role,
             "password_hash": "x", "region_code": region} for n in range(count)]
    db.session.execute(insert(User), rows)
    return list(db.session.scalars(select(User.id).where(User.username.like(f"{prefix}%"))
                                   .order_by(User.id)))


def _people(count: int) -> list[int]:
    rows = []
    for n in range(count):
        county = f"{CITIES[n % len(CITIES)]}02"
        number = make_resident_id(county, date(1985, 1, 1) + timedelta(days=n // 400),
                                  n % 400 * 2 + 1)
        rows.append({"name": f"选手{n}", "sex": "M", "birth_date": date(1985, 1, 1),
                     "id_number": number, "id_number_index": id_index(number),
                     "household_region_code": county, "disability_category": 1 + n % 7,
                     "disability_grade": 1 + n % 4, "employment_status": "unemployed"})
    db.session.execute(insert(Person), rows)
    return list(db.session.scalars(select(Person.id).where(Person.name.like("选手%"))
                                   .order_by(Person.id)))


def build(entries: int, seed: int = 2025) -> World:
    """Write the world and commit it."""
    rng = random.Random(seed)
    organiser = _users("bench-organiser", 1, "federation_officer", "36")[0]
    competition = Competition(name="基准职业技能大赛", region_code="36",
                              starts_on=date(2026, 10, 10), ends_on=date(2026, 10, 12),
                              registration_opens=date(2026, 8, 1),
                              registration_closes=date(2026, 9, 1), created_by_id=organiser)
    db.session.add(competition)
    db.session.flush()
    event = Event(competition_id=competition.id, name="保健按摩", occupation="保健按摩师",
                  quota=entries, age_reference_date=date(2026, 10, 10), status="drawn",
                  draw_seed="bench", drawn_at=utcnow(), ends_at=utcnow() - timedelta(days=30))
    db.session.add(event)
    db.session.flush()
    db.session.execute(insert(Aspect), [
        {"event_id": event.id, "code": code, "title": f"评分项{code}", "kind": kind,
         "scale": scale, "max_mark": top, "step": step, "position": n}
        for n, (code, kind, scale, top, step) in enumerate(ASPECTS)])
    aspects = db.session.execute(select(Aspect.id, Aspect.kind, Aspect.scale, Aspect.max_mark)
                                 .where(Aspect.event_id == event.id)).all()
    judge_users = _users("bench-judge", JUDGES, "judge", None)
    chief_user = _users("bench-chief", 1, "chief_judge", None)[0]
    arbitrators = _users("bench-arbitrator", 2, "federation_officer", "36")
    db.session.execute(insert(Judge), [
        {"user_id": u, "name": f"裁判{n}", "home_region_code": JUDGES_CITY, "specialties": []}
        for n, u in enumerate([*judge_users, chief_user])])
    judges = list(db.session.scalars(select(Judge.id).order_by(Judge.id)))
    db.session.execute(insert(Assignment), [
        {"event_id": event.id, "judge_id": j, "chief": n == JUDGES}
        for n, j in enumerate(judges)])
    db.session.execute(insert(Arbitrator), [
        {"competition_id": competition.id, "user_id": u} for u in arbitrators])
    db.session.execute(insert(Delegation), [
        {"competition_id": competition.id, "region_code": c, "name": f"{c}代表队"}
        for c in CITIES])
    delegations = list(db.session.scalars(select(Delegation.id).where(
        Delegation.competition_id == competition.id).order_by(Delegation.id)))
    db.session.execute(insert(Entry), [
        {"event_id": event.id, "delegation_id": delegations[n % len(delegations)],
         "status": "confirmed", "station_no": n + 1, "code": f"A{n + 1:04d}",
         "registered_by_id": organiser} for n in range(entries)])
    entry_ids = list(db.session.scalars(select(Entry.id).where(Entry.event_id == event.id)
                                        .order_by(Entry.id)))
    people = _people(entries)
    db.session.execute(insert(EntryMember), [
        {"entry_id": e, "person_id": p} for e, p in zip(entry_ids, people, strict=True)])
    now = utcnow()
    rows = [_mark(rng, entry, aspect, judge, now)
            for entry in entry_ids for aspect in aspects
            for judge in (judges[:JUDGES] if aspect.kind == "judgement" else judges[:1])]
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Mark), rows[start:start + 5000])
    db.session.commit()
    return World(event.id, "bench-organiser0", "bench-chief0",
                 ("bench-arbitrator0", "bench-arbitrator1"), len(rows))


def _mark(rng: random.Random, entry: int, aspect: Any, judge: int, now: Any) -> dict[str, Any]:
    if aspect.kind == "measurement":
        value, slot = Decimal(rng.randint(0, 1000)) / 100, 0
    elif aspect.scale == "wsos":
        # judges agree within a point, so no disagreement flag stops the lock
        value, slot = Decimal(2 + (entry + judge) % 2), judge
    else:
        value, slot = Decimal(12 + (entry * 7 + judge) % 3) / 2, judge
    return {"entry_id": entry, "aspect_id": aspect.id, "judge_id": judge, "slot": slot,
            "value": value, "submitted_at": now, "updated_at": now}
