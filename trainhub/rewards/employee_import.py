"""Employees of a reward declaration from an Excel workbook, all or nothing, every problem
named by its Excel row and column header.

The package checks, the cleaning of cells and the messages of a formula's error value are the
training import's (trainhub.training.imports, trainhub.core.cells); the columns are the
declaration's. Headers are fixed in Chinese, whatever the page's language, so that a
template downloaded by anyone reads for everyone. Each row is checked by the service's own
rules (`declarations.check_employee`), so a row imported and a row typed in the form are
refused for the same reasons; then the file's duplicates, the persons already in the
declaration and those declared by another enterprise that year (naming no one).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl

from trainhub.core import cells
from trainhub.core.errors import N_, DomainError
from trainhub.core.excel import CellValue, Sheet, write_workbook
from trainhub.extensions import db
from trainhub.rewards import declarations
from trainhub.rewards.declarations import EmployeeInput
from trainhub.rewards.models import RewardDeclaration
from trainhub.training.imports import (
    ERROR_VALUE,
    MAX_UPLOAD_BYTES,
    NOT_XLSX,
    FileProblem,
    RowError,
    check_package,
)

__all__ = ["MAX_UPLOAD_BYTES", "ImportRefused", "import_employees", "template"]

MAX_ROWS = 2_000
HEADER_ROWS = 5


@dataclass(frozen=True)
class Column:
    key: str  # the EmployeeInput field (monthly_wage: in yuan)
    header: str
    example: CellValue


COLUMNS = (
    Column("name", "姓名", "王小明"),
    Column("id_number", "公民身份号码", "360102198506010011"),
    Column("cert_number", "残疾人证号", "36010219850601001143"),
    Column("certificate_valid_from", "残疾人证有效期起", date(2020, 1, 1)),
    Column("certificate_valid_until", "残疾人证有效期止", "长期"),
    Column("contract_start", "劳动合同起始日期", date(2024, 1, 1)),
    Column("contract_end", "劳动合同终止日期", "无固定期限"),
    Column("insurance_months", "当年社保缴费月数", 12),
    Column("monthly_wage", "月工资（元）", Decimal("2500.00")),
)
BY_KEY = {c.key: c for c in COLUMNS}
ALIASES = {"身份证号": "id_number", "身份证号码": "id_number", "残疾证号": "cert_number",
           "月工资": "monthly_wage", "月工资(元)": "monthly_wage"}
HEADER_KEYS = {**{c.header: c.key for c in COLUMNS}, **ALIASES}
OPEN_ENDED = {"", "长期", "无固定期限", "无"}
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


class ImportRefused(DomainError):
    """The file's rows did not all pass: nothing was added; `errors` names each cell."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(N_("Nothing was imported: %(count)s problems were found in the file. "
                            "Correct them and upload the file again."), count=len(errors))
        self.errors = errors


def template() -> bytes:
    """The workbook to fill: the headers, one example row, text columns for the numbers."""
    return write_workbook([Sheet("残疾职工", [c.header for c in COLUMNS],
                                 [[c.example for c in COLUMNS]], text_columns=(2, 3))])


# --- reading -----------------------------------------------------------------------------

def read(data: bytes) -> list[tuple[int, dict[str, object]]]:
    """(Excel row number, column key → cell value) of each row that names someone."""
    check_package(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                          keep_links=False)
    except Exception:  # openpyxl raises many kinds on a damaged package
        raise FileProblem(NOT_XLSX) from None
    try:
        return _rows(workbook)
    except (KeyError, ValueError, TypeError, SyntaxError, zipfile.BadZipFile):
        raise FileProblem(NOT_XLSX) from None
    finally:
        workbook.close()


def _rows(workbook: Any) -> list[tuple[int, dict[str, object]]]:
    for sheet in workbook.worksheets:
        for number, values in enumerate(sheet.iter_rows(max_row=HEADER_ROWS,
                                                        values_only=True), start=1):
            positions = {HEADER_KEYS[h]: i for i, h in enumerate(
                "".join(cells.text(v).split()).replace("(", "（").replace(")", "）")
                if v is not None else "" for v in values) if h in HEADER_KEYS}
            if len(positions) == len(COLUMNS):
                return _data(sheet, number, positions)
    raise FileProblem(N_("No sheet of this workbook has the column headers of the template: "
                         "%(columns)s."), columns="、".join(c.header for c in COLUMNS))


