"""What a spreadsheet cell really says, whoever wrote the file: pure functions, no I/O.

Office programs (Excel, WPS, LibreOffice Calc) leave things in cells that look right on
screen and are wrong as data: full-width digits and spaces typed in a Chinese input mode,
zero-width spaces and byte-order marks pasted from web pages and chat programs, the error
value of a formula that failed (a VLOOKUP that found nothing shows ``#N/A``), and long
numbers that went through a number cell and came back with their last digits zeroed
(Excel and Calc keep 15 significant digits: an 18-digit ID number typed as a number and
"fixed" with ``=TEXT(B2,"0")`` ends in ``000``).

Every reader of an uploaded workbook passes each cell through `text` (or `name` for a
person's name) before checking it, and asks `is_error_value` and `lost_digits`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

__all__ = ["ERROR_VALUES", "clean", "code", "is_error_value", "lost_digits", "name", "text"]

# The error values of Excel, WPS and LibreOffice Calc as they are stored in a workbook (and
# as openpyxl gives them back); LibreOffice shows some as Err:5xx.
ERROR_VALUES = frozenset({
    "#N/A", "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
    "#NV",  # #N/A in a German-language Excel, which some templates come from
})
_LIBREOFFICE_ERROR = re.compile(r"ERR:\d{3}")
_SPACES = re.compile(r"\s+")
# A space beside a character that is not ASCII: "王 芳", "王　芳" (full-width), "王 ·芳".
_SPACE_BESIDE_WIDE = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E\+?\d+", re.IGNORECASE)


def _visible(ch: str) -> bool:
    """Format characters (zero-width spaces and joiners, BOM, soft hyphen, direction marks)
    and control characters other than whitespace show nothing and mean nothing in a cell."""
    category = unicodedata.category(ch)
    if category == "Cf":
        return False
    return category != "Cc" or ch in "\t\n\r\x0b\x0c"


def clean(value: str) -> str:
    """NFKC (full-width digits, letters, spaces and punctuation become the ordinary ones),
    without invisible characters, every run of whitespace one space, stripped."""
    folded = unicodedata.normalize("NFKC", value)
    return _SPACES.sub(" ", "".join(ch for ch in folded if _visible(ch))).strip()


def text(value: object) -> str:
    """A cell's value as cleaned text: "" for an empty cell, a whole number without ".0",
    a date as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return clean(str(value))


def name(value: object) -> str:
    """A person's name: `text`, without the spaces typed between Chinese characters
    ("王　芳" and "王 芳" are 王芳); spaces between Latin words stay (one each)."""
    return _SPACE_BESIDE_WIDE.sub("", text(value))


def code(value: object) -> str:
    """A number written as text (an ID or phone number): `text` without any space or dash,
    letters upper-case."""
    return "".join(text(value).replace("-", "").split()).upper()


def is_error_value(value: object) -> bool:
    """A formula's error value (#N/A, #VALUE!, LibreOffice's Err:502…), not data."""
    if not isinstance(value, str):
        return False
    cleaned = clean(value).upper()
    return cleaned in ERROR_VALUES or bool(_LIBREOFFICE_ERROR.fullmatch(cleaned))


def lost_digits(value: str, length: int, zeros: int) -> bool:
    """Whether a number `length` characters long went through a number cell and lost its
    last digits: it ends in `zeros` zeros, or it is written as 3.60703E+17."""
    cleaned = code(value)
    if _SCIENTIFIC.fullmatch(cleaned):
        return True
    return len(cleaned) == length and cleaned.endswith("0" * zeros)
