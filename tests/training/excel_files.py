"""Excel files for the import and export tests: workbooks of trainees written with openpyxl
as an institution would fill the template, files that only pretend to be workbooks, and
the objects the permission matrix needs for the import and export endpoints."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import openpyxl
from sqlalchemy import update

from tests.training import builders
from tests.training.builders import build
from trainhub.cli.demo import make_resident_id
from trainhub.extensions import db
from trainhub.training import enrolment as enrolment_service
from trainhub.training.imports import COLUMNS
from trainhub.training.models import Batch, ImportJob

HEADERS = [c.header for c in COLUMNS]


def trainee_rows(count: int, *, region: str = "360102", start: int = 0,
                 born: date = date(1985, 1, 1)) -> list[list[Any]]:
    """`count` valid rows with distinct ID numbers (checksums right, certificates matching)."""
    rows = []
    for n in range(start, start + count):
        id_number = make_resident_id(region, born + timedelta(days=n // 500), n % 500 * 2 + 1)
        rows.append([f"学员{n}", id_number, f"{id_number}{n % 7 + 1}{n % 4 + 1}",
                     f"139{n:08d}", region if n % 2 else "东湖区", "未就业"])
    return rows


def workbook(rows: Iterable[Sequence[Any]], header: Sequence[str] = HEADERS) -> bytes:
    """A real .xlsx, written the way openpyxl (and Excel) store it."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("学员名单")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cells(data: bytes) -> list[list[Any]]:
    """Every sheet's values, row by row (a sheet's title first)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    found: list[list[Any]] = []
    for sheet in book.worksheets:
        found.append([sheet.title])
        found.extend([list(r) for r in sheet.iter_rows(values_only=True)])
    return found


def package_text(data: bytes) -> str:
    """All the XML inside the package, to search for a number however it is stored."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace")
                       for name in archive.namelist())


PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n"
       b"%%EOF\n")
CSV = "姓名,公民身份号码\n张三,360102199001010026\n".encode()


def zip_bomb(unpacked_mb: int) -> bytes:
    """A package with the parts of a workbook and one part that inflates to `unpacked_mb`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (unpacked_mb * 1024 * 1024))
    return buffer.getvalue()


def set_capacity(batch: Batch, capacity: int) -> None:
    """More seats than the batch form allows (500), so a 1,000-row file fits."""
    db.session.execute(update(Batch).where(Batch.id == batch.id).values(capacity=capacity))
    db.session.refresh(batch)


def build_import_job(app: Any, make: Any) -> dict[str, int]:
    """The matrix's open batch, with one finished import of it."""
    ids = build(app, make, "enrolling")
    with app.app_context():
        batch = db.session.get(Batch, ids["enrolling"])
        assert batch is not None
        job = ImportJob(batch_id=batch.id, created_by_id=batch.created_by_id,
                        original_name="学员名单.xlsx", storage_key="0" * 32, status="done",
                        total_rows=1, processed_rows=1, imported=1, errors=[])
        db.session.add(job)
        db.session.commit()
        ids["import_job"] = job.id
    return ids


def excel_site(app: Any, make: Any) -> dict[str, Any]:
    """An open batch in 东湖区 with two admitted trainees (one with a phone), its staff,
    and the other actors of the Excel pages, all committed; values are ids and usernames."""
    from trainhub.core.accounts.models import User
    from trainhub.core.timeutil import local_today

    with app.app_context():
        owner = builders.institution("360102", "东湖区盲人按摩学校")
        today = local_today()
        base = builders.base(owner, valid_from=today - timedelta(days=60),
                             valid_until=today + timedelta(days=700))
        db.session.commit()
        owner_id, base_id = owner.id, base.id
    site: dict[str, Any] = {"staff": make.user("institution_staff", institution_id=owner_id),
                            "officer": make.user("federation_officer", region_code="3601"),
                            "other_officer": make.user("federation_officer",
                                                       region_code="360103"),
                            "other_staff": make.user("institution_staff"),
                            "admin": make.user("admin")}
    with app.app_context():
        staff = db.session.query(User).filter_by(username=site["staff"]).one()
        made = builders.batch(db.session.get(builders.Base, base_id), staff, today,
                              status="enrolling", capacity=20)
        people = [builders.person(name="刘一"), builders.person(name="陈二")]
        people[0].phone = "13812345678"
        for person in people:
            enrolment_service.apply(made, person, staff)
        db.session.commit()
        site.update(batch=made.id, ids=[p.id_number for p in people],
                    certs=[p.cert_number for p in people])
    return site
