"""Bulk enrolment from Excel as a job: started by the request, run by a worker (or at once).

All or nothing. Every row is checked first, against the file and against the database (a
few set queries, bulk_enrolment.holding); only a file without a single error is imported,
in one transaction that commits the new person records, the enrolments (written together
by bulk_enrolment.enrol_all, by the rules of enrolment.apply), the job's result and its one
audit row together. Any refusal, even on the last row, rolls all of it back.

Progress. On PostgreSQL the import's transaction is invisible to the page that polls until
it commits, so the job's progress (status and processed_rows) is written beside it with
jobs.commit_aside: each update a short transaction of its own, on its own connection. The
import's transaction touches the job row only at its very end, after the last progress
update, so neither ever waits for the other.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from trainhub.core import cells, idnumbers, jobs
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Conflict
from trainhub.core.files import discard
from trainhub.core.people.models import Person
from trainhub.core.people.services import id_index
from trainhub.core.privacy import consent
from trainhub.core.privacy.models import Method
from trainhub.core.privacy.notice import CURRENT
from trainhub.core.regions import Region
from trainhub.core.sets import chunks, refresh_statistics
from trainhub.core.storage import storage
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db
from trainhub.training import bulk_enrolment, eligibility, enrolment, imports
from trainhub.training.catalog import BatchStatus
from trainhub.training.imports import BY_KEY, Checked, RowError, Trainee
from trainhub.training.models import Batch, ImportJob

JOB = "trainhub.training.import_jobs:run_import"
STATISTICS_AFTER = 1000  # rows imported: enough to move the planner's statistics


class ImportStatus(StrEnum):
    QUEUED = "queued"
    CHECKING = "checking"
    IMPORTING = "importing"
    DONE = "done"          # everyone imported
    FAILED = "failed"      # refused: the errors say why; nothing imported
    ERROR = "error"        # stopped by an unexpected error; nothing imported


FINISHED = (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.ERROR)
CAPACITY = N_("The file has %(rows)s trainees but only %(left)s of the %(capacity)s seats "
              "are free. Remove rows, or raise the capacity first.")
MISSING_FILE = N_("The uploaded file was not found by the import; nothing was imported. "
                  "Upload it again, or tell the administrator.")
CHANGED_MEANWHILE = N_("Someone registered or enrolled one of these trainees while the file "
                       "was being imported; nothing was imported. Upload the file again.")
MINOR_IN_FILE = N_("This person is under 18: their parent's or guardian's consent is needed, "
                   "with the guardian's name. Remove the row and register the person on the "
                   "form “Register a person”, which asks for the guardian.")
UNEXPECTED = N_("The import stopped on an unexpected error; nothing was imported. Try again "
                "later, or tell the administrator.")


# --- starting (in the request) ---------------------------------------------------------

def start_import(batch: Batch, stream: BinaryIO, filename: str, by: User,
                 consented: bool = False) -> ImportJob:
    """Check that the upload is a real workbook, keep it, and queue its job (flushed; the
    caller commits, then hands the id to jobs.enqueue). `consented`: the uploader confirms
    the signed paper consents of everyone in the file (to the current notice)."""
    if batch.status != BatchStatus.ENROLLING:
        raise Conflict(N_("Trainees can be imported only while the batch is open for "
                          "enrolment."))
    if not consented:
        raise consent.ConsentMissing(consent.MISSING_LIST)
    data = stream.read(imports.MAX_UPLOAD_BYTES + 1)
    imports.check_package(data)
    job = ImportJob(batch_id=batch.id, created_by_id=by.id, original_name=_clean_name(filename),
                    storage_key=secrets.token_hex(16), status=ImportStatus.QUEUED.value,
                    errors=[], consent_notice_version=CURRENT.version)
    db.session.add(job)
    db.session.flush()
    storage().put(job.storage_key, data, imports.XLSX_MIME)
    return job


def _clean_name(name: str) -> str:
    name = Path(name.replace("\\", "/")).name
    return "".join(ch for ch in name if ch.isprintable()).strip()[:200] or "import.xlsx"


def not_queued(job: ImportJob) -> None:
    """Redis refused the job: say so on the record (the caller commits)."""
    job.status, job.finished_at = ImportStatus.ERROR.value, utcnow()
    job.errors = [RowError(None, "", QUEUE_DOWN).as_json()]
    discard(job.storage_key)


# --- interrupted jobs ------------------------------------------------------------------

RUNNING = (ImportStatus.CHECKING, ImportStatus.IMPORTING)
# A worker reports at least every half second while it works, and a file of 20,000 rows
# is read in seconds; a job silent for this long lost its worker (killed, out of memory,
# host down). Its transaction died with the connection, so nothing of it was imported.
STALE_AFTER = timedelta(minutes=10)
QUEUE_DOWN = N_("The import could not be started: the background work queue is not "
                "reachable. Nothing was imported. Try again in a few minutes; if this "
                "persists, tell the administrator.")


def interrupted(job: ImportJob, now: datetime | None = None) -> bool:
    """Started, unfinished, and silent for longer than STALE_AFTER."""
    return (job.status in RUNNING and job.heartbeat_at is not None
            and job.heartbeat_at < (now or utcnow()) - STALE_AFTER)


def run_again(job: ImportJob, by: User) -> None:
    """Queue an interrupted job again, from the start (the caller commits, then enqueues).
    Refused when the job is still reporting or has finished: one run at a time."""
    again = db.session.execute(
        update(ImportJob).where(ImportJob.id == job.id,
                                ImportJob.status.in_([s.value for s in RUNNING]),
                                ImportJob.heartbeat_at < utcnow() - STALE_AFTER)
        .values(status=ImportStatus.QUEUED.value, processed_rows=0, heartbeat_at=None))
    if again.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(N_("This import is still running or has finished; reload the page."))
    db.session.refresh(job)
    record("training_import.run_again", actor=by, object_type="training_import_job",
           object_id=job.id, region_code=job.batch.region_code,
           details={"batch": job.batch_id, "file": job.original_name})


# --- progress --------------------------------------------------------------------------

class Progress:
    """The job's status and processed_rows, written beside the import's transaction, at
    most once per 1 % of the rows or per half second."""

    def __init__(self, job_id: int, total: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.job_id, self.total, self.clock = job_id, total, clock
        self.step = max(1, total // 100)
        self.status, self.done, self.at = "", -1, 0.0

    def __call__(self, status: ImportStatus, done: int) -> None:
        now = self.clock()
        if (status == self.status and done < self.total and done - self.done < self.step
                and now - self.at < 0.5):
            return
        self.status, self.done, self.at = status.value, done, now
        jobs.commit_aside(update(ImportJob).where(ImportJob.id == self.job_id)
                          .values(status=status.value, processed_rows=done,
                                  heartbeat_at=utcnow()))


# --- running (the job: the transaction boundary of background work) -------------------

class _Refused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("import refused")
        self.errors = errors


def run_import(job_id: int) -> None:
    """Check every row, then import every row or none. Commits."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.status != ImportStatus.QUEUED:
        return  # already run (a job is delivered at least once)
    sheet = ""  # the worksheet read, named beside the errors of its rows
    try:
        read = imports.read_sheet(storage().get(job.storage_key))
        sheet, rows = read.title, read.rows
        if _claim(job, len(rows)):
            _import(job, rows, Progress(job.id, len(rows)))
    except imports.FileProblem as problem:
        _finish(job, ImportStatus.FAILED, [RowError(None, "", problem.message, problem.params)])
    except FileNotFoundError:  # storage.Missing: a worker not sharing the web's storage
        current_app.logger.error("import job %s: uploaded file not found", job_id)
        _finish(job, ImportStatus.ERROR, [RowError(None, "", MISSING_FILE)])
    except _Refused as refused:
        _finish(job, ImportStatus.FAILED, refused.errors, sheet)
    except Exception:  # includes RQ's timeout: the record must not stay "importing"
        current_app.logger.exception("import job %s stopped", job_id)
        _finish(job, ImportStatus.ERROR, [RowError(None, "", UNEXPECTED)])
    finally:
        discard(job.storage_key)  # the rows hold personal data: keep them no longer


