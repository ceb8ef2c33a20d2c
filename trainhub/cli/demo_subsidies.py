"""Demo subsidies: this year's budgets of the province, 南昌市 and 东湖区; the claims of the
completed demo batch awaiting approval; and a settled batch whose decisions show every
other state — paid, approved and awaiting payment, refused by the rules (employed at
enrolment), paid by the day rule (attendance below 80%), and rejected with a reason."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from trainhub.bases.models import Base
from trainhub.core.accounts.models import User
from trainhub.core.people.models import Person
from trainhub.core.timeutil import from_local
from trainhub.extensions import db
from trainhub.subsidies import budgets, decisions
from trainhub.subsidies.models import Decision
from trainhub.training import attendance, batches, completion, enrolment
from trainhub.training.batches import BatchInput, SessionInput
from trainhub.training.catalog import BatchStatus
from trainhub.training.models import Batch

# region, officer, fee budget, living budget (fen)
BUDGETS = [("36", "sheng.officer", 200_000_000, 80_000_000),
           ("3601", "nanchang.officer", 30_000_000, 10_000_000),
           ("360102", "donghu.officer", 5_000_000, 2_000_000)]
# trainee account, a mark per day (5 days)
TRAINEES = [("trainee3", ("present",) * 5),
            ("trainee4", ("present",) * 5),  # employed at enrolment: refused by the rules
            ("trainee5", ("present", "present", "absent", "present", "absent"))]  # day rule
REJECTION = "经核查，该学员本年度已在外省领取同类生活费补贴，不予重复发放。"


def _user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def _person(username: str) -> Person:
    person = _user(username).person
    assert person is not None
    return person


def _settled_batch(base: Base, start: date) -> Batch:
    """An intermediate-level course run five days from `start`, with its results."""
    staff = _user("school.staff")
    made = batches.create_batch(base, BatchInput(
        title=f"{start.year}年盲人保健按摩中级强化班", category="massage",
        occupation="保健按摩师", training_type="employment_skills",
        certificate_type="skill_level", certificate_level="intermediate", delivery="in_person",
        delivery_models=("project",), provisions=("braille", "screen_reader"),
        start_date=start, end_date=start + timedelta(days=4), capacity=10, fee_fen=150000,
        admission="auto", venue="南昌市东湖区阳明路 88 号",
        description="面向已取得初级证书的视力残疾人，结业后参加中级职业技能等级认定。"),
        staff, start - timedelta(days=3))
    for offset in range(5):
        day = start + timedelta(days=offset)
        batches.add_session(made, SessionInput(from_local(day, time(9)),
                                               from_local(day, time(17)), Decimal(7),
                                               "in_person", "中级手法实操"))
    batches.submit(made, start - timedelta(days=3))
    batches.approve(made, _user("donghu.officer"), start - timedelta(days=3), "同意开班")
    batches.open_enrolment(made)
    trainees = [enrolment.apply(made, _person(name), staff) for name, _ in TRAINEES]
    batches.start(made, start)
    for offset, session in enumerate(made.sessions):
        marks = {t.id: TRAINEES[n][1][offset] for n, t in enumerate(trainees)}
        attendance.mark_session(session, marks, staff,
                                from_local(start + timedelta(days=offset), time(18)))
    end = start + timedelta(days=4)
    after = from_local(end + timedelta(days=1), time(9))
    batches.complete(made, after)
    for n, trainee in enumerate(trainees):
        completion.record_result(trainee, completion.ResultInput(
            True, end, "skill_level", "intermediate", f"S20263601020010{n}", end), staff, end,
            after)
    batches.settle(made)
    return made


def _of(batch: Batch, username: str, kind: str) -> Decision:
    person = _person(username)
    return db.session.scalars(select(Decision).where(
        Decision.batch_id == batch.id, Decision.person_id == person.id,
        Decision.kind == kind)).one()


def load_demo_subsidies(today: date) -> None:
    base = db.session.scalars(select(Base).where(Base.region_code == "360102")).first()
    if base is None:
        return
    for region, username, fee, living in BUDGETS:
        budgets.set_budget(region, today.year, "fee", fee, _user(username))
        budgets.set_budget(region, today.year, "living", living, _user(username))
    staff, officer = _user("school.staff"), _user("donghu.officer")

    done = db.session.scalars(select(Batch).where(
        Batch.status == BatchStatus.COMPLETED.value, Batch.base_id == base.id)).first()
    if done is not None:  # claimed, awaiting the federation
        decisions.submit(decisions.compute_batch(done, staff, today), staff, today)

    settled = _settled_batch(base, today - timedelta(days=20))
    made = decisions.compute_batch(settled, staff, today)
    decisions.submit(made, staff, today)
    decisions.approve([_of(settled, "trainee3", "fee"), _of(settled, "trainee3", "living"),
                       _of(settled, "trainee5", "fee")], officer, today)
    for number, kind in enumerate(("fee", "living"), start=1):
        decisions.pay(_of(settled, "trainee3", kind), officer, today,
                      f"GK{today:%Y%m%d}-{number:03d}", today)
    decisions.reject(_of(settled, "trainee5", "living"), officer, REJECTION)
