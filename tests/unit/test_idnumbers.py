"""Unit tests for trainhub.core.idnumbers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from trainhub.core.idnumbers import (
    DISABILITY_CATEGORIES,
    IdNumberError,
    mask_id,
    mask_name,
    mask_phone,
    normalize,
    parse_disability_certificate,
    parse_resident_id,
    parse_uscc,
    resident_id_check_char,
    uscc_check_char,
)

TODAY = date(2024, 6, 1)
FEMALE_ID = "11010519491231002X"
OLD_ID = "440524188001010014"  # valid checksum, but born 1880
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_id(region: str, birth: date, seq: str) -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq}"
    return first17 + resident_id_check_char(first17)


def error_code(func, *args, **kwargs) -> str:
    with pytest.raises(IdNumberError) as info:
        func(*args, **kwargs)
    assert info.value.message == str(info.value)
    return info.value.code


# --- normalize -------------------------------------------------------------


def test_normalize_strips_ascii_and_full_width_spaces_and_uppercases() -> None:
    assert normalize(" 110105 19491231\u3000002x ") == FEMALE_ID


def test_normalize_folds_full_width_digits() -> None:
    assert normalize("１１０１０５１９４９１２３１００２ｘ") == FEMALE_ID


def test_normalize_drops_zero_width_spaces_and_byte_order_marks() -> None:
    """Pasted from a chat program or a web page, they showed 18 digits and were refused as
    of the wrong length (issue 12, item 11)."""
    assert normalize("\ufeff110105\u200b19491231002X\u2060") == FEMALE_ID
    assert parse_resident_id("110105\u200b19491231002X", TODAY).number == FEMALE_ID


# --- resident ID -------------------------------------------------------------


def test_parse_valid_female_id() -> None:
    rid = parse_resident_id(FEMALE_ID, TODAY)
    assert rid.number == FEMALE_ID
    assert rid.region_code == "110105"
    assert rid.birth_date == date(1949, 12, 31)
    assert rid.sex == "F"


def test_parse_valid_male_id() -> None:
    rid = parse_resident_id(make_id("360102", date(1990, 5, 17), "013"), TODAY)
    assert rid.sex == "M"
    assert rid.birth_date == date(1990, 5, 17)


def test_lowercase_x_is_normalised() -> None:
    assert parse_resident_id(FEMALE_ID.lower(), TODAY).number == FEMALE_ID


def test_checksum_of_1880_example_is_valid_but_date_is_rejected() -> None:
    assert resident_id_check_char(OLD_ID[:17]) == OLD_ID[17]
    assert error_code(parse_resident_id, OLD_ID, TODAY) == "birth_date_invalid"


def test_earliest_accepted_birth_date() -> None:
    rid = parse_resident_id(make_id("360102", date(1900, 1, 1), "002"), TODAY)
    assert rid.birth_date == date(1900, 1, 1)


def test_wrong_check_char() -> None:
    assert error_code(parse_resident_id, FEMALE_ID[:17] + "1", TODAY) == "checksum"


def test_feb_29_in_non_leap_year_is_invalid() -> None:
    first17 = "36010220230229001"
    number = first17 + resident_id_check_char(first17)
    assert error_code(parse_resident_id, number, TODAY) == "birth_date_invalid"


def test_birth_date_after_today_is_rejected() -> None:
    number = make_id("360102", TODAY + timedelta(days=1), "001")
    assert error_code(parse_resident_id, number, TODAY) == "birth_date_future"
    assert parse_resident_id(number, TODAY + timedelta(days=1)).birth_date > TODAY


def test_born_today_is_accepted() -> None:
    assert parse_resident_id(make_id("360102", TODAY, "001"), TODAY).birth_date == TODAY


@pytest.mark.parametrize("raw", ["", "1101051949123100", "11010519491231002X1"])
def test_wrong_length(raw: str) -> None:
    assert error_code(parse_resident_id, raw, TODAY) == "length"


@pytest.mark.parametrize("raw", ["1101051949123100XX", "11010519491231002Y", "A1010519491231002X"])
def test_bad_format(raw: str) -> None:
    assert error_code(parse_resident_id, raw, TODAY) == "format"


def test_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        resident_id_check_char("1234")
    with pytest.raises(ValueError):
        resident_id_check_char("١" * 17)  # Arabic-Indic digits pass str.isdigit()


def test_check_char_agrees_with_stdnum() -> None:
    assert resident_id_check_char(FEMALE_ID[:17]) == ric.calc_check_digit(FEMALE_ID)


id_parts = st.tuples(
    st.text("0123456789", min_size=6, max_size=6),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.text("0123456789", min_size=3, max_size=3),
)


@given(id_parts)
def test_any_valid_date_with_computed_check_char_parses(parts: tuple[str, date, str]) -> None:
    region, birth, seq = parts
    rid = parse_resident_id(make_id(region, birth, seq), TODAY)
    assert rid.region_code == region
    assert rid.birth_date == birth
    assert rid.sex == ("M" if int(seq[-1]) % 2 else "F")


@given(id_parts, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_breaks_checksum(
    parts: tuple[str, date, str], position: int, replacement: str
) -> None:
    number = make_id(*parts)
    if position < 17 and replacement == "X":
        replacement = "0"
    if number[position] == replacement:
        return
    changed = number[:position] + replacement + number[position + 1 :]
    assert error_code(parse_resident_id, changed, TODAY) == "checksum"


# --- disability certificate -------------------------------------------------


def test_parse_valid_certificate() -> None:
    cert = parse_disability_certificate(FEMALE_ID.lower() + "42", TODAY, resident_id=FEMALE_ID)
    assert cert.number == FEMALE_ID + "42"
    assert cert.resident_id.birth_date == date(1949, 12, 31)
    assert (cert.category, cert.grade) == (4, 2)
    assert cert.category_name == "physical"


def test_disability_categories() -> None:
    assert sorted(DISABILITY_CATEGORIES) == [1, 2, 3, 4, 5, 6, 7]
    assert DISABILITY_CATEGORIES[1] == "visual"
    assert DISABILITY_CATEGORIES[7] == "multiple"


@pytest.mark.parametrize("suffix", ["01", "81", "91"])
def test_certificate_category_out_of_range(suffix: str) -> None:
    assert error_code(parse_disability_certificate, FEMALE_ID + suffix, TODAY) == "cert_category"


@pytest.mark.parametrize("suffix", ["10", "15", "19"])
def test_certificate_grade_out_of_range(suffix: str) -> None:
    assert error_code(parse_disability_certificate, FEMALE_ID + suffix, TODAY) == "cert_grade"


def test_certificate_non_digit_suffix() -> None:
    assert error_code(parse_disability_certificate, FEMALE_ID + "A1", TODAY) == "format"


def test_certificate_wrong_length() -> None:
    assert error_code(parse_disability_certificate, FEMALE_ID + "4", TODAY) == "length"


def test_certificate_embedded_id_errors_propagate() -> None:
    bad = FEMALE_ID[:17] + "1" + "42"
    assert error_code(parse_disability_certificate, bad, TODAY) == "checksum"


def test_certificate_for_a_different_person() -> None:
    other = make_id("360102", date(1990, 5, 17), "013")
    code = error_code(parse_disability_certificate, FEMALE_ID + "42", TODAY, resident_id=other)
    assert code == "cert_id_mismatch"


# --- unified social credit code ---------------------------------------------


def test_known_uscc() -> None:
    assert parse_uscc(" 91110000600037341l ") == "91110000600037341L"
    assert uscc_check_char("91110000600037341") == "L"


def test_uscc_wrong_check_char() -> None:
    assert error_code(parse_uscc, "91110000600037341M") == "uscc_checksum"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("9111000060003734", "length"),
        ("91110000600037341I", "format"),  # I, O, Z, S, V are not in the charset
        ("911100O0600037341L", "format"),
        ("91A10000600037341L", "format"),  # region code must be numeric
    ],
)
def test_uscc_bad_input(raw: str, code: str) -> None:
    assert error_code(parse_uscc, raw) == code


def test_uscc_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        uscc_check_char("9111000060003734I")


uscc_first17 = st.builds(
    lambda head, tail: head + tail,
    st.text("0123456789", min_size=8, max_size=8),
    st.text(USCC_CHARSET, min_size=9, max_size=9),
)


@given(uscc_first17)
def test_uscc_check_char_matches_stdnum(first17: str) -> None:
    check = uscc_check_char(first17)
    assert check == uscc.calc_check_digit(first17)
    assert parse_uscc(first17 + check) == uscc.validate(first17 + check)


@given(uscc_first17, st.sampled_from(USCC_CHARSET))
def test_uscc_validity_matches_stdnum(first17: str, last: str) -> None:
    code = first17 + last
    try:
        parse_uscc(code)
    except IdNumberError:
        assert not uscc.is_valid(code)
    else:
        assert uscc.is_valid(code)


# --- masking -----------------------------------------------------------------


def test_mask_id() -> None:
    assert mask_id("36010219900517123X") == "3601**********123X"
    assert mask_id(FEMALE_ID + "42") == "1101************2X42"
    assert mask_id("12345678") == "********"
    assert mask_id("") == ""
    assert mask_id(None) == ""


def test_mask_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""
    assert mask_phone(None) == ""


def test_mask_name() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("张") == "张"
    assert mask_name("") == ""
    assert mask_name(None) == ""
