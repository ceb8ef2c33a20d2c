"""Fixtures of the training domain: a certified base in 南昌市东湖区 with its staff and the
officers above it, and a fixed "today" so dates in the tests read plainly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.training import builders
from trainhub.bases.models import Base
from trainhub.core.accounts.models import User
from trainhub.core.organisations import Institution

TODAY = date(2026, 3, 2)


@dataclass
class World:
    institution: Institution
    base: Base
    staff: User
    county: User
    city: User
    other_county: User
    trainee_user: User | None = None


def make_world() -> World:
    institution = builders.institution("360102", "南昌市盲人按摩培训学校")
    county = builders.user("federation_officer", region_code="360102")
    return World(
        institution=institution,
        base=builders.base(institution, certifier=county),
        staff=builders.user("institution_staff", institution_id=institution.id),
        county=county,
        city=builders.user("federation_officer", region_code="3601"),
        other_county=builders.user("federation_officer", region_code="360103"),
    )


@pytest.fixture
def world(ctx) -> World:
    return make_world()
