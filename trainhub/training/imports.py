"""Bulk enrolment from Excel: the file format, reading a workbook safely, checking rows.

No database here: the checks that need one (people already registered, enrolments in the
batch, seats) are in import_jobs.py, which gives this module the list of counties.

The column headers are part of the file format and fixed in Chinese, whatever language the
page is shown in, so that a template downloaded by anyone imports for everyone. Errors are
English msgids with their params, translated when shown; each names the Excel row number
(the header is row 1) and the column header.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import openpyxl

from trainhub.core import idnumbers
from trainhub.core.errors import N_, DomainError
from trainhub.core.people.models import EmploymentStatus
from trainhub.core.people.services import MESSAGES as IDENTITY_MESSAGES

# openpyxl only protects against XML bombs (billion laughs, external entities) when
# defusedxml is importable; refuse to read uploads without it.
if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
    raise ImportError("defusedxml must be installed to read uploaded workbooks")

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Declared sizes of the unpacked parts: zipfile stops reading a part at its declared size
# (and fails the CRC if it lied), so this bounds what openpyxl can ever inflate.
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_PARTS = 500
MAX_ROWS = 2000
NAME_MAX = 64  # people.name
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
PHONE_RE = re.compile(r"1\d{10}")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    hint: str  # msgid
    example: str
    aliases: tuple[str, ...] = ()


COUNTY_SHEET = "县区代码"
EXAMPLE_ID = "360102199001010026"
COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", True, N_("The name as on the resident ID card."), "张三"),
    Column("id_number", "公民身份号码", True,
           N_("18 characters; the last may be X. The column is formatted as text: keep it "
              "so, or Excel turns the number into 3.60102E+17 and loses its last digits."),
           EXAMPLE_ID, ("身份证号", "身份证号码", "身份证")),
    Column("cert_number", "残疾人证号", False,
           N_("20 characters: the resident ID number, then the category (1–7) and the "
              "grade (1–4)."), EXAMPLE_ID + "12", ("残疾证号", "残疾人证号码")),
    Column("phone", "手机号码", False, N_("11 digits, starting with 1."), "13912345678",
           ("手机号", "联系电话")),
    Column("county", "户籍所在县（市、区）", True,
           N_("The 6-digit code (such as 360102) or the name (such as 东湖区 or 南昌市东湖区) "
              "of a county of Jiangxi: see the sheet “%(sheet)s”."), "360102",
           ("户籍所在县(市、区)代码", "户籍所在县（市、区）代码", "户籍所在地", "县区代码")),
    Column("employment", "就业状况", False,
           N_("One of %(values)s; empty means not employed."), "未就业"),
)
BY_KEY = {c.key: c for c in COLUMNS}

# The values of 就业状况, fixed in Chinese like the headers (the codes are accepted too).
EMPLOYMENT_VALUES: dict[str, EmploymentStatus] = {
    "未就业": EmploymentStatus.UNEMPLOYED,
    "已就业": EmploymentStatus.EMPLOYED,
    "个体就业": EmploymentStatus.SELF_EMPLOYED,
    "在校学生": EmploymentStatus.STUDENT,
}


class FileProblem(DomainError):
    """The file as a whole cannot be read; nothing in it is looked at further."""


@dataclass(frozen=True)
class RowError:
    row: int | None  # None: the file as a whole (capacity, missing columns)
    column: str      # the header, or "" for the whole row or file
    message: str     # msgid
    params: Mapping[str, object] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message,
                "params": dict(self.params)}


@dataclass(frozen=True)
class RawRow:
    number: int                      # the Excel row number
    cells: Mapping[str, object]      # column key → cell value


@dataclass(frozen=True)
class Trainee:
    """A row that passed every check of this module."""

    row: int
    name: str
    id_number: str
    cert_number: str | None
    phone: str | None
    county: str
    employment: EmploymentStatus


@dataclass(frozen=True)
class Identity:
    """What a row says about who the person is, whenever its ID number is valid: enough to
    compare it with a person already registered."""

    row: int
    name: str
    id_number: str
    cert_number: str | None


@dataclass
class Checked:
    trainees: list[Trainee]      # the rows without any error
    errors: list[RowError]
    identities: list[Identity]   # every row with a valid ID number


# --- the package ---------------------------------------------------------------------

NOT_XLSX = N_("This file is not an Excel workbook (.xlsx), whatever its name says. Download "
              "the template, fill it in Excel or WPS and save it as .xlsx.")


def check_package(data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES,
                  max_unzipped: int = MAX_UNZIPPED_BYTES) -> None:
    """Refuse anything but a real, reasonably sized .xlsx before openpyxl sees it."""
    if not data:
        raise FileProblem(N_("The file is empty."))
    if len(data) > max_bytes:
        raise FileProblem(N_("The file is larger than %(limit)s MB."),
                          limit=max_bytes // (1024 * 1024))
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: the Excel 97-2003 format
        raise FileProblem(N_("This is an old Excel 97-2003 file (.xls). Open it in Excel or "
                             "WPS and save it as an Excel workbook (.xlsx)."))
    if not data.startswith(b"PK\x03\x04"):
        raise FileProblem(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileProblem(NOT_XLSX) from None
    names = {p.filename for p in parts}
    if not all(name in names for name in REQUIRED_PARTS):
        raise FileProblem(NOT_XLSX)
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > max_unzipped:
        raise FileProblem(N_("The workbook unpacks to more than %(limit)s MB; it cannot be "
                             "a list of trainees."), limit=max_unzipped // (1024 * 1024))


# --- reading -------------------------------------------------------------------------

def _fold(header: str) -> str:
    """Headers typed by hand: ignore spaces, a required-field star, bracket width."""
    text = "".join(header.split()).replace("*", "").replace("＊", "")
    return text.replace("(", "（").replace(")", "）")


_HEADER_KEYS = {_fold(name): c.key for c in COLUMNS for name in (c.header, *c.aliases)}


def read_rows(data: bytes, *, max_rows: int = MAX_ROWS) -> list[RawRow]:
    """The data rows of the first worksheet, keyed by column; empty rows are skipped."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                          keep_links=False)
    except Exception:  # openpyxl raises many kinds on a damaged package
        raise FileProblem(NOT_XLSX) from None
    try:
        return _rows_of(workbook.worksheets[0], max_rows)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile):
        raise FileProblem(NOT_XLSX) from None
    finally:
        workbook.close()


