"""Excel workbooks written safely (openpyxl, with defusedxml installed beside it).

Every cell is written as a value, never as a formula: a string that a spreadsheet would read
as a formula or a DDE call (starting with = + - @, a tab or a carriage return; OWASP "CSV
injection") is prefixed with an apostrophe. Strings are stored as text (`number_format "@"`)
so codes such as 360102 or 0791 keep their leading zeros and are never turned into numbers;
numbers and dates stay numbers and dates, so totals can be computed and dates sorted in Excel.

Dates and moments are real Excel date cells shown the way the pages write them
(2026年11月17日, 2026年11月17日 09:05: `DATE_FORMAT`, `DATETIME_FORMAT`). Excel has no time
zones: a moment (aware, as every stored time is) is written as its wall-clock time in China;
a naive datetime is refused rather than guessed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from trainhub.core.timeutil import to_local

CellValue = str | int | float | Decimal | bool | date | datetime | None

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_FORMAT = "@"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
MIN_WIDTH, MAX_WIDTH = 6, 60
SHEET_TITLE_MAX = 31  # Excel's limit
FORBIDDEN_IN_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass
class Sheet:
    """One worksheet: a bold, frozen header row, then the data rows."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[CellValue]] = field(default_factory=list)
    # 1-based columns whose empty cells are text too: what someone types there later (an ID
    # number in a template) keeps its digits instead of becoming 3.60102E+17.
    text_columns: Sequence[int] = ()


def escape_text(value: str) -> str:
    """Neutralise a string a spreadsheet would evaluate (formula or DDE injection)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _clean(value: str) -> str:
    """Drop control characters that are illegal in the XML of a workbook (tab, LF and CR
    are legal). Done before escaping, so no hidden character can shield a leading '='."""
    return "".join(ch for ch in value
                   if (ch >= " " or ch in "\t\n\r") and ch not in "\ufffe\uffff")


def sheet_title(title: str) -> str:
    cleaned = title.translate(FORBIDDEN_IN_TITLE).strip("'") or "Sheet"
    return cleaned[:SHEET_TITLE_MAX]


def local_moment(moment: datetime) -> datetime:
    """An aware moment as the naive wall-clock time in China that an Excel cell holds."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; pass an aware one (Excel cells hold the "
                         "wall-clock time in China)")
    return to_local(moment).replace(tzinfo=None)


def _shown(value: date) -> str:
    """The text DATE_FORMAT or DATETIME_FORMAT shows, for the column's width."""
    if isinstance(value, datetime):
        value = local_moment(value)
    day = f"{value.year}年{value.month}月{value.day}日"
    return f"{day} {value:%H:%M}" if isinstance(value, datetime) else day


def _display_width(value: CellValue) -> int:
    text = _shown(value) if isinstance(value, date) else str("" if value is None else value)
    longest = max(text.splitlines() or [""], key=len)
    # CJK characters take two columns.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in longest)


def _write_cell(ws: Worksheet, row: int, column: int, value: CellValue) -> None:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = escape_text(_clean(value))
        cell.data_type = "s"  # a value, whatever it looks like
        cell.number_format = TEXT_FORMAT
    elif isinstance(value, datetime):
        cell.value = local_moment(value)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = value


def _fill(ws: Worksheet, sheet: Sheet) -> None:
    widths = [_display_width(h) for h in sheet.header]
    for column, name in enumerate(sheet.header, start=1):
        _write_cell(ws, 1, column, name)
        ws.cell(row=1, column=column).font = Font(bold=True)
        ws.cell(row=1, column=column).alignment = Alignment(wrap_text=True, vertical="top")
    for line, values in enumerate(sheet.rows, start=2):
        for column, value in enumerate(values, start=1):
            _write_cell(ws, line, column, value)
            if column > len(widths):
                widths.append(0)
            widths[column - 1] = max(widths[column - 1], _display_width(value))
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, MIN_WIDTH), MAX_WIDTH)
    for column in sheet.text_columns:
        ws.column_dimensions[get_column_letter(column)].number_format = TEXT_FORMAT
    ws.freeze_panes = "A2"  # the header row stays in view


def write_workbook(sheets: list[Sheet]) -> bytes:
    """The .xlsx bytes of a workbook with one worksheet per `Sheet`, in order."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    used: set[str] = set()
    for sheet in sheets:
        title = sheet_title(sheet.title)
        while title in used:
            title = sheet_title(title[:SHEET_TITLE_MAX - 1] + "_")
        used.add(title)
        _fill(workbook.create_sheet(title), sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
