"""Within core.kept.read_together, the versions of every followed table are read for a
region in one statement and reused: an officer's home page read five sums, one per kept
figure (issue 13). Outside it, each read sees the latest version."""

from __future__ import annotations

from sqlalchemy import update

from tests.training import builders
from trainhub.core import kept
from trainhub.core.people import versions as people_versions
from trainhub.core.people.models import Person
from trainhub.extensions import db
from trainhub.subsidies import versions as decision_versions
from trainhub.training import versions as training_versions


def test_versions_are_read_once_together(ctx, count_queries):
    builders.person("360102")
    alone = (people_versions.region_version("3601"),
             training_versions.region_version("3601"),
             decision_versions.region_version("3601"))
    with count_queries() as statements, kept.read_together("3601"):
        together = (people_versions.region_version("3601"),
                    training_versions.region_version("3601"),
                    decision_versions.region_version("3601"),
                    people_versions.region_version("3601"))
    assert len(statements) == 1
    assert together == (*alone, alone[0])


def test_each_region_is_read_on_its_own_and_a_later_read_sees_a_change(ctx):
    person = builders.person("360102")
    with kept.read_together("3601"):
        city = people_versions.region_version("3601")
        county = people_versions.region_version("360102")
        assert people_versions.region_version("3601") == city
    assert county == people_versions.region_version("360102")
    db.session.execute(update(Person).where(Person.id == person.id)
                       .values(household_region_code="360103"))
    assert people_versions.region_version("3601") != city
