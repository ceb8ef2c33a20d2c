"""Fixtures of the subsidies domain: a completed batch of the training builders, with its
trainees' results recorded, ready for computing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from tests.training import builders
from tests.training.conftest import World, make_world
from trainhub.core.accounts.models import User
from trainhub.subsidies import budgets
from trainhub.training import attendance, batches, completion
from trainhub.training.models import Batch, Enrolment

START = date(2026, 3, 9)
END = START + timedelta(days=4)
AFTER = builders.local(END + timedelta(days=1), 9)
PASSED = completion.ResultInput(True, END, "skill_level", "intermediate", "S2026360100123", END)


@dataclass
class Finished:
    batch: Batch
    trainees: list[Enrolment]
    staff: User
    officer: User


def finish(base, staff, officer, people, *, marks=("present",) * 5, results=None,
           start=START, families=None, **changes) -> Finished:
    """A five-day batch of 8 hours a day, run and completed; each trainee gets `marks`
    (one per session) and a result (passed intermediate, unless `results` says); `families`
    gives, by the trainee's index, the relation they declared as a family member."""
    made = builders.batch(base, staff, start - timedelta(days=20), start=start,
                          status="enrolling", approver=officer, **changes)
    trainees = [builders.enrolment_service.apply(made, person, staff,
                                                 family=(families or {}).get(index))
                for index, person in enumerate(people)]
    batches.start(made, start)
    for day, session in enumerate(made.sessions):
        attendance.mark_session(session, {t.id: marks[day] for t in trainees}, staff,
                                builders.local(start + timedelta(days=day), 18))
    end = start + timedelta(days=len(made.sessions) - 1)
    after = builders.local(end + timedelta(days=1), 9)
    batches.complete(made, after)
    passed = completion.ResultInput(True, end, "skill_level", "intermediate", "S2026360100123",
                                    end)
    for index, trainee in enumerate(trainees):
        result = (results or {}).get(index, passed)
        completion.record_result(trainee, result, staff, end, after)
    return Finished(made, trainees, staff, officer)


@pytest.fixture
def world(ctx) -> World:
    return make_world()


@pytest.fixture
def finished(world) -> Finished:
    return finish(world.base, world.staff, world.county, [builders.person(), builders.person()])


@pytest.fixture
def budget(world):
    """Generous budgets of 东湖区 for both kinds, for the year of the tests' approvals."""
    def set_for(year: int = 2026, fee: int = 10_000_000, living: int = 10_000_000) -> None:
        budgets.set_budget("360102", year, "fee", fee, world.county)
        budgets.set_budget("360102", year, "living", living, world.county)
    return set_for
