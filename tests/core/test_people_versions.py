"""An officer's count of the people of their region is kept under the region's people
version (core.people.versions, migration 0041): every person added, moved or removed is
counted at once (issue 13)."""

from __future__ import annotations

from sqlalchemy import delete, update

from tests.training import builders
from trainhub.core.people import versions
from trainhub.core.people.models import Person
from trainhub.extensions import db


def test_the_count_follows_every_change_to_the_people(ctx):
    city = builders.user("federation_officer", region_code="3601")
    county = builders.user("federation_officer", region_code="360102")
    before = versions.visible_count(city), versions.visible_count(county)
    first = builders.person("360102")
    builders.person("360103")
    assert (versions.visible_count(city), versions.visible_count(county)) == (
        before[0] + 2, before[1] + 1)
    db.session.execute(update(Person).where(Person.id == first.id)
                       .values(household_region_code="360103"))
    assert (versions.visible_count(city), versions.visible_count(county)) == (
        before[0] + 2, before[1])
    db.session.execute(update(Person).where(Person.id == first.id)
                       .values(household_region_code="360702"))  # another city
    assert versions.visible_count(city) == before[0] + 1
    db.session.execute(delete(Person).where(Person.id == first.id))
    assert versions.visible_count(city) == before[0] + 1
