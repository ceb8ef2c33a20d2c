"""Workbooks are written as values: no formula survives, codes stay text, layout is usable."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from trainhub.core.excel import Sheet, escape_text, sheet_title, write_workbook


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
