"""Fixtures of the plan report: the parameters loaded and the records' builder."""

from __future__ import annotations

from datetime import date

import pytest

from tests.reports.builders import Records
from trainhub.core.parameters.defaults import load_defaults
from trainhub.extensions import db

TODAY = date(2026, 3, 2)
YEAR = 2025


@pytest.fixture
def records(ctx) -> Records:
    load_defaults()
    db.session.flush()
    return Records("360102")
