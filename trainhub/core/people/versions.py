"""How far each county's people have changed, kept by the database's own triggers
(migration 0041) whatever writes the rows, as the subsidy decisions' versions are
(trainhub/subsidies/versions.py, whose reasoning this follows): the sum of the versions of
a region's counties names the state of its people, so an officer's count of the people of
their region is computed once for each state and kept (core.kept) instead of counting a
province's 100,000 on every view of the home page (issue 13)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from trainhub.core import kept
from trainhub.core.accounts.models import Role
from trainhub.core.people.services import visible_people
from trainhub.extensions import Model, db


@kept.follows
class PeopleVersion(kept.RegionVersions, Model):
    __tablename__ = "people_versions"


def region_version(scope_code: str) -> int:
    """The state of the people of the region `scope_code` (0 before any change)."""
    return kept.region_version(PeopleVersion, scope_code)


def visible_count(user: Any) -> int:
    """How many people the user may list (visible_people); an officer's, whose scope is
    their region's households, kept for each state of that region's people."""

    def count() -> int:
        return db.session.scalar(
            select(func.count()).select_from(visible_people(user).subquery())) or 0

    if user.role != Role.FEDERATION_OFFICER or not user.region_code:
        return count()
    return kept.kept_for_region(PeopleVersion, "people", user.region_code, (user.role,), count)
