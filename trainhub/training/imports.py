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
from datetime import date
from typing import Any

import openpyxl
from defusedxml.ElementTree import iterparse

from trainhub.core import cells, idnumbers
from trainhub.core.errors import N_, DomainError
from trainhub.core.people.models import EmploymentStatus
from trainhub.core.people.services import MESSAGES as IDENTITY_MESSAGES
from trainhub.training import eligibility
from trainhub.training.eligibility import FamilyTie

# openpyxl only protects against XML bombs (billion laughs, external entities) when
# defusedxml is importable; refuse to read uploads without it.
if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
    raise ImportError("defusedxml must be installed to read uploaded workbooks")

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Declared sizes of the unpacked parts: zipfile stops reading a part at its declared size
# (and fails the CRC if it lied), so this bounds what openpyxl can ever inflate.
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_PARTS = 500
MAX_ROWS = 20_000
HEADER_ROWS = 5  # the header may sit below a title row or two
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
    # A family member of a person with disabilities (残疾人家庭成员), in a batch open to them.
    Column("family_relation", "残疾人家庭成员关系", False,
           N_("Only for a trainee without a disability certificate taking part as a family "
              "member of a person with disabilities, in a batch open to them: 配偶, 子女, 父母 "
              "or 其他. Empty otherwise; no subsidy follows such a seat."), "",
           ("家庭成员关系", "与残疾人关系")),
    Column("relative_cert_number", "残疾亲属的残疾人证号", False,
           N_("With the relation: the disability certificate number of the relative with "
              "disabilities (20 characters)."), "", ("亲属残疾人证号", "家庭成员残疾人证号")),
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
        """Stored with the job; a date value as {"date": ISO}, read back by params_from_json
        so that the message shows it as the pages do."""
        return {"row": self.row, "column": self.column, "message": self.message,
                "params": {key: {"date": value.isoformat()} if isinstance(value, date)
                           else value for key, value in self.params.items()}}


def params_from_json(params: Mapping[str, object]) -> dict[str, object]:
    """A stored error's values, its dates as dates again (RowError.as_json)."""
    return {key: date.fromisoformat(str(value["date"]))
            if isinstance(value, dict) and set(value) == {"date"} else value
            for key, value in params.items()}


@dataclass(frozen=True)
class RawRow:
    number: int                      # the Excel row number
    cells: Mapping[str, object]      # column key → cell value
    hidden: bool = False             # hidden by a filter or by hand


@dataclass(frozen=True)
class SheetRows:
    """The worksheet read (chosen by its headers) and its rows."""

    title: str
    rows: list[RawRow]


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
    family: FamilyTie | None = None  # declared as a family member of a person with disabilities


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
    """The data rows of the sheet with the template's headers (see read_sheet)."""
    return read_sheet(data, max_rows=max_rows).rows


