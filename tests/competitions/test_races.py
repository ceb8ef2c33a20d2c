"""Two judges submitting the same measurement sheet at the same moment, on PostgreSQL
with real threads and commits: one mark is stored, the other judge gets a clear conflict."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.competitions import builders
from tests.competitions.builders import CLOSES
from tests.races import all_at_once
from tests.training import builders as training
from trainhub.competitions import judging, marking, registration
from trainhub.competitions.models import Aspect, Entry, Event, Mark
from trainhub.core.errors import Conflict
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

pytestmark = pytest.mark.postgres_only


def test_two_judges_submit_the_same_measurement_once(race_app):
    with race_app.app_context():
        organiser = training.user("federation_officer", region_code="36")
        made = builders.competition(organiser)
        event = builders.event(made)
        entries = builders.confirmed_entries(event, ("3601", "3607", "3602"), organiser)
        judges = [judging.assign(event, builders.judge(city), False).judge
                  for city in ("3604", "3605")]
        registration.draw(event, organiser, CLOSES + timedelta(days=1))
        db.session.commit()
        ids = (event.id, entries[0].id, [j.id for j in judges],
               db.session.scalar(select(Aspect.id).where(Aspect.event_id == event.id,
                                                         Aspect.code == "A")))

    def submit(index: int) -> str:
        with race_app.app_context():
            found = db.session.get(Event, ids[0])
            entry = db.session.get(Entry, ids[1])
            assignment = next(a for a in found.assignments if a.judge_id == ids[2][index])
            try:
                marking.save_sheet(found, assignment, entry, {ids[3]: Decimal(15 + index)},
                                   submit=False, now=utcnow())
                db.session.commit()
                return "stored"
            except Conflict:
                db.session.rollback()
                return "conflict"

    assert sorted(all_at_once(2, submit)) == ["conflict", "stored"]
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Mark).where(
            Mark.entry_id == ids[1], Mark.aspect_id == ids[3])) == 1
