"""The divisions with their weights, and the people: realistic names, valid synthetic
resident ID numbers (a real county code, a birth date in working age, the sex in the parity
of the sequence), disability certificates with category and grade, accessibility needs,
household counties. The numbers are sealed and indexed as create_person does: the
columns' EncryptedText type encrypts on bind, `core.people.services.id_index` makes the
blind index (the helper the app's lookups use), names go through `core.cells.name`."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from trainhub.cli.demo import make_resident_id
from trainhub.cli.province import names
from trainhub.cli.province.bulk import Bulk
from trainhub.cli.province.world import County, PersonRec, World
from trainhub.core import cells
from trainhub.core.people.models import ACCESSIBILITY_NEEDS, Person
from trainhub.core.people.services import id_index, tail_index
from trainhub.core.regions import Region
from trainhub.extensions import db

# Registered people with disabilities by city, in ten thousands (rounded; the weights only
# need to be plausible): 赣州 and 上饶 have most, 新余 and 鹰潭 fewest.
CITY_WEIGHT = {"3601": 30, "3602": 8, "3603": 9, "3604": 23, "3605": 6, "3606": 6,
               "3607": 45, "3608": 24, "3609": 27, "3610": 21, "3611": 33}
# Categories 1–7 (visual … multiple) and grades 1–4 as they are spread among certificates.
CATEGORY_WEIGHT = {4: 42, 2: 22, 1: 13, 5: 8, 6: 7, 7: 6, 3: 2}
GRADE_WEIGHT = {1: 12, 2: 23, 3: 33, 4: 32}
EMPLOYMENT_WEIGHT = {"unemployed": 55, "employed": 22, "self_employed": 13, "student": 10}
FAMILY_MEMBER_SHARE = 0.025     # registered without a certificate of their own
MOVED_SHARE = 0.06              # born in another county than the household's


def load_counties(world: World) -> None:
    """The 100 counties with a weight: the city's share, spread unevenly over its
    counties, the central district (the first of the city, 东湖区, 章贡区…) heavier."""
    rng = world.rng("regions")
    rows = db.session.execute(select(Region.code, Region.name, Region.level)
                              .order_by(Region.code)).all()
    world.cities = {code: name for code, name, level in rows if level == "city"}
    seen: set[str] = set()
    raw: list[County] = []
    for code, name, level in rows:
        if level != "county":
            continue
        city = code[:4]
        centre = city not in seen
        seen.add(city)
        weight = rng.lognormvariate(0, 0.35) * (1.8 if centre else 1.0)
        raw.append(County(code, name, city, world.cities[city], weight, centre))
    for city, share in CITY_WEIGHT.items():
        mine = [c for c in raw if c.city == city]
        total = sum(c.weight for c in mine)
        for county in mine:
            county.weight = share * county.weight / total
    world.counties = raw


def _weighted(rng: random.Random, table: dict[int, int] | dict[str, int]) -> object:
    return rng.choices(list(table), weights=list(table.values()))[0]


def _needs(rng: random.Random, category: int | None, grade: int | None) -> tuple[str, ...]:
    if category is None or grade is None:
        return ()
    severe = grade <= 2
    found: list[str] = []
    if category == 1:
        if severe:
            found += [n for n, p in (("needs_braille", 0.4), ("needs_screen_reader", 0.5))
                      if rng.random() < p]
        elif rng.random() < 0.6:
            found.append("needs_large_print")
    elif category in (2, 3) and rng.random() < (0.6 if category == 2 else 0.2):
        found.append("needs_sign_language")
    elif category == 4 and rng.random() < (0.7 if severe else 0.25):
        found.append("needs_wheelchair_access")
    elif category == 7 and rng.random() < 0.5:
        found.append(rng.choice(ACCESSIBILITY_NEEDS))
    return tuple(n for n in ACCESSIBILITY_NEEDS if n in found)


def make_people(world: World) -> None:
    """The records in memory (ids, numbers, everything the later domains choose by)."""
    rng = world.rng("people")
    count = world.plan.count("people")
    counties = world.counties
    weights = [c.weight for c in counties]
    codes = [c.code for c in counties]
    used: set[str] = set()
    today = world.today
    for index in range(count):
        county = rng.choices(counties, weights=weights)[0]
        sex = "M" if rng.random() < 0.57 else "F"
        oldest = 58 if sex == "M" else 53
        age = rng.triangular(19, oldest + 0.99, 36)
        born = today - timedelta(days=int(age * 365.25))
        region = county.code if rng.random() > MOVED_SHARE else rng.choices(codes, weights)[0]
        while True:
            sequence = rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
            number = make_resident_id(region, born, sequence)
            if number not in used:
                used.add(number)
                break
        if rng.random() < FAMILY_MEMBER_SHARE:
            category = grade = None
        else:
            category = int(_weighted(rng, CATEGORY_WEIGHT))  # type: ignore[call-overload]
            grade = int(_weighted(rng, GRADE_WEIGHT))  # type: ignore[call-overload]
        employment = str(_weighted(rng, EMPLOYMENT_WEIGHT))
        if employment == "student" and age > 28:
            employment = "unemployed"
        world.people.append(PersonRec(
            id=index, name=names.person_name(rng, sex), sex=sex, birth=born,
            county=county.code, id_number=number, category=category, grade=grade,
            employment=employment, needs=_needs(rng, category, grade)))


def write_people(world: World, bulk: Bulk) -> None:
    rng = world.rng("people.rows")
    table = Person.__table__
    first = bulk.ids(table, len(world.people))
    for person, person_id in zip(world.people, first, strict=True):
        person.id = person_id

    def rows() -> Iterator[dict[str, Any]]:
        for person in world.people:
            # registered with the federation before the training they take
            created = world.moment(world.start - timedelta(days=rng.randint(1, 700)), rng)
            cert = person.cert_number
            row = {
                "id": person.id, "name": cells.name(person.name), "sex": person.sex,
                "birth_date": person.birth, "id_number": person.id_number,
                "id_number_index": id_index(person.id_number),
                "id_tail_index": tail_index(person.id_number), "cert_number": cert,
                "cert_number_index": id_index(cert) if cert else None,
                "disability_category": person.category, "disability_grade": person.grade,
                "phone": names.phone(rng) if rng.random() < 0.7 else None,
                "household_region_code": person.county,
                "employment_status": person.employment,
                "created_at": created, "updated_at": created,
            }
            for need in ACCESSIBILITY_NEEDS:
                row[need] = need in person.needs
            yield row

    bulk.done("people", bulk.insert(table, rows()))
