"""Roster and attendance workbooks, masked unless a purpose is stated and logged; the
enrolment template."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import select

from tests.conftest import csrf_token, sign_in
from tests.training.excel_files import cells, excel_site, package_text
from trainhub.core.audit.models import AuditEntry
from trainhub.extensions import db
from trainhub.training.imports import COLUMNS, COUNTY_SHEET, EXAMPLE_ID


@pytest.fixture
def site(app, make):
    return excel_site(app, make)


def _roster(site) -> str:
    return f"/training/batches/{site['batch']}/roster"


def _full(client, site, kind: str, purpose: str):
    page = _roster(site) if kind == "roster" else f"/training/batches/{site['batch']}/attendance"
    return client.post(f"/training/batches/{site['batch']}/{kind}.xlsx",
                       data={"csrf_token": csrf_token(client, page), "purpose": purpose})


@pytest.mark.parametrize("kind", ["roster", "attendance"])
def test_the_masked_export_holds_no_full_number(app, client, site, kind):
    sign_in(client, site["officer"])
    response = client.get(f"/training/batches/{site['batch']}/{kind}.xlsx")
    assert response.status_code == 200
    text = package_text(response.data)
    for number in site["ids"] + site["certs"] + ["13812345678"]:
        assert number not in text
    values = [v for row in cells(response.data) for v in row]
    masked = site["ids"][0][:4] + "*" * 10 + site["ids"][0][-4:]
    assert masked in values and "刘一" in values
    if kind == "roster":
        assert "138****5678" in values


@pytest.mark.parametrize("kind", ["roster", "attendance"])
def test_the_full_export_needs_a_purpose_and_is_audited(app, client, site, kind):
    sign_in(client, site["staff"])
    refused = _full(client, site, kind, "  ")
    assert refused.status_code == 400  # the page again, the purpose's error beside it
    response = _full(client, site, kind, "报送县残联核对补贴名单")
    assert response.status_code == 200
    assert site["ids"][0] in package_text(response.data)
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "training_batch.export_full")).one()
        assert entry.details == {"sheet": kind, "rows": 2, "purpose": "报送县残联核对补贴名单"}
        assert entry.object_id == str(site["batch"])


def test_full_exports_are_for_the_batch_staff_and_covering_officers_only(app, site):
    for user, allowed in [("officer", True), ("staff", True), ("admin", False),
                          ("other_officer", False), ("other_staff", False)]:
        with app.test_client() as client:
            sign_in(client, site[user])
            response = client.post(f"/training/batches/{site['batch']}/roster.xlsx", data={
                "csrf_token": csrf_token(client, "/"), "purpose": "核对"})
            assert (response.status_code == 200) is allowed, user


def test_the_attendance_export_has_sessions_and_the_rate_over_planned_hours(app, client, site):
    sign_in(client, site["staff"])
    data = client.get(f"/training/batches/{site['batch']}/attendance.xlsx").data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["姓名", "公民身份号码"] and len(header) == 2 + 5 + 4
    assert header[2].endswith("（8 学时）")
    assert header[-4:] == ["出勤学时", "计划学时", "出勤率（百分比）", "已无法达到 80%"]
    first = [c.value for c in sheet[2]]
    # nothing held yet: 0 of 40 planned hours, but all 40 still ahead
    assert first[-4:] == [0, 40, 0, "否"]


def test_the_roster_and_attendance_pages_link_their_exports(app, client, site):
    sign_in(client, site["staff"])
    roster = client.get(_roster(site)).get_data(as_text=True)
    assert f"/training/batches/{site['batch']}/roster.xlsx" in roster
    assert 'for="roster-purpose"' in roster
    attendance = client.get(f"/training/batches/{site['batch']}/attendance").get_data(
        as_text=True)
    assert f"/training/batches/{site['batch']}/attendance.xlsx" in attendance


def test_the_template_has_the_headers_text_id_columns_notes_and_counties(app, client, site):
    sign_in(client, site["staff"])
    data = client.get(f"/training/batches/{site['batch']}/enrolment-template.xlsx").data
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["学员名单", "说明", COUNTY_SHEET]
    first = book["学员名单"]
    assert [c.value for c in first[1]] == [c.header for c in COLUMNS]
    assert first.column_dimensions["B"].number_format == "@"  # ID numbers typed later
    assert first.column_dimensions["C"].number_format == "@"
    for column, header in enumerate((c.header for c in COLUMNS), start=1):
        if "证号" in header or "号码" in header:  # every number column stays text
            letter = openpyxl.utils.get_column_letter(column)
            assert first.column_dimensions[letter].number_format == "@", header
    notes = [v for row in book["说明"].iter_rows(values_only=True) for v in row]
    assert EXAMPLE_ID in notes and "未就业、已就业、个体就业、在校学生" in notes
    counties = list(book[COUNTY_SHEET].iter_rows(values_only=True))
    assert len(counties) == 101 and ("360102", "东湖区", "南昌市") in counties


def test_a_filled_template_imports(app, client, site):
    sign_in(client, site["staff"])
    data = client.get(f"/training/batches/{site['batch']}/enrolment-template.xlsx").data
    book = openpyxl.load_workbook(io.BytesIO(data))
    book["学员名单"].append(["张三", EXAMPLE_ID, EXAMPLE_ID + "12", "13912345678", "东湖区",
                           "未就业"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(f"/training/batches/{site['batch']}/imports", data={
        "csrf_token": csrf_token(client, _roster(site)),
        "file": (io.BytesIO(buffer.getvalue()), "名单.xlsx"), "consent": "y"},
        content_type="multipart/form-data")
    status = client.get(response.headers["Location"] + ".json").get_json()
    assert (status["status"], status["imported"]) == ("done", 1)
