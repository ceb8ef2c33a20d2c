"""What the front door shows anyone, read across the domains in a few bounded statements.

Nothing personal leaves here: institutions, regions, competitions and counts only, never a
person's name or number (a delegation is shown by its city, not by its contestants)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, extract, func, select

from trainhub.bases.models import ApplicationStatus, BaseApplication, Level, PublicNotice
from trainhub.competitions.catalog import AWARD_NAMES, EventStatus
from trainhub.competitions.models import Competition, Delegation, Entry, Event, Result
from trainhub.core.organisations import Institution
from trainhub.extensions import db
from trainhub.training.catalog import BatchStatus
from trainhub.training.models import Batch

PROVINCE = "36"
NOTICES_SHOWN = 10
COMPETITIONS_SHOWN = 5


@dataclass(frozen=True)
class Notice:
    institution: str
    kind: str
    level: str
    region_code: str
    starts_on: date
    ends_on: date
    # The federation that decides at the level sought receives objections (the county's
    # for a county base, the city's for a city base, the province's for a provincial one).
    objections_to: str


@dataclass(frozen=True)
class PublishedCompetition:
    id: int
    name: str
    region_code: str
    starts_on: date
    ends_on: date
    events: int
    published_at: datetime | None


@dataclass(frozen=True)
class CityMedals:
    city_code: str
    counts: tuple[int, ...]  # one per award, in the order of AWARD_NAMES

    @property
    def total(self) -> int:
        return sum(self.counts)


def _objections_to(level: str, region_code: str) -> str:
    if level == Level.COUNTY.value:
        return region_code
    if level == Level.CITY.value:
        return region_code[:4]
    return PROVINCE


def current_notices(today: date, limit: int = NOTICES_SHOWN) -> list[Notice]:
    """Applications whose public notice runs today, the soonest to end first."""
    rows = db.session.execute(
        select(Institution.name, BaseApplication.kind, BaseApplication.level_sought,
               BaseApplication.region_code, PublicNotice.starts_on, PublicNotice.ends_on)
        .join(BaseApplication, BaseApplication.id == PublicNotice.application_id)
        .join(Institution, Institution.id == BaseApplication.institution_id)
        .where(BaseApplication.status == ApplicationStatus.NOTICE.value,
               PublicNotice.starts_on <= today, PublicNotice.ends_on >= today)
        .order_by(PublicNotice.ends_on, PublicNotice.id).limit(limit))
    return [Notice(name, kind, level, region, starts, ends, _objections_to(level, region))
            for name, kind, level, region, starts, ends in rows]


def open_batches() -> int:
    return db.session.scalar(select(func.count()).select_from(Batch).where(
        Batch.status == BatchStatus.ENROLLING.value)) or 0


def published_competitions(limit: int = COMPETITIONS_SHOWN) -> list[PublishedCompetition]:
    """Competitions with at least one published event, the latest published first."""
    latest = func.max(Event.published_at)
    rows = db.session.execute(
        select(Competition.id, Competition.name, Competition.region_code,
               Competition.starts_on, Competition.ends_on, func.count(Event.id), latest)
        .join(Event, Event.competition_id == Competition.id)
        .where(Event.status == EventStatus.PUBLISHED.value)
        .group_by(Competition.id, Competition.name, Competition.region_code,
                  Competition.starts_on, Competition.ends_on)
        .order_by(latest.desc(), Competition.id.desc()).limit(limit))
    return [PublishedCompetition(*row) for row in rows]


def medal_year() -> int | None:
    """The latest year in which a competition has a published event."""
    found = db.session.scalar(
        select(func.max(Competition.starts_on)).join(Event, Event.competition_id == Competition.id)
        .where(Event.status == EventStatus.PUBLISHED.value))
    return found.year if found else None


def medals_by_city(year: int) -> list[CityMedals]:
    """Prizes won in the published events of the year's competitions, per city of the
    delegations (a county's delegation counts for its city), in one statement; ordered as
    medal tables are: most first prizes, then second, then third, then by city code. A city
    with results but no prize has a row of zeros."""
    city = func.substr(Delegation.region_code, 1, 4)
    counts = [func.sum(case((Result.award == name, 1), else_=0)) for name in AWARD_NAMES]
    rows = db.session.execute(
        select(city, *counts).select_from(Result)
        .join(Event, Event.id == Result.event_id)
        .join(Competition, Competition.id == Event.competition_id)
        .join(Entry, Entry.id == Result.entry_id)
        .join(Delegation, Delegation.id == Entry.delegation_id)
        .where(Event.status == EventStatus.PUBLISHED.value,
               extract("year", Competition.starts_on) == year)
        .group_by(city))
    table = [CityMedals(code, tuple(int(n or 0) for n in figures)) for code, *figures in rows]
    return sorted(table, key=lambda row: (tuple(-n for n in row.counts), row.city_code))
