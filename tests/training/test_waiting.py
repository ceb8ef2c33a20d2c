"""What waits in training for the home pages: the right numbers, in the list pages' scope
(an officer of another county sees none of it, nor another institution's staff)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.training import builders
from tests.training.conftest import TODAY
from trainhub.training import attendance, batches, demands, waiting

START = TODAY + timedelta(days=10)


def test_officers_count_the_batches_awaiting_approval_in_their_region_only(world):
    submitted = builders.batch(world.base, world.staff, TODAY, status="submitted")
    builders.batch(world.base, world.staff, TODAY, status="draft")  # not theirs yet
    for officer in (world.county, world.city):
        found = waiting.for_officer(officer)
        assert found.by_status == {"submitted": 1}
        assert [row.id for row in found.submitted] == [submitted.id]
    assert waiting.for_officer(world.other_county).by_status == {}
    assert waiting.for_officer(world.other_county).submitted == []


def test_staff_count_the_applications_to_decide_by_batch(world):
    manual = builders.batch(world.base, world.staff, TODAY, status="enrolling",
                            admission="manual")
    builders.enrol(manual, 3, world.staff)
    auto = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    builders.enrol(auto, 2, world.staff)  # admitted at once: nothing to decide
    found = waiting.for_staff(world.staff, builders.local(TODAY, 12))
    assert found.to_decide == 3
    assert [(r.id, r.count) for r in found.to_decide_rows] == [(manual.id, 3)]
    assert found.by_status == {"enrolling": 2}
    other = builders.user("institution_staff", institution_id=builders.institution().id)
    assert waiting.for_staff(other, builders.local(TODAY, 12)).to_decide == 0


def test_staff_count_the_sessions_begun_without_attendance(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", days=5)
    trainees = builders.enrol(batch, 2, world.staff)
    batches.start(batch, START)
    third_day = builders.local(START + timedelta(days=2), 12)
    found = waiting.for_staff(world.staff, third_day)
    assert (found.to_mark, [(r.id, r.count) for r in found.to_mark_rows]) == (3, [(batch.id, 3)])
    attendance.mark_session(batch.sessions[0], {t.id: "present" for t in trainees},
                            world.staff, builders.local(START, 18))
    assert waiting.for_staff(world.staff, third_day).to_mark == 2


def test_trainees_this_year_are_the_people_admitted_in_the_region(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    builders.enrol(batch, 4, world.staff)
    year = batch.start_date.year
    assert waiting.trainees_in_year(world.county, year) == 4
    assert waiting.trainees_in_year(world.city, year) == 4
    assert waiting.trainees_in_year(world.other_county, year) == 0
    assert waiting.trainees_in_year(world.county, year + 1) == 0


def test_a_trainee_sees_their_applications_and_next_sessions(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", days=2)
    [mine] = builders.enrol(batch, 1, world.staff)
    found = waiting.for_trainee(mine.person_id, builders.local(TODAY, 12))
    assert found.by_status == {"admitted": 1}
    assert [s[1] for s in found.next_sessions] == [s.starts_at for s in batch.sessions]
    after = builders.local(date(2027, 1, 1), 12)
    assert waiting.for_trainee(mine.person_id, after).next_sessions == []


def test_an_enterprise_counts_its_own_demands_and_the_batches_answering_them(world):
    def post(owner):
        contact = builders.user("enterprise_contact", enterprise_id=owner.id)
        made = demands.post_demand(owner, demands.DemandInput(
            "招聘按摩师", "保健按摩师", "massage", 10, "", "360102", "", 300000, 5,
            TODAY + timedelta(days=30)), contact, TODAY)
        return contact, made

    mine, other = builders.enterprise("360102"), builders.enterprise("360102")
    contact, demand = post(mine)
    post(other)
    answering = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    answering.demand_id = demand.id
    builders.batch(world.base, world.staff, TODAY, status="enrolling")  # answers nothing
    found = waiting.for_enterprise(contact)
    assert (found.demands, found.batches) == ({"open": 1}, {"enrolling": 1})


def test_trainees_this_year_follow_every_change_to_the_batches_and_enrolments(world):
    """The figure is kept under the region's training version (training.versions): an
    enrolment added or withdrawn, a batch's status changed, each is counted at once."""
    from sqlalchemy import update

    from trainhub.extensions import db
    from trainhub.training.models import Batch, Enrolment

    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    builders.enrol(batch, 2, world.staff)
    year = batch.start_date.year
    assert waiting.trainees_in_year(world.city, year) == 2
    builders.enrol(batch, 1, world.staff)
    assert waiting.trainees_in_year(world.city, year) == 3
    db.session.execute(update(Enrolment).where(Enrolment.batch_id == batch.id)
                       .values(status="withdrawn"))
    assert waiting.trainees_in_year(world.city, year) == 0
    db.session.execute(update(Enrolment).where(Enrolment.batch_id == batch.id)
                       .values(status="admitted"))
    assert waiting.trainees_in_year(world.city, year) == 3
    # a batch back to draft is no longer the officers' (training.rules)
    db.session.execute(update(Batch).where(Batch.id == batch.id).values(status="draft"))
    assert waiting.trainees_in_year(world.city, year) == 0


def test_officers_batches_follow_every_change_to_them(world):
    """Kept under the region's training version: a batch submitted or renamed shows at once."""
    from sqlalchemy import update

    from trainhub.extensions import db
    from trainhub.training.models import Batch

    first = builders.batch(world.base, world.staff, TODAY, status="submitted")
    assert waiting.for_officer(world.city).by_status == {"submitted": 1}
    builders.batch(world.base, world.staff, TODAY, status="submitted")
    assert waiting.for_officer(world.city).by_status == {"submitted": 2}
    db.session.execute(update(Batch).where(Batch.id == first.id).values(title="改名的班"))
    assert waiting.for_officer(world.city).submitted[0].title == "改名的班"