def _claim(job: ImportJob, total: int) -> bool:
    """queued → checking, committed at once: a second delivery of the job stops here."""
    claimed = db.session.execute(
        update(ImportJob).where(ImportJob.id == job.id,
                                ImportJob.status == ImportStatus.QUEUED.value)
        .values(status=ImportStatus.CHECKING.value, total_rows=total, processed_rows=0,
                heartbeat_at=utcnow()))
    db.session.commit()
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def _import(job: ImportJob, rows: Sequence[imports.RawRow], progress: Progress) -> None:
    batch = db.session.get(Batch, job.batch_id)
    by = db.session.get(User, job.created_by_id)
    assert batch is not None and by is not None  # foreign keys
    if batch.status != BatchStatus.ENROLLING:
        raise _Refused([RowError(None, "", N_("Trainees can be imported only while the batch "
                                              "is open for enrolment."))])
    today = local_today()
    checked = imports.check_rows(rows, counties(), today)
    existing = bulk_enrolment.registered(i.id_number for i in checked.identities)
    progress(ImportStatus.CHECKING, len(rows) // 2)
    holding = bulk_enrolment.holding(batch, [p.id for p in existing.values()])
    terms = enrolment.terms_of(batch)
    applicants = {t.row: _applicant(t, existing.get(t.id_number), today)
                  for t in checked.trainees}
    errors = (checked.errors + _check_against_database(checked, existing, holding)
              + _ineligible(checked, applicants, terms) + _minors(checked, applicants, today))
    progress(ImportStatus.CHECKING, len(rows))
    failing = {e.row for e in errors}
    valid = [t for t in checked.trainees if t.row not in failing]
    if len(valid) > batch.seats_left:
        errors.append(RowError(None, "", CAPACITY, {"rows": len(valid), "left": batch.seats_left,
                                                    "capacity": batch.capacity}))
    if errors:
        raise _Refused(errors)
    seats = [bulk_enrolment.seat_of(t, existing.get(t.id_number), applicants[t.row], terms)
             for t in checked.trainees]
    try:
        written = bulk_enrolment.enrol_all(
            batch, seats, holding.withdrawn, by, today,
            lambda done: progress(ImportStatus.IMPORTING, done))
    except IntegrityError:  # someone registered or enrolled one of them meanwhile
        raise _Refused([RowError(None, "", CHANGED_MEANWHILE)]) from None
    if not written:  # seats were taken by others since the check
        db.session.refresh(batch)
        raise _Refused([RowError(None, "", CAPACITY, {
            "rows": len(seats), "left": batch.seats_left, "capacity": batch.capacity})])
    _record_consents(job, batch, by, checked.trainees)
    job.status, job.imported = ImportStatus.DONE.value, len(seats)
    job.processed_rows, job.finished_at, job.errors = len(rows), utcnow(), []
    _audit(job, batch, len(rows), job.imported, 0)
    db.session.commit()
    if job.imported >= STATISTICS_AFTER:
        refresh_statistics(db.session.connection(), "people", "training_enrolments")
        db.session.commit()


def _record_consents(job: ImportJob, batch: Batch, by: User,
                     trainees: Sequence[Trainee]) -> None:
    """The paper consent the uploader confirmed, for every person of the file, set-based:
    their ids read column-only by the blind index (a chunk at a time), then
    consent.give_many. A job queued before consent was asked records none."""
    if job.consent_notice_version is None:
        return
    indexes = [id_index(t.id_number) for t in trainees]
    person_ids: list[int] = []
    for chunk in chunks(indexes):
        person_ids.extend(db.session.scalars(select(Person.id).where(
            Person.id_number_index.in_(chunk))))
    consent.give_many(person_ids, by, Method.PAPER, job.consent_notice_version,
                      region_code=batch.region_code)


def counties() -> imports.Counties:
    return imports.Counties.from_regions(
        (code, name, level) for code, name, level
        in db.session.execute(select(Region.code, Region.name, Region.level)))


def _check_against_database(checked: Checked, existing: dict[str, Person],
                            holding: bulk_enrolment.Holding) -> list[RowError]:
    errors: list[RowError] = []
    for identity in checked.identities:
        person = existing.get(identity.id_number)
        if person is not None:
            errors.extend(_compare(identity, person, holding))
    return errors


# The column a refusal of eligibility.refusals is shown against.
_ELIGIBILITY_COLUMN = {eligibility.Field.CERTIFICATE: "cert_number",
                       eligibility.Field.AGE: "id_number",
                       eligibility.Field.HOUSEHOLD: "county"}


def _applicant(trainee: Trainee, person: Person | None, today: date) -> eligibility.Applicant:
    """Who the batch judges: a person already registered on their record (which the import
    reuses), a new one on the row."""
    if person is not None:
        return enrolment.applicant_of(person, trainee.family)
    resident = idnumbers.parse_resident_id(trainee.id_number, today)  # checked already
    return eligibility.Applicant(sex=resident.sex, birth_date=resident.birth_date,
                                 has_certificate=trainee.cert_number is not None,
                                 household_region_code=trainee.county,
                                 family_relation=trainee.family.relation if trainee.family
                                 else None)


def _ineligible(checked: Checked, applicants: dict[int, eligibility.Applicant],
                terms: eligibility.Terms) -> list[RowError]:
    """Every valid row whose person the batch does not admit, with each reason."""
    return [RowError(trainee.row, BY_KEY[_ELIGIBILITY_COLUMN[reason.field]].header,
                     reason.msgid, reason.params)
            for trainee in checked.trainees
            for reason in eligibility.refusals(applicants[trainee.row], terms)]


def _minors(checked: Checked, applicants: dict[int, eligibility.Applicant],
            today: date) -> list[RowError]:
    """The file's consent is the trainees' own, confirmed in one tick; a person under 18
    needs their guardian's, named, which a row cannot carry (PIPL Art. 31)."""
    return [RowError(t.row, BY_KEY["id_number"].header, MINOR_IN_FILE)
            for t in checked.trainees if consent.is_minor(applicants[t.row].birth_date, today)]


def _compare(identity: imports.Identity, person: Person,
             holding: bulk_enrolment.Holding) -> list[RowError]:
    """A row whose person is registered already: the record is reused, not changed, so it
    must agree with the row; the registered name is not shown (it is not the uploader's to
    learn from an ID number)."""
    def error(key: str, message: str, **params: object) -> RowError:
        return RowError(identity.row, BY_KEY[key].header if key else "", message, params)

    errors = []
    # The registered name as the import reads names: one stored before imports cleaned
    # cells (with a zero-width or full-width space) is the same name as the clean one.
    if identity.name and identity.name != cells.name(person.name):
        errors.append(error("name", N_("The name differs from the name registered for this "
                                       "resident ID number.")))
    if identity.cert_number and person.cert_number and identity.cert_number != person.cert_number:
        errors.append(error("cert_number", N_("The certificate number differs from the one "
                                              "registered for this person.")))
    if person.id in holding.active:
        errors.append(error("id_number", N_("This person already has an application or a "
                                            "seat in this batch.")))
    elif (title := holding.overlapping.get(person.id)) is not None:
        errors.append(error("id_number", N_("This person holds a seat in “%(title)s”, whose "
                                            "sessions overlap this batch's."), title=title))
    elif person.id in holding.declined:  # the message apply gives
        errors.append(error("", N_("An application for this batch already exists.")))
    return errors


def _finish(job: ImportJob, status: ImportStatus, errors: list[RowError],
            sheet: str = "") -> None:
    """Nothing imported: undo whatever the import began, then record the outcome (each
    error of a row with the worksheet it is on)."""
    db.session.rollback()
    order = {c.header: n for n, c in enumerate(imports.COLUMNS)}
    errors = sorted(errors, key=lambda e: (e.row or 0, order.get(e.column, -1)))
    job.status, job.imported, job.finished_at = status.value, 0, utcnow()
    job.errors = [e.as_json() | ({"sheet": sheet} if sheet and e.row else {})
                  for e in errors]
    batch = db.session.get(Batch, job.batch_id)
    _audit(job, batch, job.total_rows, 0, len(errors))
    db.session.commit()


def _audit(job: ImportJob, batch: Batch | None, rows: int, imported: int, errors: int) -> None:
    # The uploader, named explicitly: the job may run in a worker, outside their request.
    record("training_import.run", actor=db.session.get(User, job.created_by_id),
           object_type="training_import_job", object_id=job.id,
           region_code=batch.region_code if batch else None,
           details={"batch": job.batch_id, "file": job.original_name, "rows": rows,
                    "imported": imported, "errors": errors, "status": job.status})
