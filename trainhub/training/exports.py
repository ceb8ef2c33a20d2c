"""Workbooks of a batch: the enrolment template, the roster and the attendance sheet.

Exports are masked unless `full` is asked for (ID and certificate numbers as
3601**********1421, phones as 138****5678); the views ask for it only after recording the
stated purpose in the audit log. Cells are written by core.excel (text IDs, no formulas).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext

from trainhub.core.audit.service import record
from trainhub.core.display import CATEGORY_LABELS, GRADE_LABELS
from trainhub.core.errors import N_, DomainError
from trainhub.core.excel import CellValue, Sheet, write_workbook
from trainhub.core.i18n import local_datetime
from trainhub.core.idnumbers import mask_id, mask_phone
from trainhub.core.people.forms import EMPLOYMENT_LABELS
from trainhub.core.people.models import Person
from trainhub.training.attendance import Sheet as AttendanceSheet
from trainhub.training.display import ATTENDANCE_LABELS, ENROLMENT_STATUS_LABELS
from trainhub.training.imports import (
    BY_KEY,
    COLUMNS,
    COUNTY_SHEET,
    Counties,
    employment_values,
)
from trainhub.training.models import Batch, Enrolment, Session

DATA_SHEET = "学员名单"  # fixed, like the headers: the import reads the first sheet
TEXT_KEYS = ("id_number", "cert_number", "phone", "county", "relative_cert_number")
SOURCE_LABELS = {"self": N_("Applied online"), "staff": N_("Entered by staff"),
                 "import": N_("Imported from Excel")}
EMPLOYMENT = {status.value: label for status, label in EMPLOYMENT_LABELS.items()}


# --- the template ----------------------------------------------------------------------

def template(batch: Batch, counties: Counties) -> bytes:
    """An empty list with the headers, the rules and an example, and the county codes."""
    keys = [c.key for c in COLUMNS]
    data = Sheet(DATA_SHEET, [c.header for c in COLUMNS],
                 text_columns=[keys.index(k) + 1 for k in TEXT_KEYS])
    return write_workbook([data, _notes(batch), _county_sheet(counties)])


def _notes(batch: Batch) -> Sheet:
    yes, no = gettext("Yes"), gettext("No")
    rows: list[list[CellValue]] = [
        [c.header, yes if c.required else no,
         gettext(c.hint, sheet=COUNTY_SHEET, values=employment_values()), c.example]
        for c in COLUMNS]
    rows += [
        [],
        [gettext("Batch"), batch.title],
        [gettext("Seats free"), batch.seats_left],
        [gettext("How to fill it"), gettext(
            "One trainee per row on the sheet “%(sheet)s”, from row 2; keep the header row. "
            "Nothing is imported unless every row is valid: each error is listed with its "
            "row and column.", sheet=DATA_SHEET)],
        [gettext("People already registered"), gettext(
            "A person already registered keeps their record: the name (and the certificate "
            "number, when given) must match it; the other columns are not used.")],
        [gettext("Allowed values of %(column)s", column=BY_KEY["employment"].header),
         employment_values()],
        [],
        [gettext("Example row")],
        [c.header for c in COLUMNS],
        [c.example for c in COLUMNS],
    ]
    return Sheet(gettext("Notes"), [gettext("Column"), gettext("Required"),
                                    gettext("What to enter"), gettext("Example")], rows)


def _county_sheet(counties: Counties) -> Sheet:
    rows: list[list[CellValue]] = [
        [code, name, counties.city_names.get(code[:4], "")]
        for code, name in sorted(counties.names.items())]
    return Sheet(COUNTY_SHEET, [gettext("Code"), gettext("County"), gettext("City")], rows)


# --- the roster ------------------------------------------------------------------------

def _numbers(person: Person, full: bool) -> list[CellValue]:
    """The birth date, then the numbers. The birth date goes only with the full numbers:
    beside the household county it would rebuild a masked one (core.people.services)."""
    if full:
        return [person.birth_date, person.id_number, person.cert_number or "",
                person.phone or ""]
    return [mask_id(person.id_number), mask_id(person.cert_number), mask_phone(person.phone)]


def roster(batch: Batch, enrolments: Sequence[Enrolment], region_names: dict[str, str],
           full: bool) -> bytes:
    header = [gettext("No."), gettext("Name"), gettext("Sex"),
              *([gettext("Birth date")] if full else []),
              gettext("Resident ID number"), gettext("Disability certificate number"),
              gettext("Mobile phone"), gettext("Disability category"),
              gettext("Disability grade"), gettext("Household registration"),
              gettext("Employment status"), gettext("Applied"), gettext("Status"),
              gettext("Source"), gettext("Result")]
    rows: list[list[CellValue]] = []
    for n, e in enumerate(enrolments, start=1):
        p = e.person
        result = "" if e.completion is None else (
            gettext("Passed") if e.completion.passed else gettext("Failed"))
        rows.append([
            n, p.name, gettext("Male") if p.sex == "M" else gettext("Female"),
            *_numbers(p, full),
            str(CATEGORY_LABELS.get(p.disability_category, "")) if p.disability_category else "",
            str(GRADE_LABELS.get(p.disability_grade, "")) if p.disability_grade else "",
            region_names.get(p.household_region_code, p.household_region_code),
            str(EMPLOYMENT.get(p.employment_status, p.employment_status)),
            e.applied_at, str(ENROLMENT_STATUS_LABELS.get(e.status, e.status)),
            gettext(SOURCE_LABELS.get(e.source, e.source)), result])
    return write_workbook([Sheet(gettext("Roster"), header, rows),
                           _about(batch, full, len(rows))])


def _about(batch: Batch, full: bool, count: int) -> Sheet:
    masking = (gettext("Full numbers: this export was logged with its stated purpose. Keep "
                       "it safe and delete it when done.") if full else
               gettext("ID, certificate and phone numbers are masked, and birth dates left "
                       "out: with the household county they would give the ID numbers."))
    return Sheet(gettext("Notes"), [gettext("Item"), gettext("Value")], [
        [gettext("Batch"), batch.title], [gettext("Rows"), count],
        [gettext("Numbers"), masking]])


# --- attendance ------------------------------------------------------------------------

def _session_header(session: Session) -> str:
    hours = format(session.hours.normalize(), "f")
    # A header is text: the session's time as the pages write it (core.i18n).
    return (local_datetime(session.starts_at) + " "
            + gettext("(%(hours)s hours)", hours=hours))


def attendance(batch: Batch, sheet: AttendanceSheet, full: bool) -> bytes:
    """Sessions × admitted trainees, with the rate over the planned hours."""
    threshold = f"{sheet.threshold.normalize():f}"
    header = [gettext("Name"), gettext("Resident ID number")]
    header += [_session_header(s) for s in sheet.sessions]
    header += [gettext("Attended hours"), gettext("Planned hours"),
               gettext("Attendance rate, percent"),
               gettext("Can no longer reach %(threshold)s%%", threshold=threshold)]
    rows: list[list[CellValue]] = []
    for e in sheet.enrolments:
        summary = sheet.summaries[e.id]
        marks = [sheet.marks.get((e.id, s.id)) for s in sheet.sessions]
        rows.append([
            e.person.name, e.person.id_number if full else mask_id(e.person.id_number),
            *[str(ATTENDANCE_LABELS.get(m.status, m.status)) if m else "" for m in marks],
            summary.attended_hours, summary.planned_hours, summary.percent,
            gettext("Yes") if sheet.flagged(e.id) else gettext("No")])
    return write_workbook([Sheet(gettext("Attendance"), header, rows),
                           _about(batch, full, len(rows))])


def record_full_export(batch: Batch, kind: str, purpose: str, rows: int) -> None:
    """Full numbers leave the system: one audit row with the purpose (the caller commits)."""
    if not purpose.strip():
        raise DomainError(N_("State why you need the full numbers."))
    record("training_batch.export_full", object_type="training_batch", object_id=batch.id,
           region_code=batch.region_code,
           details={"sheet": kind, "rows": rows, "purpose": purpose.strip()[:200]})