def _rows_of(sheet: Any, max_rows: int) -> list[RawRow]:
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, None) or ()
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        key = _HEADER_KEYS.get(_fold(str(value))) if value is not None else None
        if key and key not in positions:
            positions[key] = index
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        raise FileProblem(N_("The first row must hold the column headers of the template; "
                             "missing: %(columns)s."), columns="、".join(missing))
    rows: list[RawRow] = []
    for number, values in enumerate(lines, start=2):
        cells = {key: values[i] if i < len(values) else None for key, i in positions.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        if len(rows) == max_rows:
            raise FileProblem(N_("The file has more than %(limit)s trainees; split it into "
                                 "several files."), limit=max_rows)
        rows.append(RawRow(number, cells))
    if not rows:
        raise FileProblem(N_("The file has no trainees below the header row."))
    return rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


# --- checking ------------------------------------------------------------------------

@dataclass(frozen=True)
class Counties:
    """The counties of the province, found by code, by name, or by city and name (county
    names are unique within Jiangxi)."""

    names: Mapping[str, str]         # county code → name
    city_names: Mapping[str, str]    # city code → name
    lookup: Mapping[str, str]        # code, name or city + name → county code

    @classmethod
    def from_regions(cls, regions: Iterable[tuple[str, str, str]]) -> Counties:
        rows = list(regions)  # (code, name, level)
        names = {c: n for c, n, level in rows if level == "county"}
        cities = {c: n for c, n, level in rows if level == "city"}
        lookup = {code: code for code in names}
        for code, name in names.items():
            lookup[name] = code
            lookup[cities.get(code[:4], "") + name] = code
        return cls(names, cities, lookup)

    def find(self, value: str) -> str | None:
        return self.lookup.get("".join(value.split()))


def employment_values() -> str:
    return "、".join(EMPLOYMENT_VALUES)


def check_rows(rows: Sequence[RawRow], counties: Counties, today: date) -> Checked:
    """Every check that needs no database, on every row; duplicates inside the file."""
    checked = Checked([], [], [])
    first_row: dict[str, int] = {}
    for raw in rows:
        errors: list[RowError] = []
        trainee, identity = _check_row(raw, counties, today, errors)
        if identity is not None:
            checked.identities.append(identity)
            earlier = first_row.setdefault(identity.id_number, raw.number)
            if earlier != raw.number:
                errors.append(RowError(raw.number, BY_KEY["id_number"].header, N_(
                    "Rows %(first)s and %(row)s have the same resident ID number."),
                    {"first": earlier, "row": raw.number}))
        checked.errors.extend(errors)
        if trainee is not None and not errors:
            checked.trainees.append(trainee)
    return checked


def _check_row(raw: RawRow, counties: Counties, today: date,
               errors: list[RowError]) -> tuple[Trainee | None, Identity | None]:
    """The trainee when the row is valid; the identity whenever its ID number is."""
    def fail(key: str, message: str, **params: object) -> None:
        errors.append(RowError(raw.number, BY_KEY[key].header, message, params))

    name = _text(raw.cells.get("name"))
    if not name:
        fail("name", N_("The name is missing."))
    elif len(name) > NAME_MAX:
        fail("name", N_("The name is longer than %(max)s characters."), max=NAME_MAX)
    resident = _resident(raw, today, fail)
    certificate = _certificate(raw, resident, today, fail)
    phone = "".join(_text(raw.cells.get("phone")).replace("-", "").split())
    if phone and not PHONE_RE.fullmatch(phone):
        fail("phone", N_("A mobile number has 11 digits and starts with 1."))
    county_text = _text(raw.cells.get("county"))
    county = counties.find(county_text) if county_text else None
    if not county_text:
        fail("county", N_("The county of household registration is missing."))
    elif county is None:
        fail("county", N_("“%(value)s” is not a county of Jiangxi: use its 6-digit code or "
                          "its name (see the sheet “%(sheet)s”)."),
             value=county_text[:40], sheet=COUNTY_SHEET)
    employment_text = _text(raw.cells.get("employment"))
    employment = _employment(employment_text)
    if employment is None:
        fail("employment", N_("Unknown employment status: use one of %(values)s."),
             values=employment_values())
    identity = Identity(raw.number, name, resident.number, certificate) if resident else None
    if errors or resident is None or county is None or employment is None:
        return None, identity
    return Trainee(raw.number, name, resident.number, certificate, phone or None, county,
                   employment), identity


def _resident(raw: RawRow, today: date, fail: Any) -> idnumbers.ResidentId | None:
    value = raw.cells.get("id_number")
    if isinstance(value, float):
        fail("id_number", N_("Excel stored the ID number as a number and lost its last "
                             "digits: format the column as text and type the number again."))
        return None
    text = _text(value)
    if not text:
        fail("id_number", N_("The resident ID number is missing."))
        return None
    try:
        return idnumbers.parse_resident_id(text, today)
    except idnumbers.IdNumberError as error:
        fail("id_number", IDENTITY_MESSAGES.get(error.code, error.message))
        return None


def _certificate(raw: RawRow, resident: idnumbers.ResidentId | None, today: date,
                 fail: Any) -> str | None:
    value = raw.cells.get("cert_number")
    if isinstance(value, float):
        fail("cert_number", N_("Excel stored the certificate number as a number and lost "
                               "its last digits: format the column as text and type the "
                               "number again."))
        return None
    text = _text(value)
    if not text:
        return None
    # With a wrong ID number the certificate is still compared with what was typed.
    holder = resident.number if resident else idnumbers.normalize(
        _text(raw.cells.get("id_number"))) or None
    try:
        return idnumbers.parse_disability_certificate(text, today, resident_id=holder).number
    except idnumbers.IdNumberError as error:
        fail("cert_number", IDENTITY_MESSAGES.get(error.code, error.message))
        return None


def _employment(text: str) -> EmploymentStatus | None:
    if not text:
        return EmploymentStatus.UNEMPLOYED
    if text in EMPLOYMENT_VALUES:
        return EMPLOYMENT_VALUES[text]
    try:
        return EmploymentStatus(text.lower())
    except ValueError:
        return None
