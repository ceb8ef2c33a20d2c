"""Employees from an Excel workbook: all rows added, or none with each cell's problem named
by its Excel row and column header."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from tests.conftest import form_token, sign_in
from tests.rewards.builders import build
from tests.rewards.conftest import TODAY, declaration, id_number
from trainhub.extensions import db
from trainhub.rewards import declarations, employee_import
from trainhub.rewards.employee_import import COLUMNS, ImportRefused
from trainhub.rewards.models import DeclaredEmployee
from trainhub.training.imports import FileProblem

HEADERS = [c.header for c in COLUMNS]


def _row(number: str | None = None, **changes: object) -> list[object]:
    number = number or id_number()
    values: dict[str, object] = {
        "name": "赵六", "id_number": number, "cert_number": f"{number}43",
        "certificate_valid_from": date(2020, 1, 1), "certificate_valid_until": "长期",
        "contract_start": "2024/1/1", "contract_end": "无固定期限",
        "insurance_months": 12, "monthly_wage": "2500.00"}
    values.update(changes)
    return [values[c.key] for c in COLUMNS]


def _workbook(*rows: list[object], title_row: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    if title_row:
        sheet.append(["超比例奖励残疾职工名单"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_every_row_is_added(world):
    found = declaration(world, persons=0)
    added = employee_import.import_employees(
        found, _workbook(_row(), _row(insurance_months="11"), title_row=True), TODAY)
    assert added == 2 and len(found.employees) == 2
    assert found.employees[1].insurance_months == 11
    assert found.employees[0].monthly_wage_fen == 250000 and found.employees[0].grade == 3


def test_a_bad_cell_refuses_the_whole_file_naming_row_and_column(world):
    found = declaration(world, persons=1)
    number = id_number()
    data = _workbook(_row(), _row(number, insurance_months=13, contract_start="明年"),
                     _row(number), _row(found.employees[0].id_number),
                     _row(monthly_wage="#N/A"))
    with pytest.raises(ImportRefused) as caught:
        employee_import.import_employees(found, data, TODAY)
    cells = {(e.row, e.column) for e in caught.value.errors}
    assert (3, "劳动合同起始日期") in cells and (3, "当年社保缴费月数") not in cells
    assert (4, "公民身份号码") not in cells  # row 3 never passed: row 4 is the first
    assert (5, "公民身份号码") in cells and (6, "月工资（元）") in cells
    db.session.expire_all()
    assert len(found.employees) == 1


def test_months_out_of_range_are_named_on_their_column(world):
    found = declaration(world, persons=0)
    with pytest.raises(ImportRefused) as caught:
        employee_import.import_employees(found, _workbook(_row(insurance_months=13)), TODAY)
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "当年社保缴费月数")]


def test_a_person_declared_by_another_enterprise_is_refused_naming_no_one(world):
    first = declaration(world, persons=1)
    declarations.submit(first, TODAY)
    second = declaration(world, persons=0, enterprise=world.other_enterprise,
                         contact=world.other_contact)
    with pytest.raises(ImportRefused) as caught:
        employee_import.import_employees(
            second, _workbook(_row(), _row(first.employees[0].id_number)), TODAY)
    (error,) = caught.value.errors
    assert error.row == 3 and "another enterprise" in error.message
    assert db.session.query(DeclaredEmployee).filter_by(declaration_id=second.id).count() == 0


def test_a_file_that_is_no_workbook_or_has_no_headers_is_refused(world):
    found = declaration(world, persons=0)
    with pytest.raises(FileProblem):
        employee_import.import_employees(found, b"MZ" + b"\x00" * 100, TODAY)
    book = Workbook()
    book.active.append(["姓名", "电话"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(FileProblem, match="column headers"):
        employee_import.import_employees(found, out.getvalue(), TODAY)


def test_the_template_has_the_headers(ctx):
    sheet = load_workbook(io.BytesIO(employee_import.template())).active
    assert [c.value for c in sheet[1]] == HEADERS


def test_the_import_page_lists_the_problems_and_adds_nothing(app, client, make):
    ids = build(app, make, "draft")
    sign_in(client, ids["draft_contact"])
    page = f"/rewards/{ids['draft']}"
    assert client.get("/rewards/employees-template.xlsx").status_code == 200
    refused = client.post(f"{page}/employees/import", data={
        "csrf_token": form_token(client),
        "file": (io.BytesIO(_workbook(_row(insurance_months=15))), "名单.xlsx")},
        content_type="multipart/form-data")
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert 'id="import-errors"' in text and "当年社保缴费月数" in text
    done = client.post(f"{page}/employees/import", data={
        "csrf_token": form_token(client),
        "file": (io.BytesIO(_workbook(_row(), _row())), "名单.xlsx")},
        content_type="multipart/form-data")
    assert done.status_code == 302
    with app.app_context():
        assert db.session.query(DeclaredEmployee).filter_by(
            declaration_id=ids["draft"]).count() == 3
