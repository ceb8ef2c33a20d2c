"""Validation and masking of Chinese identity numbers.

Covers the resident identity number (GB 11643-1999), the second-generation
disability certificate number and the unified social credit code
(GB 32100-2015). Pure functions only: callers translate ``IdNumberError.message``
(an English msgid) and decide how to present ``IdNumberError.code``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "DISABILITY_CATEGORIES",
    "DisabilityCertificate",
    "IdNumberError",
    "ResidentId",
    "mask_id",
    "mask_name",
    "mask_phone",
    "normalize",
    "parse_disability_certificate",
    "parse_resident_id",
    "parse_uscc",
    "resident_id_check_char",
    "uscc_check_char",
]

DISABILITY_CATEGORIES: dict[int, str] = {
    1: "visual",
    2: "hearing",
    3: "speech",
    4: "physical",
    5: "intellectual",
    6: "psychosocial",
    7: "multiple",
}
DISABILITY_GRADES: range = range(1, 5)

_EARLIEST_BIRTH = date(1900, 1, 1)

_RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_CHECK_CHARS = "10X98765432"
_RESIDENT_RE = re.compile(r"[0-9]{17}[0-9X]")

_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Positions 3-8 are the administrative region code, which is always numeric.
_USCC_RE = re.compile(rf"[{_USCC_CHARSET}]{{2}}[0-9]{{6}}[{_USCC_CHARSET}]{{10}}")



class IdNumberError(ValueError):
    """A number failed validation; ``code`` is stable, ``message`` is an English msgid."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ResidentId:
    """A validated 18-character resident identity number."""

    number: str
    region_code: str
    birth_date: date
    sex: Literal["M", "F"]


@dataclass(frozen=True)
class DisabilityCertificate:
    """A validated 20-character disability certificate number."""

    number: str
    resident_id: ResidentId
    category: int
    grade: int

    @property
    def category_name(self) -> str:
        """English key of the disability category, e.g. ``"visual"``."""
        return DISABILITY_CATEGORIES[self.category]


def normalize(raw: str) -> str:
    """Fold full-width digits and letters (NFKC: Chinese input methods emit them), remove
    all whitespace (including U+3000) and invisible format characters (a zero-width space
    or a byte-order mark pasted with the number), upper-case letters."""
    folded = unicodedata.normalize("NFKC", raw)
    return "".join(ch for ch in folded
                   if not ch.isspace() and unicodedata.category(ch) != "Cf").upper()


def resident_id_check_char(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character for 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("first17 must be exactly 17 ASCII digits")
    total = sum(int(d) * w for d, w in zip(first17, _RESIDENT_WEIGHTS, strict=True))
    return _RESIDENT_CHECK_CHARS[total % 11]


def parse_resident_id(raw: str, today: date) -> ResidentId:
    """Validate a resident identity number and extract its fields."""
    number = normalize(raw)
    if len(number) != 18:
        raise IdNumberError("length", "The ID number must be 18 characters long.")
    if not _RESIDENT_RE.fullmatch(number):
        raise IdNumberError("format", "The ID number must be 17 digits followed by a digit or X.")
    if resident_id_check_char(number[:17]) != number[17]:
        raise IdNumberError("checksum", "The ID number check character is wrong.")
    birth = _birth_date(number[6:14], today)
    sex: Literal["M", "F"] = "M" if int(number[16]) % 2 else "F"
    return ResidentId(number=number, region_code=number[:6], birth_date=birth, sex=sex)


def _birth_date(yyyymmdd: str, today: date) -> date:
    try:
        birth = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        raise IdNumberError(
            "birth_date_invalid", "The ID number contains an invalid birth date."
        ) from None
    if birth < _EARLIEST_BIRTH:
        raise IdNumberError("birth_date_invalid", "The ID number contains an invalid birth date.")
    if birth > today:
        raise IdNumberError(
            "birth_date_future", "The birth date in the ID number is in the future."
        )
    return birth


def parse_disability_certificate(
    raw: str, today: date, resident_id: str | None = None
) -> DisabilityCertificate:
    """Validate a disability certificate number (resident ID + category + grade)."""
    number = normalize(raw)
    if len(number) != 20:
        raise IdNumberError(
            "length", "The disability certificate number must be 20 characters long."
        )
    holder = parse_resident_id(number[:18], today)
    category, grade = _digit(number[18]), _digit(number[19])
    if category not in DISABILITY_CATEGORIES:
        raise IdNumberError(
            "cert_category", "The disability category in the certificate number is invalid."
        )
    if grade not in DISABILITY_GRADES:
        raise IdNumberError(
            "cert_grade", "The disability grade in the certificate number is invalid."
        )
    if resident_id is not None and normalize(resident_id) != holder.number:
        raise IdNumberError(
            "cert_id_mismatch",
            "The disability certificate number does not match the ID number.",
        )
    return DisabilityCertificate(number=number, resident_id=holder, category=category, grade=grade)


def _digit(char: str) -> int:
    if not ("0" <= char <= "9"):
        raise IdNumberError("format", "The certificate number must end with two digits.")
    return int(char)


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100-2015 check character for the first 17 characters."""
    if len(first17) != 17 or any(c not in _USCC_CHARSET for c in first17):
        raise ValueError("first17 must be 17 characters from the USCC charset")
    total = sum(_USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARSET[(31 - total % 31) % 31]


def parse_uscc(raw: str) -> str:
    """Validate a unified social credit code and return it normalised."""
    code = normalize(raw)
    if len(code) != 18:
        raise IdNumberError("length", "The unified social credit code must be 18 characters long.")
    if not _USCC_RE.fullmatch(code):
        raise IdNumberError("format", "The unified social credit code contains invalid characters.")
    if uscc_check_char(code[:17]) != code[17]:
        raise IdNumberError(
            "uscc_checksum", "The unified social credit code check character is wrong."
        )
    return code


def mask_id(number: str | None) -> str:
    """Keep the first and last four characters, star the rest."""
    if not number:
        return ""
    return _mask_middle(number, head=4, tail=4)


def mask_phone(phone: str | None) -> str:
    """Keep the carrier prefix and last four digits: ``138****5678``."""
    if not phone:
        return ""
    return _mask_middle(phone, head=3, tail=4)


def mask_name(name: str | None) -> str:
    """Keep the first character and star every other one: ``张*``."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)


def _mask_middle(value: str, head: int, tail: int) -> str:
    # Too short to leave anything visible without revealing most of the value.
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]
