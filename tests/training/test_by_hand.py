"""Staff enrol one trainee by hand: the person's fields and consent checked as registering
checks them, the seat through enrolment.apply; a refusal leaves nothing behind."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.training import builders
from tests.training.conftest import TODAY
from trainhub.cli.demo import make_resident_id
from trainhub.core.errors import Conflict, DomainError
from trainhub.core.people.models import EmploymentStatus, Person
from trainhub.core.people.services import PersonInput
from trainhub.core.privacy import consent
from trainhub.core.privacy.models import Consent
from trainhub.extensions import db
from trainhub.training import by_hand, enrolment
from trainhub.training.models import Enrolment

_numbers = iter(range(300, 400))


def typed(name: str = "李明", *, born: date = date(1990, 3, 4), cert: bool = True,
          number: str | None = None, region: str = "360102") -> PersonInput:
    number = number or make_resident_id("360102", born, next(_numbers) * 2 + 1)
    return PersonInput(name=name, id_number=number, cert_number=f"{number}12" if cert else None,
                       phone=None, household_region_code=region,
                       employment_status=EmploymentStatus.UNEMPLOYED)


def counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(t))
                 for t in (Person, Enrolment, Consent))  # type: ignore[return-value]


def fields(error: DomainError) -> set[str | None]:
    return {e.field for e in error.each}


@pytest.fixture
def open_batch(world):
    return builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=2)


def test_a_new_person_is_registered_with_paper_consent_and_admitted(world, open_batch):
    made = by_hand.enrol_one(open_batch, typed(), world.staff, TODAY, consented=True)
    assert (made.status, made.source, made.person.name) == ("admitted", "staff", "李明")
    assert consent.active(made.person_id).method == "paper"
    assert open_batch.seats_taken == 1


def test_a_registered_person_is_reused_unchanged_when_name_and_number_agree(world, open_batch):
    known = builders.person(name="王芳")
    made = by_hand.enrol_one(open_batch, typed("王 芳", number=known.id_number, cert=False,
                                               region="360103"),
                             world.staff, TODAY, consented=True)
    assert made.person_id == known.id and known.household_region_code == "360102"


def test_a_registered_number_with_another_name_is_refused_on_the_name(world, open_batch):
    known = builders.person(name="王芳")
    before = counts()
    with pytest.raises(DomainError) as refused:
        by_hand.enrol_one(open_batch, typed("王方", number=known.id_number), world.staff,
                          TODAY, consented=True)
    assert "name" in fields(refused.value) and "王芳" not in str(refused.value)
    assert counts() == before


def test_every_problem_of_the_form_at_once_and_nothing_saved(world, open_batch):
    before = counts()
    with pytest.raises(DomainError) as refused:
        by_hand.enrol_one(open_batch, typed(born=date(2010, 5, 6)), world.staff, TODAY,
                          consented=False)
    assert fields(refused.value) >= {"consent", "guardian_name", "guardian_relation"}
    assert counts() == before
    with pytest.raises(DomainError) as wrong:
        by_hand.enrol_one(open_batch, typed(number="360102199003041230"), world.staff, TODAY,
                          consented=True)
    assert "id_number" in fields(wrong.value)
    assert counts() == before


def test_a_minor_is_enrolled_with_the_guardian_named(world, open_batch):
    made = by_hand.enrol_one(open_batch, typed(born=date(2009, 5, 6)), world.staff, TODAY,
                             consented=True, guardian=consent.Guardian("李强", "parent"))
    assert consent.active(made.person_id).guardian_name == "李强"


def test_the_same_person_twice_is_refused_on_the_number(world, open_batch):
    first = typed()
    by_hand.enrol_one(open_batch, first, world.staff, TODAY, consented=True)
    before = counts()
    with pytest.raises(DomainError, match="already has an application") as refused:
        by_hand.enrol_one(open_batch, first, world.staff, TODAY, consented=False)
    assert fields(refused.value) == {"id_number"} and counts() == before


def test_an_overlapping_seat_elsewhere_is_refused_with_its_title(world, open_batch):
    other = builders.batch(world.base, world.staff, TODAY, status="enrolling", title="另一期")
    held = enrolment.apply(other, builders.person(name="赵六"), world.staff)
    before = counts()
    with pytest.raises(DomainError, match="另一期"):
        by_hand.enrol_one(open_batch, typed("赵六", number=held.person.id_number),
                          world.staff, TODAY, consented=True)
    assert counts() == before


def test_the_batch_conditions_apply_as_on_every_path(world, open_batch):
    before = counts()  # no disability certificate, and the batch is not open to families
    with pytest.raises(DomainError, match="Cannot take a seat"):
        by_hand.enrol_one(open_batch, typed(cert=False), world.staff, TODAY, consented=True)
    assert counts() == before


def test_a_full_batch_puts_the_person_on_the_waiting_list(world, open_batch):
    for _ in range(2):
        by_hand.enrol_one(open_batch, typed(), world.staff, TODAY, consented=True)
    made = by_hand.enrol_one(open_batch, typed(), world.staff, TODAY, consented=True)
    assert made.status == "waiting" and open_batch.seats_taken == 2


def test_a_batch_not_open_is_refused(world):
    draft = builders.batch(world.base, world.staff, TODAY)
    before = counts()
    with pytest.raises(Conflict):
        by_hand.enrol_one(draft, typed(), world.staff, TODAY, consented=True)
    assert counts() == before
