"""core.cells: what a spreadsheet cell really says, whoever wrote it."""

from __future__ import annotations

from datetime import date

import pytest

from trainhub.core import cells


@pytest.mark.parametrize(("raw", "expected"), [
    ("钟建新\u200b", "钟建新"),              # zero-width space pasted from a chat program
    ("\ufeff360102", "360102"),              # byte-order mark
    ("３６０１０２", "360102"),              # full-width digits
    ("  东湖区\u3000 ", "东湖区"),           # full-width space
    ("a\u00a0\u00a0b", "a b"),               # non-breaking spaces, one space
    ("soft\u00adhyphen\u2060", "softhyphen"),  # soft hyphen, word joiner
    ("tab\tand\nnewline", "tab and newline"),
])
def test_clean_folds_width_and_drops_invisible_characters(raw, expected):
    assert cells.clean(raw) == expected


def test_text_of_values_office_programs_store():
    assert cells.text(None) == ""
    assert cells.text(13912345678.0) == "13912345678"
    assert cells.text(date(2026, 3, 2)) == "2026-03-02"
    assert cells.text(" 未就业\u3000") == "未就业"


@pytest.mark.parametrize(("raw", "expected"), [
    ("王\u3000芳", "王芳"), ("王 芳", "王芳"), (" 李 四\u200b", "李四"),
    ("赵\u00a0六", "赵六"), ("阿依古丽·买买提", "阿依古丽·买买提"),
    ("阿依古丽 · 买买提", "阿依古丽·买买提"), ("John  Smith", "John Smith"),
])
def test_names_lose_the_spaces_between_chinese_characters(raw, expected):
    assert cells.name(raw) == expected


def test_code_is_without_spaces_or_dashes():
    assert cells.code("139-1234\u200b 5678") == "13912345678"
    assert cells.code("３６０１０２１９９００１０１００２ｘ") == "36010219900101002X"


@pytest.mark.parametrize("value", ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?",
                                   "#NUM!", "#NULL!", " #N/A ", "＃Ｎ／Ａ", "Err:502"])
def test_error_values_are_recognised(value):
    assert cells.is_error_value(value)


@pytest.mark.parametrize("value", ["N/A", "#1", "王#N/A", None, 0, "无"])
def test_data_is_not_an_error_value(value):
    assert not cells.is_error_value(value)


def test_numbers_that_lost_digits():
    assert cells.lost_digits("360703198601281000", 18, 3)
    assert cells.lost_digits("3.60703198601281E+017", 18, 3)
    assert cells.lost_digits("3.60703198601281e+17", 18, 3)
    assert cells.lost_digits("36010219860128100000", 20, 2)
    assert not cells.lost_digits("360703198601281094", 18, 3)
    assert not cells.lost_digits("360703198601281100", 18, 3)
    assert not cells.lost_digits("36010219860128105212", 20, 2)
    assert not cells.lost_digits("3607031986012810", 18, 3)  # too short: another error
