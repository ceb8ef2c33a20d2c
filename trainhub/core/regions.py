"""The administrative division tree (province ⊃ city ⊃ county).

GB/T 2260 codes nest by prefix here (36 ⊃ 3601 ⊃ 360102), so "is A inside B" is a
string test and needs no query.
"""

from __future__ import annotations

import csv
from enum import StrEnum
from importlib import resources

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainhub.core.errors import N_, DomainError
from trainhub.extensions import Model, db


class RegionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"


class Region(Model):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(10))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)

    parent: Mapped[Region | None] = relationship(remote_side=[code])

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"


def is_within(code: str | None, ancestor_code: str | None) -> bool:
    """True when region `code` is `ancestor_code` or lies below it."""
    if not code or not ancestor_code:
        return False
    return code.startswith(ancestor_code)


def read_reference_rows() -> list[dict[str, str]]:
    text = resources.files("trainhub.data").joinpath("jiangxi-divisions.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def load_regions() -> int:
    """Insert or update the reference divisions; returns how many rows were written."""
    existing = {r.code: r for r in db.session.scalars(select(Region))}
    rows = read_reference_rows()
    for row in rows:  # CSV lists parents before children
        region = existing.get(row["code"]) or Region(code=row["code"])
        region.name = row["name"]
        region.level = RegionLevel(row["level"]).value
        region.parent_code = row["parent_code"] or None
        db.session.add(region)
    db.session.flush()
    return len(rows)


def region_names() -> dict[str, str]:
    return {code: name for code, name in db.session.execute(select(Region.code, Region.name))}



def region_path(code: str) -> str:
    """'南昌市 东湖区' for a county, '南昌市' for a city, '江西省' for the province."""
    names = region_names()
    if len(code) == 2:
        return names.get(code, code)
    parts = [names.get(code[:n], "") for n in (4, 6) if len(code) >= n]
    return " ".join(p for p in parts if p)


class RegionError(DomainError):
    field = "region_code"


def require_region(code: str) -> None:
    """Refuse a code that names no region of the province (on the field region_code)."""
    if db.session.get(Region, code) is None:
        raise RegionError(N_("Unknown region code %(code)s."), code=code)
