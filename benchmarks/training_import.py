"""Bulk enrolment of 1,000 trainees from one Excel file, as an institution would upload it.

On a throw-away SQLite database (or BENCH_DATABASE_URL): a batch of 1,000 seats at a
certified base, then (1) a file with one bad row among 1,000 good ones, checked and refused
with nothing imported, and (2) the corrected file, checked and imported in one transaction:
1,000 new person records (encrypted numbers, blind index) and 1,000 enrolments, each
through enrolment.apply, with progress written beside the transaction. Reported, no target.
Run alone with `python -m benchmarks.training_import`, or with the others by `make bench`.
"""

from __future__ import annotations

import io
import os
import tempfile
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from typing import Any

import openpyxl
from sqlalchemy import delete, func, insert, select, update

from benchmarks.harness import Report, compare
from trainhub.cli.demo import make_resident_id, uscc
from trainhub.core.timeutil import LOCAL_TZ, local_today
from trainhub.extensions import db

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "1000"))


def _workbook(rows: int, bad_row: int | None = None) -> bytes:
    from trainhub.training.imports import COLUMNS

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("学员名单")
    sheet.append([c.header for c in COLUMNS])
    for n in range(rows):
        id_number = make_resident_id("360102", date(1980, 1, 1) + timedelta(days=n // 500),
                                     n % 500 * 2 + 1)
        if n == bad_row:
            id_number = id_number[:17] + ("1" if id_number[17] == "0" else "0")
        sheet.append([f"学员{n}", id_number, f"{id_number}{n % 7 + 1}{n % 4 + 1}",
                      f"139{n:08d}", "东湖区", "未就业"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _seed(capacity: int) -> tuple[Any, Any]:
    """A certified base in 东湖区, its staff, and an open batch of `capacity` seats."""
    from trainhub.bases.models import ApplicationStatus, Base, BaseApplication
    from trainhub.core.accounts.models import User
    from trainhub.core.organisations import Institution
    from trainhub.training import batches
    from trainhub.training.batches import BatchInput, SessionInput
    from trainhub.training.models import Batch

    today = local_today()
    owner = Institution(name="基准培训学校", region_code="360102",
                        credit_code=uscc("52", "360102", "BENCH0002"))
    db.session.add(owner)
    db.session.flush()
    staff = User(username="bench-staff", display_name="bench", role="institution_staff",
                 password_hash="x", institution_id=owner.id)  # noqa: S106 - no sign-in
    officer = User(username="bench-officer", display_name="bench", role="federation_officer",
                   password_hash="x", region_code="360102")  # noqa: S106
    db.session.add_all([staff, officer])
    db.session.flush()
    application = BaseApplication(institution_id=owner.id, kind="training", level_sought="county",
                                  specialties=["massage"], region_code="360102", answers={},
                                  status=ApplicationStatus.CERTIFIED.value,
                                  created_by_id=officer.id)
    db.session.add(application)
    db.session.flush()
    base = Base(institution_id=owner.id, application_id=application.id, kind="training",
                level="county", region_code="360102", specialties=["massage"], year=today.year,
                sequence=1, certificate_number="赣残培基〔2026〕第B001号",
                valid_from=today - timedelta(days=30), valid_until=today + timedelta(days=700),
                verification_code="bench-code", certified_by_id=officer.id)
    db.session.add(base)
    db.session.flush()
    start = today + timedelta(days=10)
    batch = batches.create_batch(base, BatchInput(
        title="基准班", category="massage", occupation="保健按摩师",
        training_type="employment_skills", certificate_type="skill_level",
        certificate_level="junior", delivery="in_person", delivery_models=("project",),
        provisions=(), start_date=start, end_date=start + timedelta(days=4), capacity=500,
        fee_fen=100000, admission="auto", venue="", description=""), staff, today)
    for day in range(5):
        begins = datetime.combine(start + timedelta(days=day), dtime(9), LOCAL_TZ)
        batches.add_session(batch, SessionInput(begins, begins + timedelta(hours=9),
                                                Decimal(8), "in_person", "实操"))
    batches.submit(batch, today)
    batches.approve(batch, officer, today)
    batches.open_enrolment(batch)
    # More seats than the batch form allows (500), so that 1,000 rows fit.
    db.session.execute(update(Batch).where(Batch.id == batch.id).values(capacity=capacity))
    db.session.commit()
    return batch, staff


def _run(batch_id: int, staff_id: int, data: bytes) -> Any:
    from trainhub.core.accounts.models import User
    from trainhub.training import import_jobs
    from trainhub.training.models import Batch, ImportJob

    batch, staff = db.session.get(Batch, batch_id), db.session.get(User, staff_id)
    job = import_jobs.start_import(batch, io.BytesIO(data), "学员名单.xlsx", staff,
                                     consented=True)
    db.session.commit()
    import_jobs.run_import(job.id)
    return db.session.get(ImportJob, job.id)


class _Marks:
    """The highest person id before a run, so that what a run wrote can be removed after
    it (its audit rows stay: the log is append-only, even here)."""

    def __init__(self) -> None:
        from trainhub.core.people.models import Person

        self.person = db.session.scalar(select(func.max(Person.id))) or 0

    def undo(self, batch_id: int) -> None:
        from trainhub.core.people.models import Person
        from trainhub.core.privacy.models import Consent
        from trainhub.training.models import Batch, Enrolment

        db.session.rollback()
        db.session.execute(delete(Enrolment).where(Enrolment.batch_id == batch_id))
        # the import records each new person's consent (issue 15) before their enrolment
        db.session.execute(delete(Consent).where(Consent.person_id > self.person))
        db.session.execute(delete(Person).where(Person.id > self.person))
        db.session.execute(update(Batch).where(Batch.id == batch_id).values(seats_taken=0))
        db.session.commit()
        db.session.expire_all()


def _stored_rows(batch_id: int, marks: _Marks) -> tuple[list[dict[str, Any]], list[str]]:
    """What the import stored, as rows to insert again: the people (numbers decrypted, the
    type encrypts them again) and the columns of their enrolments."""
    from trainhub.core.people.models import Person

    columns = [c for c in Person.__table__.columns if c.name != "id"]
    people = [dict(row._mapping) for row in db.session.execute(
        select(*columns).where(Person.id > marks.person).order_by(Person.id))]
    return people, [c.name for c in columns]


def _floor(batch_id: int, data: bytes, people: list[dict[str, Any]], marks: _Marks) -> None:
    """Parse the file (openpyxl, read-only) and insert the same people and enrolments in
    one statement each."""
    from trainhub.core.people.models import Person
    from trainhub.training.models import Enrolment

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parsed = [row for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    assert len(parsed) == len(people) + 1
    made = db.session.execute(insert(Person).returning(Person.id, sort_by_parameter_order=True),
                              people).scalars().all()
    db.session.execute(insert(Enrolment), [
        {"batch_id": batch_id, "person_id": person_id, "status": "admitted"}
        for person_id in made])
    db.session.commit()


def figures(report: Report, app: Any, scale: float) -> None:
    """A file of 10,000 trainees (× scale, at least 500) imported, and the same file with
    one bad row refused, each beside parsing the file and inserting its rows once."""
    rows = max(500, int(10_000 * scale))
    good, bad = _workbook(rows), _workbook(rows, bad_row=rows // 2)
    with app.app_context(), app.test_request_context():
        batch, staff = _seed(rows)
        batch_id, staff_id = batch.id, staff.id
        marks = _Marks()
        job = _run(batch_id, staff_id, good)
        notes = {"rows": rows, "status": job.status, "imported": job.imported}
        if job.status != "done":
            notes["errors"] = len(job.errors)
        people, _columns = _stored_rows(batch_id, marks)
        marks.undo(batch_id)

        def project() -> None:
            try:
                _run(batch_id, staff_id, good)
            finally:
                marks.undo(batch_id)

        def floor() -> None:
            try:
                _floor(batch_id, good, people, marks)
            finally:
                marks.undo(batch_id)

        if people:
            report.add(compare(f"Excel enrolment, {rows} rows", project, floor, goal=5,
                               runs=3, notes=notes))

            def refused() -> None:
                job = _run(batch_id, staff_id, bad)
                assert job.status == "failed" and job.imported == 0, job.status
                marks.undo(batch_id)

            report.add(compare(f"Excel enrolment, one bad row among {rows}, refused",
                               refused, floor, goal=2, runs=3, notes={"rows": rows}))
        else:
            print(f"Excel enrolment, {rows} rows: not imported ({notes}); no figure")


def main() -> None:
    from benchmarks.__main__ import make_app

    app = make_app(tempfile.mkdtemp(prefix="trainhub-bench-import-"))
    figures(Report("sqlite", 1.0), app, float(os.environ.get("BENCH_SCALE", "0.1")))


if __name__ == "__main__":
    main()
