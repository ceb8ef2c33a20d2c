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
import time
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from typing import Any

import openpyxl
from flask_migrate import upgrade
from sqlalchemy import event, update
from sqlalchemy.engine import Engine

from trainhub import create_app
from trainhub.cli.demo import make_resident_id, uscc
from trainhub.core.crypto import generate_key_text
from trainhub.core.parameters.defaults import load_defaults
from trainhub.core.regions import load_regions
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
                        credit_code=uscc("52", "360102", "BENCH0001"))
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


def _timed(label: str, batch: Any, staff: Any, data: bytes) -> Any:
    from trainhub.training import import_jobs

    statements: Counter[str] = Counter()

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements[statement.split()[0].upper()] += 1

    event.listen(Engine, "before_cursor_execute", count)
    started = time.perf_counter()
    job = import_jobs.start_import(batch, io.BytesIO(data), "学员名单.xlsx", staff)
    db.session.commit()
    import_jobs.run_import(job.id)
    elapsed = time.perf_counter() - started
    event.remove(Engine, "before_cursor_execute", count)
    db.session.refresh(job)
    total = sum(statements.values())
    print(f"{label:<34} {elapsed:6.2f} s  {job.status:<7} imported {job.imported:>5}  "
          f"errors {len(job.errors)}  {total} SQL statements")
    return job


def main() -> None:
    folder = tempfile.mkdtemp(prefix="trainhub-bench-import-")
    url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    app = create_app({
        "TRAINHUB_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "bench-" + "x" * 40, "FIELD_ENCRYPTION_KEYS": f"k1={generate_key_text()}",
        "BLIND_INDEX_KEY": generate_key_text(), "UPLOAD_FOLDER": folder,
    })
    with app.app_context(), app.test_request_context():
        upgrade()
        load_regions()
        load_defaults()
        db.session.commit()
        batch, staff = _seed(ROWS)
        print(f"Excel import of {ROWS} rows ({url.split(':')[0]}):")
        _timed(f"{ROWS} rows, one bad: refused", batch, staff, _workbook(ROWS, bad_row=ROWS // 2))
        _timed(f"{ROWS} rows: checked and imported", batch, staff, _workbook(ROWS))


if __name__ == "__main__":
    main()
