"""Workbooks are written as values: no formula survives, codes stay text, layout is usable."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from trainhub.core.excel import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    Sheet,
    escape_text,
    sheet_title,
    write_workbook,
)


def _load(data: bytes):
    return load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("dangerous", [
    "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0", "-2+3",
])
def test_formula_like_strings_are_escaped(dangerous: str) -> None:
    ws = _load(write_workbook([Sheet("s", ["v"], [[dangerous]])]))["s"]
    cell = ws["A2"]
    assert cell.value == "'" + dangerous.replace("\r", "\n")  # XML reads CR as LF
    assert cell.data_type == "s"


def test_hidden_control_characters_cannot_shield_a_formula() -> None:
    ws = _load(write_workbook([Sheet("s", ["v"], [["\x01=1+1"]])]))["s"]
    assert ws["A2"].value == "'=1+1"


def test_no_formula_in_the_package() -> None:
    data = write_workbook([Sheet("s", ["=h"], [["=1+1", "@x", 3]])])
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


@settings(max_examples=60, deadline=None)  # a workbook takes tens of milliseconds
@given(st.text(max_size=40))
def test_any_string_round_trips_as_a_value(text: str) -> None:
    ws = _load(write_workbook([Sheet("s", ["v"], [[text]])]))["s"]
    stored = ws["A2"].value or ""
    visible = "".join(ch for ch in text if (ch >= " " or ch in "\t\n\r")
                      and ch not in "\ufffe\uffff")
    # XML reads a CR LF pair, and a lone CR, as one LF (XML 1.0 §2.11).
    visible = visible.replace("\r\n", "\n").replace("\r", "\n")
    assert stored in (visible, "'" + visible)
    assert not stored.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_identifiers_are_text_and_keep_leading_zeros() -> None:
    ws = _load(write_workbook([Sheet("s", ["code", "phone"], [["360102", "0791"]])]))["s"]
    assert ws["A2"].value == "360102" and ws["A2"].number_format == "@"
    assert ws["B2"].value == "0791" and ws["B2"].data_type == "s"


def test_numbers_and_dates_stay_typed() -> None:
    ws = _load(write_workbook([Sheet("s", ["n", "d"], [[3, date(2026, 11, 29)]])]))["s"]
    assert ws["A2"].value == 3 and ws["A2"].data_type == "n"
    assert ws["B2"].value.date() == date(2026, 11, 29)


def test_dates_and_moments_are_date_cells_in_the_chinese_format_and_china_time() -> None:
    """Not text like 2026-11-29 16:30 (issue 12, item 8): real date cells, shown as the
    pages write them; a moment as its wall-clock time in China, since Excel has no zones."""
    moment = datetime(2026, 11, 29, 16, 30, tzinfo=UTC)  # 00:30 the next day in China
    ws = _load(write_workbook([Sheet("s", ["d", "t"], [[date(2026, 11, 29), moment]])]))["s"]
    day, when = ws["A2"], ws["B2"]
    assert isinstance(day.value, datetime) and day.is_date
    assert day.value == datetime(2026, 11, 29) and day.number_format == DATE_FORMAT
    assert DATE_FORMAT == 'yyyy"年"m"月"d"日"'
    assert isinstance(when.value, datetime) and when.is_date and when.value.tzinfo is None
    assert when.value == datetime(2026, 11, 30, 0, 30)
    assert when.number_format == DATETIME_FORMAT == 'yyyy"年"m"月"d"日" hh:mm'
    # wide enough for 2026年11月30日 00:30 (CJK characters take two columns)
    assert ws.column_dimensions["B"].width >= len("2026年11月30日 00:30") + 3
    assert ws.column_dimensions["A"].width >= len("2026年11月29日") + 3


def test_a_naive_moment_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="naive"):
        write_workbook([Sheet("s", ["t"], [[datetime(2026, 11, 29, 16, 30)]])])


def test_round_trip_layout() -> None:
    sheets = [Sheet("设区市", ["设区市", "培训基地"], [["南昌市", 2], ["赣州市", 0]]),
              Sheet("县（市、区）", ["县", "培训基地"], [["东湖区", 1]])]
    book = _load(write_workbook(sheets))
    assert book.sheetnames == ["设区市", "县（市、区）"]
    ws = book["设区市"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["设区市", "培训基地"], ["南昌市", 2], ["赣州市", 0]]
    assert ws["A1"].font.bold and ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width >= 8  # three CJK characters, two columns each


def test_sheet_titles_are_made_valid_and_unique() -> None:
    assert sheet_title("a/b:c*d?[e]") == "a_b_c_d__e_"
    assert len(sheet_title("x" * 40)) == 31
    book = _load(write_workbook([Sheet("same", ["a"]), Sheet("same", ["a"])]))
    assert len(set(book.sheetnames)) == 2


def test_escape_text_leaves_plain_text_alone() -> None:
    assert escape_text("南昌市") == "南昌市"
    assert escape_text("1-2") == "1-2"


def test_a_workbook_needs_a_sheet() -> None:
    with pytest.raises(ValueError):
        write_workbook([])


def test_text_columns_make_what_is_typed_later_text() -> None:
    data = write_workbook([Sheet("模板", ["姓名", "公民身份号码"], text_columns=[2])])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.column_dimensions["B"].number_format == "@"
    assert sheet.column_dimensions["A"].number_format == "General"
