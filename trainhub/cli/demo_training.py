"""Demo training: an enterprise demand, and batches of the certified massage base in
南昌市东湖区 at every stage — awaiting approval, open for applications, running with
attendance marked, and completed with results — so each role's pages show real work."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from trainhub.bases.models import Base
from trainhub.core.accounts.models import User
from trainhub.core.organisations import Enterprise
from trainhub.core.people.models import Person
from trainhub.core.timeutil import from_local, local_today
from trainhub.extensions import db
from trainhub.training import attendance, batches, completion, demands, enrolment
from trainhub.training.batches import BatchInput, SessionInput
from trainhub.training.models import Batch


def _user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def _person(username: str) -> Person:
    person = _user(username).person
    assert person is not None
    return person


def _batch(base: Base, title: str, start: date, *, days: int, capacity: int,
           created: date, provisions: tuple[str, ...], family: bool = False) -> Batch:
    staff = _user("school.staff")
    made = batches.create_batch(base, BatchInput(
        title=title, category="massage", occupation="保健按摩师",
        training_type="employment_skills", certificate_type="skill_level",
        certificate_level="junior", delivery="in_person", delivery_models=("project",),
        provisions=provisions, start_date=start, end_date=start + timedelta(days=days - 1),
        capacity=capacity, fee_fen=150000, admission="auto", venue="南昌市东湖区阳明路 88 号",
        description="面向视力残疾人的保健按摩技能培训，理论与实操结合，结业后参加职业技能等级认定。",
        open_to_family_members=family), staff, created)
    topics = ["经络腧穴基础", "推拿基本手法", "常见病按摩", "实操训练", "综合考核"]
    for offset in range(days):
        day = start + timedelta(days=offset)
        batches.add_session(made, SessionInput(
            from_local(day, _time(9)), from_local(day, _time(17)), Decimal(7), "in_person",
            topics[offset % len(topics)]))
    return made


def _time(hour: int) -> time:
    return time(hour, 0)


def _approved(base: Base, title: str, start: date, created: date, *, days: int,
              capacity: int, provisions: tuple[str, ...], family: bool = False) -> Batch:
    made = _batch(base, title, start, days=days, capacity=capacity, created=created,
                  provisions=provisions, family=family)
    batches.submit(made, created)
    batches.approve(made, _user("donghu.officer"), created, "同意开班")
    batches.open_enrolment(made)
    return made


def load_demo_training(enterprise: Enterprise, today: date | None = None) -> None:
    today = today or local_today()
    base = db.session.scalars(select(Base).where(Base.region_code == "360102")).first()
    if base is None:
        return
    staff = _user("school.staff")
    demands.post_demand(enterprise, demands.DemandInput(
        "电商客服岗位定向培训", "互联网营销师", "ecommerce_service", 20,
        "熟练使用电脑和读屏软件，普通话标准", "360111", "南昌市青山湖区高新大道", 380000, 12,
        today + timedelta(days=45)), _user("enterprise"), today)

    done_start = today - timedelta(days=25)
    done = _approved(base, "2026年第一期盲人保健按摩培训班", done_start,
                     done_start - timedelta(days=3), days=5, capacity=20,
                     provisions=("braille", "screen_reader"))
    graduate = enrolment.apply(done, _person("trainee2"), staff)
    batches.start(done, done_start)
    for offset, session in enumerate(done.sessions):
        attendance.mark_session(session, {graduate.id: "present" if offset else "late"}, staff,
                                from_local(done_start + timedelta(days=offset), _time(18)))
    end = done_start + timedelta(days=4)
    batches.complete(done, from_local(end + timedelta(days=1), _time(9)))
    completion.record_result(graduate, completion.ResultInput(
        True, end, "skill_level", "junior", "S202636010200017", end), staff, end,
        from_local(end + timedelta(days=1), _time(10)))

    running_start = today - timedelta(days=2)
    running = _approved(base, "2026年第二期盲人保健按摩培训班", running_start,
                        running_start - timedelta(days=5), days=6, capacity=15,
                        provisions=("braille", "large_print"))
    trainee = enrolment.apply(running, _person("trainee1"), staff)
    batches.start(running, running_start)
    attendance.mark_session(running.sessions[0], {trainee.id: "present"}, staff,
                            from_local(running_start, _time(18)))

    upcoming = _approved(base, "2026年第三期盲人保健按摩培训班", today + timedelta(days=14),
                         today, days=5, capacity=20,
                         provisions=("braille", "screen_reader", "step_free"), family=True)
    enrolment.apply(upcoming, _person("trainee2"), staff)

    waiting = _batch(base, "2026年盲人按摩提高班", today + timedelta(days=40), days=4,
                     capacity=12, created=today, provisions=("braille",))
    batches.submit(waiting, today)
