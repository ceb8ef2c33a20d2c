"""Coverage of the targets per city and county, and its cost in SQL statements."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert

from tests.bases.conftest import TODAY
from trainhub.bases.coverage import coverage
from trainhub.bases.models import Base, BaseApplication, BaseKind
from trainhub.core.regions import read_reference_rows
from trainhub.extensions import db

COUNTIES = [r["code"] for r in read_reference_rows() if r["level"] == "county"]


def _bulk_bases(world, count: int, *, kind: str = "training", level: str = "county",
                counties: list[str] | None = None, status: str = "valid",
                valid_until: date | None = None) -> None:
    """Insert certified bases directly: the coverage query only reads the bases table."""
    counties = counties or COUNTIES
    start = db.session.query(Base).count()
    apps = [{"institution_id": world.institution.id, "kind": kind, "level_sought": level,
             "specialties": ["massage"], "region_code": counties[i % len(counties)],
             "status": "certified", "answers": {}, "created_by_id": world.staff.id}
            for i in range(count)]
    ids = db.session.execute(insert(BaseApplication).returning(BaseApplication.id),
                             apps).scalars().all()
    db.session.execute(insert(Base), [
        {"institution_id": world.institution.id, "application_id": app_id, "kind": kind,
         "level": level, "region_code": apps[i]["region_code"], "specialties": ["massage"],
         "year": 2026, "sequence": start + i + 1 + (0 if kind == "training" else 50000),
         "certificate_number": f"{kind}-{start + i}", "valid_from": TODAY - timedelta(days=10),
         "valid_until": valid_until or TODAY + timedelta(days=1000), "status": status,
         "verification_code": f"code-{kind}-{start + i}", "certified_by_id": world.county.id}
        for i, app_id in enumerate(ids)])


def test_gaps_are_found_per_city_and_county(world):
    _bulk_bases(world, 1, counties=["360102"])                       # county-level in 东湖区
    _bulk_bases(world, 1, level="city", counties=["360702"])         # city-level in 赣州
    _bulk_bases(world, 1, kind="incubator", level="city", counties=["360702"])
    report = coverage("36", TODAY)
    cities = {c.code: c for c in report.cities}
    assert len(report.cities) == 11 and len(report.counties) == 100
    assert cities["3601"].training == 1 and cities["3601"].gap_training  # no city-level base
    assert not cities["3607"].gap_training and not cities["3607"].gap_incubator
    counties = {c.code: c for c in report.counties}
    assert not counties["360102"].gap_training and counties["360103"].gap_training
    assert report.totals["counties_without_training"] == 98
    assert report.totals["cities_without_incubator"] == 10


def test_expired_suspended_and_revoked_bases_do_not_count(world):
    _bulk_bases(world, 1, counties=["360102"], valid_until=TODAY - timedelta(days=1))
    _bulk_bases(world, 1, counties=["360103"], status="suspended")
    _bulk_bases(world, 1, counties=["360104"], status="revoked")
    assert coverage("36", TODAY).totals["training"] == 0


def test_filters_and_scope(world):
    _bulk_bases(world, 2, counties=["360102", "360702"])
    _bulk_bases(world, 1, kind="incubator", counties=["360102"])
    nanchang = coverage("3601", TODAY)
    assert [c.code for c in nanchang.cities] == ["3601"]
    assert nanchang.totals["training"] == 1 and nanchang.totals["incubator"] == 1
    assert coverage("36", TODAY, kind=BaseKind.INCUBATOR).totals["training"] == 0
    assert coverage("36", TODAY, specialty="ecommerce").totals["training"] == 0
    county = coverage("360102", TODAY)
    assert [c.code for c in county.counties] == ["360102"]


def test_statement_count_does_not_grow_with_bases(world, count_queries):
    _bulk_bases(world, 10)
    with count_queries() as few:
        coverage("36", TODAY)
    _bulk_bases(world, 990)
    with count_queries() as many:
        report = coverage("36", TODAY)
    assert report.totals["training"] == 1000
    assert len(few) == len(many) == 2
