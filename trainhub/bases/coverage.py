"""Coverage of the policy targets (赣府厅字〔2022〕90号 二(十)3): every city has a training
base and an incubation base; every county has a training base.

A county counts as covered when a valid training base of any level stands in it; a city
when a valid base of that kind at city or province level stands in it. Two queries, however
many bases there are: the regions in scope, and the bases valid today in scope.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from trainhub.bases.models import Base, BaseKind, BaseStatus, Level
from trainhub.core.regions import Region
from trainhub.extensions import db


@dataclass
class CountyRow:
    code: str
    name: str
    training: int = 0
    incubator: int = 0
    specialties: Counter[str] = field(default_factory=Counter)

    @property
    def gap_training(self) -> bool:
        return self.training == 0


@dataclass
class CityRow:
    code: str
    name: str
    training: int = 0           # every valid training base in the city, any level
    incubator: int = 0
    city_training: int = 0      # those at city level or above: what the target counts
    city_incubator: int = 0
    specialties: Counter[str] = field(default_factory=Counter)
    counties: list[CountyRow] = field(default_factory=list)

    @property
    def gap_training(self) -> bool:
        return self.city_training == 0

    @property
    def gap_incubator(self) -> bool:
        return self.city_incubator == 0

    @property
    def counties_without_training(self) -> int:
        return sum(1 for c in self.counties if c.gap_training)


@dataclass
class Coverage:
    scope_code: str
    on: date
    cities: list[CityRow]

    @property
    def counties(self) -> list[CountyRow]:
        return [county for city in self.cities for county in city.counties]

    @property
    def totals(self) -> dict[str, int]:
        return {
            "training": sum(c.training for c in self.cities),
            "incubator": sum(c.incubator for c in self.cities),
            "cities_without_training": sum(c.gap_training for c in self.cities),
            "cities_without_incubator": sum(c.gap_incubator for c in self.cities),
            "counties_without_training": sum(c.counties_without_training for c in self.cities),
            "cities": len(self.cities),
            "counties": len(self.counties),
        }


def coverage(scope_code: str, on: date, kind: BaseKind | None = None,
             specialty: str | None = None, *, with_specialties: bool = True) -> Coverage:
    """Without specialties (`with_specialties=False`: an officer's home page, which shows
    only the counts) the rows' specialties stay empty and are not read: a province's ~400
    lists decoded and counted were a fifth of that page (issue 13)."""
    regions = db.session.execute(
        select(Region.code, Region.name, Region.level)
        .where(Region.code.startswith(scope_code[:4] if len(scope_code) > 4 else scope_code),
               Region.level != "province").order_by(Region.code)).all()
    cities = {code: CityRow(code, name) for code, name, level in regions if level == "city"}
    counties: dict[str, CountyRow] = {}
    for code, name, level in regions:
        if level == "county" and code.startswith(scope_code[:6]):
            counties[code] = CountyRow(code, name)
            cities[code[:4]].counties.append(counties[code])
    read = (Base.specialties,) if with_specialties or specialty else ()
    stmt = select(Base.region_code, Base.kind, Base.level, *read).where(
        Base.status == BaseStatus.VALID.value, Base.valid_from <= on, Base.valid_until >= on,
        Base.region_code.startswith(scope_code))
    if kind is not None:
        stmt = stmt.where(Base.kind == kind.value)
    for region_code, base_kind, level, *found in db.session.execute(stmt):
        specialties = found[0] if found else []
        if specialty and specialty not in specialties:
            continue
        _count(cities.get(region_code[:4]), counties.get(region_code), base_kind, level,
               specialties)
    if len(scope_code) == 6:  # a county officer sees their county inside its city
        cities = {k: v for k, v in cities.items() if k == scope_code[:4]}
    return Coverage(scope_code, on, list(cities.values()))


def _count(city: CityRow | None, county: CountyRow | None, kind: str, level: str,
           specialties: list[str]) -> None:
    at_city_level = level in (Level.CITY, Level.PROVINCE)
    for row in (city, county):
        if row is None:
            continue
        if kind == BaseKind.TRAINING:
            row.training += 1
        else:
            row.incubator += 1
        row.specialties.update(specialties)
    if city is not None and at_city_level:
        if kind == BaseKind.TRAINING:
            city.city_training += 1
        else:
            city.city_incubator += 1
