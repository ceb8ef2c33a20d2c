"""Bulk enrolment from Excel: the template, the upload, and the job's page with its
progress (polled as JSON by static/js/import-progress.js)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from trainhub.core import jobs, policy
from trainhub.core.errors import N_, NotFound
from trainhub.core.forms import attempt, choose_files_again
from trainhub.core.i18n import translate
from trainhub.extensions import db
from trainhub.training import exports, import_jobs, loaders
from trainhub.training.forms import ImportForm
from trainhub.training.import_jobs import FINISHED, ImportStatus
from trainhub.training.imports import XLSX_MIME, params_from_json
from trainhub.training.models import ImportJob
from trainhub.training.views import bp
from trainhub.training.views.running import roster_page

PHASES = {
    ImportStatus.QUEUED: _l("Waiting to start…"),
    ImportStatus.CHECKING: _l("Checking every row…"),
    ImportStatus.IMPORTING: _l("Importing…"),
    ImportStatus.DONE: _l("Imported"),
    ImportStatus.FAILED: _l("Not imported: the file has errors"),
    ImportStatus.ERROR: _l("Not imported: the import stopped"),
}


def xlsx_response(data: bytes, ascii_name: str, name: str) -> Response:
    response = Response(data, mimetype=XLSX_MIME)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _job(job_id: int) -> ImportJob:
    found = db.session.get(ImportJob, job_id)
    if found is None:
        raise NotFound(loaders.NOT_FOUND)
    policy.require(current_user, "training.imports.view", found.batch)
    return found


@bp.get("/batches/<int:batch_id>/enrolment-template.xlsx")
@policy.permission("training.batches.run")
def enrolment_template(batch_id: int) -> Response:
    found = loaders.batch(batch_id, "training.batches.run")
    data = exports.template(found, import_jobs.counties())
    return xlsx_response(data, f"enrolment-template-{found.id}.xlsx",
                         gettext("Enrolment template") + f"-{found.id}.xlsx")


@bp.post("/batches/<int:batch_id>/imports")
@policy.permission("training.batches.run")
def start_import(batch_id: int) -> ResponseReturnValue:
    found = loaders.batch(batch_id, "training.batches.run")
    form = ImportForm()
    upload = form.file.data
    started = attempt(lambda: import_jobs.start_import(
        found, upload.stream, upload.filename or "", current_user,
        consented=bool(form.consent.data)),
        form=form) if form.validate_on_submit() else None
    if not started:  # the roster again, the error beside the file to choose again
        return roster_page(found, import_form=choose_files_again(form)), 400
    job = started.result
    _enqueue(job)
    return redirect(url_for("training.import_job", job_id=job.id))


def _progress(job: ImportJob) -> dict[str, Any]:
    status = ImportStatus(job.status)
    if status in FINISHED:
        text = (gettext("Imported %(count)s people.", count=job.imported)
                if status == ImportStatus.DONE else
                gettext("Nothing was imported: %(count)s errors.", count=len(job.errors)))
    elif job.total_rows:
        text = gettext("Processed %(done)s of %(total)s rows",
                       done=job.processed_rows, total=job.total_rows)
    else:
        text = str(PHASES[status])
    return {"id": job.id, "status": status.value, "phase": str(PHASES[status]),
            "finished": status in FINISHED, "total_rows": job.total_rows,
            "processed_rows": job.processed_rows, "imported": job.imported,
            "errors": len(job.errors), "text": text,
            "interrupted": import_jobs.interrupted(job)}


def _errors(job: ImportJob) -> list[dict[str, Any]]:
    shown = []
    for e in job.errors:
        params: dict[str, Any] = e.get("params") or {}  # type: ignore[assignment]
        shown.append({"row": e.get("row"), "column": e.get("column") or "",
                      "message": translate(str(e["message"]), **params_from_json(params))})
    return shown


@bp.get("/imports/<int:job_id>")
@policy.permission("training.imports.view")
def import_job(job_id: int) -> str:
    found = _job(job_id)
    sheet = next((str(e["sheet"]) for e in found.errors if e.get("sheet")), "")
    return render_template("training/import_job.html", job=found, batch=found.batch,
                           progress=_progress(found), errors=_errors(found), sheet=sheet,
                           may_run_again=policy.may(current_user, "training.batches.run",
                                                    found.batch))


@bp.post("/imports/<int:job_id>/again")
@policy.permission("training.batches.run")
def run_import_again(job_id: int) -> ResponseReturnValue:
    found = _job(job_id)
    policy.require(current_user, "training.batches.run", found.batch)
    if attempt(lambda: import_jobs.run_again(found, current_user),
               N_("The import is running again.")):
        _enqueue(found)
    return redirect(url_for("training.import_job", job_id=found.id))


def _enqueue(job: ImportJob) -> None:
    try:
        jobs.enqueue(import_jobs.JOB, job.id, actor_id=current_user.id)
    except jobs.QueueUnavailable:
        import_jobs.not_queued(job)
        db.session.commit()


@bp.get("/imports/<int:job_id>.json")
@policy.permission("training.imports.view")
def import_job_status(job_id: int) -> Response:
    return jsonify(_progress(_job(job_id)))
