"""Accounts and objects for the organisers' and delegations' page tests: an organiser of the
province, officers of 南昌市 (3601) and 赣州市 (3607), and competitions whose registration
window is open today or closed yesterday. Functions commit and return plain ids."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select

from tests.competitions import builders
from tests.training import builders as training
from trainhub.cli.demo import make_resident_id
from trainhub.competitions import creation, registration
from trainhub.competitions.creation import CompetitionInput
from trainhub.competitions.models import Competition, Entry, EntryMember, Event
from trainhub.core.accounts.models import User
from trainhub.core.people.models import Person
from trainhub.core.people.services import id_index
from trainhub.core.timeutil import local_today
from trainhub.extensions import db


def accounts(make: Any) -> dict[str, str]:
    return {"organiser": make.user("federation_officer", region_code="36"),
            "nanchang": make.user("federation_officer", region_code="3601"),
            "ganzhou": make.user("federation_officer", region_code="3607"),
            "judge": make.user("judge")}


def _user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def competition(app: Any, organiser: str, *, closed: bool = False, quota: int = 3,
                categories: tuple[int, ...] = (1,), team_size: int = 1, region: str = "36",
                name: str = "江西省第七届残疾人职业技能竞赛") -> dict[str, int]:
    """A competition of `region` (the province's by default) with the massage event;
    `closed`: its window ended yesterday (the draw can be made), otherwise it is open
    today."""
    with app.app_context():
        today = local_today()
        opens, closes = ((today - timedelta(days=20), today - timedelta(days=1)) if closed
                         else (today - timedelta(days=5), today + timedelta(days=10)))
        starts = today + timedelta(days=20)
        made = creation.create_competition(region, CompetitionInput(
            name, starts, starts + timedelta(days=2), opens, closes, "南昌市"),
            _user(organiser))
        event = builders.event(made, quota=quota, categories=categories,
                               team_size=team_size, age_reference_date=starts)
        db.session.commit()
        return {"competition": made.id, "event": event.id}


def person(app: Any, city: str = "3601", **kw: Any) -> tuple[int, str]:
    """A person of the city, committed: (id, resident ID number)."""
    with app.app_context():
        made = builders.contestant(city, **kw)
        db.session.commit()
        return made.id, made.id_number


def entries(app: Any, event_id: int, cities: tuple[str, ...], *, confirm: bool = True,
            when: date | None = None) -> list[int]:
    """One entry per city given, registered on `when` (the window must be open then)."""
    with app.app_context():
        event = db.session.get(Event, event_id)
        organiser = _user_of(event.competition)
        made = []
        for city in cities:
            delegation = registration.delegation_for(event.competition, city)
            entry = registration.register(event, delegation, [builders.contestant(city)],
                                          builders.city_officer(city), when or local_today())
            if confirm:
                registration.decide(entry, True, organiser)
            made.append(entry.id)
        db.session.commit()
        return made


def _user_of(made: Competition) -> User:
    return db.session.get(User, made.created_by_id)


def bulk_entries(app: Any, event_id: int, city: str, count: int) -> None:
    """Many confirmed entries at once (people inserted directly, for statement counts)."""
    with app.app_context():
        event = db.session.get(Event, event_id)
        delegation = registration.delegation_for(event.competition, city)
        county = f"{city}02"
        start = db.session.scalar(select(Person.id).order_by(Person.id.desc()).limit(1)) or 0
        people = []
        for n in range(count):
            number = make_resident_id(county, date(1980, 1, 1) + timedelta(days=start + n),
                                      101)
            people.append({"name": f"批量选手{start + n}", "sex": "M",
                           "birth_date": date(1980, 1, 1), "id_number": number,
                           "id_number_index": id_index(number), "disability_category": 1,
                           "disability_grade": 2, "household_region_code": county})
        ids = db.session.scalars(insert(Person).returning(
            Person.id, sort_by_parameter_order=True), people).all()
        registered_by = training.user("federation_officer", region_code=city)
        entry_ids = db.session.scalars(insert(Entry).returning(
            Entry.id, sort_by_parameter_order=True), [
            {"event_id": event.id, "delegation_id": delegation.id, "status": "confirmed",
             "registered_by_id": registered_by.id, "refusal_reasons": []}
            for _ in ids]).all()
        db.session.execute(insert(EntryMember), [
            {"entry_id": e, "person_id": p} for e, p in zip(entry_ids, ids, strict=True)])
        db.session.commit()


def event_form(*rows: tuple[str, ...], **changes: object) -> dict[str, object]:
    """The event form as the create and edit pages post it: one row per aspect (code,
    title, kind, scale, maximum, step), then `changes`."""
    data: dict[str, object] = {
        "name": "盲人保健按摩", "occupation": "保健按摩师", "entry_type": "individual",
        "quota": "3", "categories": ["1"], "age_reference_date": local_today().isoformat(),
        "exclude_title_holders": "y", "award_rule": "bands"}
    for i, (code, title, kind, scale, maximum, step) in enumerate(rows):
        data.update({f"aspects-{i}-code": code, f"aspects-{i}-title": title,
                     f"aspects-{i}-kind": kind, f"aspects-{i}-scale": scale,
                     f"aspects-{i}-max_mark": maximum, f"aspects-{i}-step": step})
    data.update(changes)
    return data