def read_sheet(data: bytes, *, max_rows: int = MAX_ROWS) -> SheetRows:
    """The first worksheet whose header row (one of its first HEADER_ROWS rows) has every
    required column, and its data rows keyed by column: each row says whether it is hidden;
    rows without a name, an ID, a certificate or a phone number are not trainees and are
    skipped (a column filled down past the list, formulas that show nothing)."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                          keep_links=False)
    except Exception:  # openpyxl raises many kinds on a damaged package
        raise FileProblem(NOT_XLSX) from None
    try:
        return _read_workbook(workbook, max_rows)
    except (KeyError, ValueError, TypeError, SyntaxError, zipfile.BadZipFile):
        raise FileProblem(NOT_XLSX) from None
    finally:
        workbook.close()


def _read_workbook(workbook: Any, max_rows: int) -> SheetRows:
    best: tuple[int, str, list[str]] | None = None  # (headers found, sheet, missing)
    for sheet in workbook.worksheets:
        found = _header_of(sheet)
        if found is not None and not found[2]:
            return SheetRows(sheet.title, _rows_of(sheet, found[0], found[1], max_rows))
        if found is not None and (best is None or found[3] > best[0]):
            best = (found[3], sheet.title, found[2])
    if best is None:
        raise FileProblem(NOT_XLSX)
    titles = "、".join(f"“{sheet.title}”" for sheet in workbook.worksheets)
    raise FileProblem(N_("No sheet of this workbook has the column headers of the template "
                         "(sheets looked at: %(sheets)s). The sheet “%(sheet)s” comes "
                         "closest; missing: %(columns)s."),
                      sheets=titles, sheet=best[1], columns="、".join(best[2]))


def _header_of(sheet: Any) -> tuple[int, dict[str, int], list[str], int] | None:
    """(the header's row number, column key → position, the required headers missing, how
    many headers were found) of the row among the first that has most of the headers."""
    best: tuple[int, dict[str, int], list[str], int] | None = None
    for number, values in enumerate(sheet.iter_rows(max_row=HEADER_ROWS, values_only=True),
                                    start=1):
        positions: dict[str, int] = {}
        for index, value in enumerate(values):
            key = _HEADER_KEYS.get(_fold(cells.text(value))) if value is not None else None
            if key and key not in positions:
                positions[key] = index
        missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
        if best is None or len(positions) > best[3]:
            best = (number, positions, missing, len(positions))
        if not missing:
            break
    return best


# A row that names nobody is not a trainee, whatever else it holds.
_WHO = ("name", "id_number", "cert_number", "phone")


def _rows_of(sheet: Any, header_row: int, positions: Mapping[str, int],
             max_rows: int) -> list[RawRow]:
    hidden = _hidden_rows(sheet)
    rows: list[RawRow] = []
    for number, values in enumerate(sheet.iter_rows(min_row=header_row + 1,
                                                    values_only=True), start=header_row + 1):
        found = {key: values[i] if i < len(values) else None for key, i in positions.items()}
        if all(cells.text(found.get(key)) == "" for key in _WHO):
            continue
        if len(rows) == max_rows:
            raise FileProblem(N_("The file has more than %(limit)s trainees; split it into "
                                 "several files."), limit=max_rows)
        rows.append(RawRow(number, found, number in hidden))
    if not rows:
        raise FileProblem(N_("The sheet “%(sheet)s” has no trainees below the header row."),
                          sheet=sheet.title)
    return rows


_ROW_TAG = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"


def _hidden_rows(sheet: Any) -> set[int]:
    """The numbers of the rows the sheet hides (a filter, or hidden by hand). openpyxl's
    read-only sheets do not keep row attributes, so the sheet's XML is read once more, row
    elements only (defusedxml, like openpyxl's own reading)."""
    source = sheet._get_source()  # the worksheet part of the package, opened
    hidden: set[int] = set()
    number = 0
    try:
        for _event, element in iterparse(source):
            if element.tag == _ROW_TAG:
                number = int(float(element.get("r") or number + 1))
                if element.get("hidden") in ("1", "true"):
                    hidden.add(number)
                element.clear()
    finally:
        source.close()
    return hidden


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


HIDDEN_ROW = N_("This row is hidden (by a filter, or by hand), so it cannot be checked by "
                "eye: show every row (clear the filter), delete the rows that are not to be "
                "imported, and upload the file again.")
ERROR_VALUE = N_("The cell shows the error %(value)s of a formula (a VLOOKUP that found "
                 "nothing shows #N/A): correct the formula, or type the value itself.")
ID_LOST_DIGITS = N_("The ID number lost its last digits: it was stored as a number, of which "
                    "Excel, WPS and Calc keep only 15 digits, so it ends in 000 or shows as "
                    "3.6E+17, and =TEXT() does not bring the digits back. Format the column "
                    "as text and type the number again from the ID card.")
CERT_LOST_DIGITS = N_("The certificate number lost its last digits: it was stored as a "
                      "number, of which Excel, WPS and Calc keep only 15 digits, so it ends "
                      "in 00 or shows as 3.6E+19. Format the column as text and type the "
                      "number again from the certificate.")


def check_rows(rows: Sequence[RawRow], counties: Counties, today: date) -> Checked:
    """Every check that needs no database, on every row; duplicates inside the file. A
    hidden row is refused as such (whoever hid it did not mean it to be imported as is)."""
    checked = Checked([], [], [])
    first_row: dict[str, int] = {}
    for raw in rows:
        if raw.hidden:
            checked.errors.append(RowError(raw.number, "", HIDDEN_ROW))
            continue
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
    """The trainee when the row is valid; the identity whenever its ID number is. Every cell
    is read through core.cells (NFKC, no invisible characters); a cell showing a formula's
    error value is refused as such and not checked further."""
    def fail(key: str, message: str, **params: object) -> None:
        errors.append(RowError(raw.number, BY_KEY[key].header, message, params))

    broken = set()
    for column in COLUMNS:
        value = raw.cells.get(column.key)
        if cells.is_error_value(value):
            broken.add(column.key)
            fail(column.key, ERROR_VALUE, value=cells.text(value)[:20])
    values = {key: None if key in broken else value for key, value in raw.cells.items()}
    name = cells.name(values.get("name"))
    if "name" in broken:
        pass
    elif not name:
        fail("name", N_("The name is missing."))
    elif len(name) > NAME_MAX:
        fail("name", N_("The name is longer than %(max)s characters."), max=NAME_MAX)
    resident = None if "id_number" in broken else _resident(values, today, fail)
    certificate = _certificate(values, resident, today, fail)
    phone = cells.code(values.get("phone"))
    if phone and not PHONE_RE.fullmatch(phone):
        fail("phone", N_("A mobile number has 11 digits and starts with 1."))
    county_text = cells.text(values.get("county"))
    county = counties.find(county_text) if county_text else None
    if "county" in broken:
        pass
    elif not county_text:
        fail("county", N_("The county of household registration is missing."))
    elif county is None:
        fail("county", N_("“%(value)s” is not a county of Jiangxi: use its 6-digit code or "
                          "its name (see the sheet “%(sheet)s”)."),
             value=county_text[:40], sheet=COUNTY_SHEET)
    employment_text = cells.text(values.get("employment"))
    employment = _employment(employment_text)
    if employment is None and "employment" not in broken:
        fail("employment", N_("Unknown employment status: use one of %(values)s."),
             values=employment_values())
    family = _tie(values, resident, today, fail)
    identity = Identity(raw.number, name, resident.number, certificate) if resident else None
    if errors or resident is None or county is None or employment is None:
        return None, identity
    return Trainee(raw.number, name, resident.number, certificate, phone or None, county,
                   employment, family), identity


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _resident(values: Mapping[str, object], today: date,
              fail: Any) -> idnumbers.ResidentId | None:
    value = values.get("id_number")
    if _is_number(value):
        fail("id_number", N_("Excel stored the ID number as a number and lost its last "
                             "digits: format the column as text and type the number again."))
        return None
    text = cells.code(value)
    if not text:
        fail("id_number", N_("The resident ID number is missing."))
        return None
    if cells.lost_digits(text, 18, 3):
        fail("id_number", ID_LOST_DIGITS)
        return None
    try:
        return idnumbers.parse_resident_id(text, today)
    except idnumbers.IdNumberError as error:
        fail("id_number", IDENTITY_MESSAGES.get(error.code, error.message))
        return None


def _certificate(values: Mapping[str, object], resident: idnumbers.ResidentId | None,
                 today: date, fail: Any) -> str | None:
    value = values.get("cert_number")
    if _is_number(value):
        fail("cert_number", N_("Excel stored the certificate number as a number and lost "
                               "its last digits: format the column as text and type the "
                               "number again."))
        return None
    text = cells.code(value)
    if not text:
        return None
    if cells.lost_digits(text, 20, 2):
        fail("cert_number", CERT_LOST_DIGITS)
        return None
    # With a wrong ID number the certificate is still compared with what was typed.
    holder = resident.number if resident else cells.code(values.get("id_number")) or None
    try:
        return idnumbers.parse_disability_certificate(text, today, resident_id=holder).number
    except idnumbers.IdNumberError as error:
        fail("cert_number", IDENTITY_MESSAGES.get(error.code, error.message))
        return None


# The column of a problem of eligibility.read_tie.
_TIE_COLUMN = {eligibility.Field.RELATION: "family_relation",
               eligibility.Field.RELATIVE_CERTIFICATE: "relative_cert_number"}


def _tie(values: Mapping[str, object], resident: idnumbers.ResidentId | None, today: date,
         fail: Any) -> FamilyTie | None:
    """The family tie a row declares (both columns empty: none); whether the batch admits
    family members is judged with the person's eligibility (import_jobs)."""
    value = values.get("relative_cert_number")
    if _is_number(value) or cells.lost_digits(cells.code(value), 20, 2):
        fail("relative_cert_number", CERT_LOST_DIGITS)
        return None
    tie, problems = eligibility.read_tie(cells.text(values.get("family_relation")),
                                         cells.code(value),
                                         resident.number if resident else "", today)
    for problem in problems:
        fail(_TIE_COLUMN[problem.field], problem.msgid, **problem.params)
    return tie


def _employment(text: str) -> EmploymentStatus | None:
    if not text:
        return EmploymentStatus.UNEMPLOYED
    if text in EMPLOYMENT_VALUES:
        return EMPLOYMENT_VALUES[text]
    try:
        return EmploymentStatus(text.lower())
    except ValueError:
        return None
