"""Fixtures of the competitions domain."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.competitions import builders
from tests.training import builders as training
from trainhub.competitions.models import Competition, Event
from trainhub.core.accounts.models import User


@dataclass
class Contest:
    competition: Competition
    event: Event
    organiser: User


@pytest.fixture
def contest(ctx) -> Contest:
    organiser = training.user("federation_officer", region_code="36")
    made = builders.competition(organiser)
    return Contest(made, builders.event(made), organiser)