def _data(sheet: Any, header_row: int,
          positions: Mapping[str, int]) -> list[tuple[int, dict[str, object]]]:
    rows: list[tuple[int, dict[str, object]]] = []
    for number, values in enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True),
                                    start=header_row + 1):
        found = {k: values[i] if i < len(values) else None for k, i in positions.items()}
        if all(cells.text(found.get(k)) == "" for k in ("name", "id_number", "cert_number")):
            continue
        if len(rows) == MAX_ROWS:
            raise FileProblem(N_("The file has more than %(limit)s employees; split it into "
                                 "several files."), limit=MAX_ROWS)
        rows.append((number, found))
    if not rows:
        raise FileProblem(N_("The file has no employees below the header row."))
    return rows


# --- checking ----------------------------------------------------------------------------

def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE_TEXT.fullmatch(cells.text(value))
    if match is None:
        raise ValueError(value)
    return date(*(int(part) for part in match.groups()))


def _whole(value: object) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = cells.text(value)
    if not re.fullmatch(r"-?\d{1,6}", text):
        raise ValueError(value)
    return int(text)


def _yuan(value: object) -> int:
    text = cells.text(value).replace(",", "")
    if not re.fullmatch(r"-?\d{1,9}(\.\d{1,2})?", text):
        raise ValueError(value)
    try:
        return int(Decimal(text) * 100)
    except InvalidOperation:
        raise ValueError(value) from None


def _input(number: int, values: Mapping[str, object],
           errors: list[RowError]) -> EmployeeInput | None:
    """The row as the service's input, or None with each unreadable cell in `errors`."""
    def fail(key: str, message: str, **params: object) -> None:
        errors.append(RowError(number, BY_KEY[key].header, message, params))

    before = len(errors)
    read: dict[str, Any] = {}
    for column in COLUMNS:
        value = values.get(column.key)
        if cells.is_error_value(value):
            fail(column.key, ERROR_VALUE, value=cells.text(value)[:20])
            continue
        try:
            if column.key in ("certificate_valid_until", "contract_end"):
                read[column.key] = None if cells.text(value) in OPEN_ENDED else _date(value)
            elif column.key in ("certificate_valid_from", "contract_start"):
                read[column.key] = None if cells.text(value) == "" else _date(value)
            elif column.key == "insurance_months":
                read[column.key] = None if cells.text(value) == "" else _whole(value)
            elif column.key == "monthly_wage":
                read["monthly_wage_fen"] = None if cells.text(value) == "" else _yuan(value)
            elif column.key == "name":
                read[column.key] = cells.name(value)
            else:
                read[column.key] = cells.code(value)
        except (ValueError, TypeError, OverflowError):
            fail(column.key, N_("“%(value)s” cannot be read here: write a date as 2024-01-31 "
                                "and a number with digits only."), value=cells.text(value)[:20])
    return None if len(errors) > before else EmployeeInput(**read)


FIELD_COLUMNS = {c.key: c.header for c in COLUMNS}  # a service error's field → its column


def import_employees(declaration: RewardDeclaration, data: bytes, today: date) -> int:
    """Add every row of the workbook, or none: ImportRefused lists each cell's problem."""
    declarations.require_editable(declaration)
    errors: list[RowError] = []
    accepted: list[tuple[int, EmployeeInput, str]] = []
    seen = {e.id_number_index: 0 for e in declaration.employees}
    for number, values in read(data):
        given = _input(number, values, errors)
        if given is None:
            continue
        try:
            checked = declarations.check_employee(declaration, given, today)
        except DomainError as error:
            errors.extend(RowError(number, FIELD_COLUMNS.get(p.field or "", ""), p.message,
                                   p.params) for p in error.each)
            continue
        id_header = BY_KEY["id_number"].header
        if checked.index in seen:
            first = seen[checked.index]
            errors.append(RowError(number, id_header, N_(
                "Rows %(first)s and %(row)s have the same resident ID number."),
                {"first": first, "row": number}) if first else RowError(
                number, id_header, N_("This person is already in the declaration.")))
            continue
        seen[checked.index] = number
        accepted.append((number, given, checked.index))
    taken = declarations.taken_elsewhere(declaration, [index for *_, index in accepted])
    errors.extend(RowError(number, BY_KEY["id_number"].header, declarations.TAKEN,
                           {"year": declaration.year})
                  for number, _, index in accepted if index in taken)
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: (e.row or 0, e.column)))
    for _, given, _ in accepted:
        declarations.add_employee(declaration, given, today)
    db.session.flush()
    return len(accepted)
