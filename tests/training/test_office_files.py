"""Bulk enrolment from files written by a real office program: the workbooks of
tests/training/fixtures/ were saved by LibreOffice Calc (make_fixtures.py writes them), with
what people do in Excel, WPS and Calc: IDs typed as numbers and "fixed" with =TEXT(),
invisible and full-width characters, VLOOKUPs that found nothing, filters hiding rows, the
list on a second sheet, a column filled down past the list."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from tests.conftest import csrf_token, sign_in
from tests.training import builders
from tests.training.conftest import TODAY
from tests.training.excel_files import excel_site, workbook
from tests.training.fixtures import make_fixtures as made
from trainhub.core.people.models import Person
from trainhub.core.people.services import id_index
from trainhub.extensions import db
from trainhub.training import import_jobs, imports
from trainhub.training.imports import FileProblem
from trainhub.training.models import Enrolment, ImportJob

FIXTURES = Path(__file__).parent / "fixtures"


def _file(name: str) -> bytes:
    return (FIXTURES / f"{name}.xlsx").read_bytes()


def _run(batch, staff, data: bytes) -> ImportJob:
    job = import_jobs.start_import(batch, io.BytesIO(data), "学员名单.xlsx", staff, consented=True)
    db.session.commit()
    import_jobs.run_import(job.id)
    db.session.refresh(job)
    return job


def _chinese(job: ImportJob) -> list[tuple[object, str, str]]:
    with force_locale("zh_Hans_CN"):
        return [(e["row"], e["column"], gettext(e["message"], **e["params"]))
                for e in job.errors]


def _person(id_number: str) -> Person | None:
    return db.session.scalars(select(Person).where(
        Person.id_number_index == id_index(id_number))).one_or_none()


def _enrolled(batch) -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.batch_id == batch.id)) or 0


@pytest.fixture
def batch(world):
    return builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=20)


@pytest.mark.parametrize("name", sorted(made.SOURCES))
def test_the_fixtures_are_written_by_libreoffice(name):
    with zipfile.ZipFile(FIXTURES / f"{name}.xlsx") as package:
        assert "<Application>LibreOffice" in package.read("docProps/app.xml").decode()


def test_ids_and_certificates_that_lost_digits_are_refused_as_such(world, batch):
    people = db.session.scalar(select(func.count()).select_from(Person))
    job = _run(batch, world.staff, _file("lost_digits"))
    errors = _chinese(job)
    # 钟建新's =TEXT() result 360703198601281000 has a right check character: it is
    # refused all the same, for what it is, and so are the others (not as a wrong check
    # character or length).
    assert [(row, column) for row, column, _m in errors] == [
        (2, "公民身份号码"), (3, "公民身份号码"), (4, "公民身份号码"), (5, "残疾人证号")]
    assert all("15 位" in message for _r, _c, message in errors), errors
    assert "000" in errors[0][2] and "00" in errors[3][2]
    assert _person(made.ZHONG_STORED) is None
    assert db.session.scalar(select(func.count()).select_from(Person)) == people
    assert _enrolled(batch) == 0


def test_invisible_and_full_width_characters_are_not_stored(world, batch):
    job = _run(batch, world.staff, _file("invisible_characters"))
    assert (job.status, job.imported, job.errors) == ("done", 4, [])
    stored = {key: _person(number) for key, number in made.CLEAN.items()}
    assert {key: p.name for key, p in stored.items() if p} == {
        "zhong": "钟建新", "wang": "王芳", "li": "李四", "zhao": "赵六"}
    assert stored["li"] and stored["li"].phone == "13912345678"
    assert stored["wang"] and stored["wang"].cert_number == made.CLEAN["wang"] + "12"
    assert stored["zhao"] and stored["zhao"].household_region_code == "360102"
    assert stored["zhong"] and stored["zhong"].sex == "M"


def test_a_name_stored_with_invisible_characters_matches_the_clean_name(world, batch):
    """Records imported before cells were cleaned: the clean name is the same person."""
    person = builders.person(name="王\u3000芳\u200b")
    job = _run(batch, world.staff, workbook([["王芳", person.id_number, person.cert_number,
                                              None, "360102", None]]))
    assert (job.status, job.errors) == ("done", [])


def test_a_lookup_that_found_nothing_is_refused(world, batch):
    job = _run(batch, world.staff, _file("lookup_miss"))
    ((row, column, message),) = _chinese(job)
    assert (row, column) == (3, "姓名")
    assert "#N/A" in message and "VLOOKUP" in message
    assert _enrolled(batch) == 0
    assert db.session.scalar(select(func.count()).select_from(Person).where(
        Person.name == "#N/A")) == 0


def test_rows_hidden_by_a_filter_are_refused(world, batch):
    job = _run(batch, world.staff, _file("filtered"))
    errors = _chinese(job)
    assert [(row, column) for row, column, _m in errors] == [(3, ""), (5, "")]
    assert all("隐藏" in message and "筛选" in message for _r, _c, message in errors)
    assert _enrolled(batch) == 0


def test_the_list_on_a_second_sheet_below_a_title_is_found_and_named(world, batch):
    job = _run(batch, world.staff, _file("second_sheet"))
    assert job.status == "failed"
    # Rows numbered as in the sheet: title row 1, header row 2, the bad ID in row 4 (its
    # certificate, made from it, fails too).
    assert [(e["row"], e["column"], e["sheet"]) for e in job.errors] == [
        (4, "公民身份号码", "学员名单（二班）"), (4, "残疾人证号", "学员名单（二班）")]


def test_a_workbook_without_the_headers_names_the_sheets_it_looked_at():
    book = workbook([["张三", "360102199001010026"]], header=["姓名", "身份证号"])
    with pytest.raises(FileProblem) as refused:
        imports.read_sheet(book)
    assert refused.value.params == {"sheets": "“学员名单”", "sheet": "学员名单",
                                    "columns": "户籍所在县（市、区）"}


def test_a_column_filled_down_past_the_list_imports_the_list(world, batch):
    job = _run(batch, world.staff, _file("filled_down"))
    assert (job.status, job.imported, job.total_rows, job.errors) == ("done", 3, 3, [])


@pytest.fixture
def site(app, make):
    return excel_site(app, make)


def test_the_result_page_names_the_sheet_read(app, client, site):
    sign_in(client, site["staff"])
    roster = f"/training/batches/{site['batch']}/roster"
    response = client.post(f"/training/batches/{site['batch']}/imports", data={
        "csrf_token": csrf_token(client, roster),
        "file": (io.BytesIO(_file("second_sheet")), "名单.xlsx"), "consent": "y"},
        content_type="multipart/form-data")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "工作表“学员名单（二班）”" in page
    assert '<th scope="row">4</th><td>公民身份号码</td>' in page
