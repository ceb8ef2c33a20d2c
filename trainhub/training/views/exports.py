"""Roster and attendance workbooks. GET gives the masked export to anyone who sees the
batch; POST, with a stated purpose, gives the full numbers to the batch's staff and the
officers covering it, and leaves an audit row naming the purpose."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from trainhub.core import policy
from trainhub.core.forms import attempt
from trainhub.core.people.forms import UnmaskForm
from trainhub.core.regions import region_names
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.training import attendance, exports, loaders
from trainhub.training.catalog import EnrolmentStatus
from trainhub.training.models import Batch, Enrolment
from trainhub.training.views import bp
from trainhub.training.views.imports import xlsx_response
from trainhub.training.views.running import attendance_page, roster_page

FULL = "training.exports.full"


def _roster(found: Batch, full: bool) -> tuple[bytes, int]:
    rows = db.session.scalars(loaders.enrolments_of(found).options(
        selectinload(Enrolment.completion))).all()
    return exports.roster(found, rows, region_names(), full), len(rows)


def _attendance(found: Batch, full: bool) -> tuple[bytes, int]:
    admitted = db.session.scalars(loaders.enrolments_of(found).where(
        Enrolment.status == EnrolmentStatus.ADMITTED.value)).all()
    grid = attendance.sheet(found, admitted, utcnow())
    return exports.attendance(found, grid, full), len(admitted)


def _send(found: Batch, kind: str, data: bytes, full: bool) -> Response:
    title = gettext("Roster") if kind == "roster" else gettext("Attendance")
    suffix = "-full" if full else ""
    return xlsx_response(data, f"{kind}-{found.id}{suffix}.xlsx",
                         f"{title}-{found.id}{suffix}.xlsx")


def _full(batch_id: int, kind: str, build: Callable[[Batch, bool], tuple[bytes, int]],
          page: Callable[..., str]) -> ResponseReturnValue:
    """The workbook with full numbers; without a purpose, the page it was asked from again,
    with the purpose as typed and its error."""
    found = loaders.batch(batch_id, FULL)
    form = UnmaskForm()
    if form.validate_on_submit():
        data, count = build(found, True)
        if attempt(lambda: exports.record_full_export(found, kind, form.purpose.data or "",
                                                      count), form=form):
            return _send(found, kind, data, True)
    return page(found, export_form=form), 400


@bp.get("/batches/<int:batch_id>/roster.xlsx")
@policy.permission("training.batches.view")
def roster_xlsx(batch_id: int) -> Response:
    found = loaders.batch(batch_id, "training.batches.view")
    return _send(found, "roster", _roster(found, False)[0], False)


@bp.post("/batches/<int:batch_id>/roster.xlsx")
@policy.permission(FULL)
def roster_xlsx_full(batch_id: int) -> ResponseReturnValue:
    return _full(batch_id, "roster", _roster, roster_page)


@bp.get("/batches/<int:batch_id>/attendance.xlsx")
@policy.permission("training.batches.view")
def attendance_xlsx(batch_id: int) -> Response:
    found = loaders.batch(batch_id, "training.batches.view")
    return _send(found, "attendance", _attendance(found, False)[0], False)


@bp.post("/batches/<int:batch_id>/attendance.xlsx")
@policy.permission(FULL)
def attendance_xlsx_full(batch_id: int) -> ResponseReturnValue:
    return _full(batch_id, "attendance", _attendance, attendance_page)


@bp.context_processor
def _excel_helpers() -> dict[str, object]:
    """For templates/training/_excel.html on the roster and attendance pages."""
    return {"may_export_full": lambda batch: policy.may(current_user, FULL, batch)}
