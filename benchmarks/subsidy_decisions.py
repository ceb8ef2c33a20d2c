"""Computing and storing subsidy decisions for 10,000 enrolments (100 completed batches of
100 trainees, five 8-hour sessions each) on a throw-away database: what an officer waits
for when a whole month of batches is computed. Reported, no target.

Run alone with `python -m benchmarks.subsidy_decisions` (BENCH_DATABASE_URL for
PostgreSQL), or with the others through `make bench`."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any

from sqlalchemy import Text, cast, delete, func, insert, select

from benchmarks.harness import Report, compare
from trainhub.bases.models import ApplicationStatus, Base, BaseApplication
from trainhub.cli.demo import make_resident_id, uscc
from trainhub.core.accounts.models import User
from trainhub.core.organisations import Institution
from trainhub.core.people.models import EmploymentStatus
from trainhub.core.people.services import PersonInput, create_person
from trainhub.core.timeutil import LOCAL_TZ
from trainhub.extensions import db
from trainhub.subsidies import decisions
from trainhub.subsidies.models import ClaimInputs, Decision
from trainhub.training.models import Attendance, Batch, Completion, Enrolment, Session

BATCHES = int(os.environ.get("BENCH_BATCHES", "100"))
PER_BATCH = int(os.environ.get("BENCH_PER_BATCH", "100"))
START = date(2026, 3, 2)
CLAIMED = date(2026, 9, 1)


def _base(user: User) -> Base:
    owner = Institution(name="基准测试学校", region_code="360102",
                        credit_code=uscc("52", "360102", "BENCH0001"))
    db.session.add(owner)
    db.session.flush()
    application = BaseApplication(institution_id=owner.id, kind="training",
                                  level_sought="county", specialties=["massage"],
                                  region_code="360102", answers={}, created_by_id=user.id,
                                  status=ApplicationStatus.CERTIFIED.value)
    db.session.add(application)
    db.session.flush()
    base = Base(institution_id=owner.id, application_id=application.id, kind="training",
                level="county", region_code="360102", specialties=["massage"], year=2025,
                sequence=1, certificate_number="赣残培基〔2025〕第0001号",
                valid_from=date(2025, 1, 1), valid_until=date(2027, 12, 31),
                verification_code="bench", certified_by_id=user.id)
    db.session.add(base)
    db.session.flush()
    return base


def _people(count: int) -> list[int]:
    ids = []
    for i in range(count):
        id_number = make_resident_id("360102", date(1975, 1, 1) + timedelta(days=i // 900),
                                     i % 900 + 1)
        ids.append(create_person(PersonInput(
            name=f"学员{i}", id_number=id_number, cert_number=f"{id_number}12", phone=None,
            household_region_code="360102", employment_status=EmploymentStatus.UNEMPLOYED),
            date(2026, 1, 1)).id)
    return ids


def _batches(base: Base, user: User, people: list[int], count: int) -> list[int]:
    made = []
    for n in range(count):
        start = START + timedelta(days=7 * (n % 20))
        batch = Batch(title=f"基准班{n}", institution_id=base.institution_id, base_id=base.id,
                      region_code="360102", category="massage", occupation=f"工种{n % 7}",
                      training_type="upgrading", certificate_type="skill_level",
                      certificate_level="intermediate", delivery="in_person", start_date=start,
                      end_date=start + timedelta(days=4), capacity=PER_BATCH,
                      seats_taken=PER_BATCH, fee_fen=200000, admission="auto",
                      status="completed", created_by_id=user.id)
        db.session.add(batch)
        db.session.flush()
        for day in range(5):
            begins = datetime.combine(start + timedelta(days=day), clock(9), LOCAL_TZ)
            db.session.add(Session(batch_id=batch.id, starts_at=begins.astimezone(UTC),
                                   ends_at=(begins + timedelta(hours=9)).astimezone(UTC),
                                   hours=Decimal(8), mode="in_person"))
        db.session.flush()
        _enrol(batch, people[n * PER_BATCH:(n + 1) * PER_BATCH], user)
        made.append(batch.id)
    return made


def _enrol(batch: Batch, people: list[int], user: User) -> None:
    db.session.execute(insert(Enrolment), [
        {"batch_id": batch.id, "person_id": p, "status": "admitted"} for p in people])
    enrolments = db.session.scalars(select(Enrolment.id).where(
        Enrolment.batch_id == batch.id)).all()
    sessions = db.session.scalars(select(Session.id).where(Session.batch_id == batch.id)).all()
    db.session.execute(insert(Attendance), [
        {"enrolment_id": e, "session_id": s, "status": "present" if (e + s) % 9 else "absent",
         "marked_by_id": user.id} for e in enrolments for s in sessions])
    end = batch.end_date
    db.session.execute(insert(Completion), [
        {"enrolment_id": e, "passed": True, "certificate_type": "skill_level",
         "certificate_level": "intermediate", "certificate_number": f"S{e:012d}",
         "certificate_date": end, "assessed_on": end, "recorded_by_id": user.id}
        for e in enrolments])


def _seed(batches: int) -> tuple[list[int], int]:
    user = User(username="bench-decisions", display_name="bench", role="federation_officer",
                region_code="360102", password_hash="x")  # noqa: S106 - no sign-in
    db.session.add(user)
    db.session.flush()
    made = _batches(_base(user), user, _people(batches * PER_BATCH), batches)
    db.session.commit()
    return made, user.id


def figures(report: Report, app: Any, scale: float) -> None:
    """The decisions of 10,000 enrolments (× scale, at least 1,000) computed and stored,
    beside one bulk insert of the same rows; and their stored size."""
    batches = max(10, int(BATCHES * scale))
    with app.app_context():
        batch_ids, user_id = _seed(batches)

        def compute() -> None:
            user = db.session.get(User, user_id)
            for batch_id in batch_ids:
                decisions.compute_batch(db.session.get(Batch, batch_id), user, CLAIMED)
            db.session.commit()

        def project() -> None:
            compute()
            _forget()

        compute()
        rows = [dict(r._mapping) for r in db.session.execute(select(
            *(c for c in Decision.__table__.columns if c.name != "id")))]
        inputs = [dict(r._mapping) for r in db.session.execute(select(ClaimInputs.__table__))]
        size = _bytes_per_decision()
        _forget()

        def floor() -> None:
            db.session.execute(insert(ClaimInputs.__table__), inputs)
            db.session.execute(insert(Decision.__table__), rows)
            db.session.commit()
            _forget()

        report.add(compare(f"stored decisions, {batches * PER_BATCH} enrolments", project,
                           floor, goal=3, runs=3,
                           notes={"decisions": len(rows),
                                  "bytes per decision": int(size or 0)}))


def _bytes_per_decision() -> float:
    """What a decision stores of its computation, on average: the trace, any stored text and
    its share of the claim's inputs (stored once for both subsidies)."""
    def length(column: Any) -> Any:
        return func.coalesce(func.sum(func.length(cast(column, Text))), 0)

    decisions = db.session.execute(select(
        func.count(), length(Decision.steps), length(Decision.stored_explanation))).one()
    inputs = db.session.scalar(select(length(ClaimInputs.inputs)))
    return (decisions[1] + decisions[2] + inputs) / max(decisions[0], 1)


def _forget() -> None:
    """Remove the stored decisions (and what hangs on them) for the next run."""
    db.session.rollback()
    db.session.execute(delete(Decision))
    db.session.execute(delete(ClaimInputs))
    db.session.commit()


def main() -> None:
    from benchmarks.__main__ import make_app

    app = make_app(tempfile.mkdtemp(prefix="trainhub-bench-decisions-"))
    figures(Report("sqlite", 1.0), app, float(os.environ.get("BENCH_SCALE", "0.1")))


if __name__ == "__main__":
    main()
