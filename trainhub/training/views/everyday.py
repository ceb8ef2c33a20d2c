"""Everyday staff work on a running batch (issue 16 item 4): "all present, then the
exceptions" on a session's marking sheet."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from trainhub.core import policy
from trainhub.core.forms import attempt
from trainhub.core.timeutil import utcnow
from trainhub.training import attendance, loaders
from trainhub.training.views import bp

RUN = "training.batches.run"


@bp.post("/batches/<int:batch_id>/sessions/<int:session_id>/attendance/all-present")
@policy.permission(RUN)
def all_present(batch_id: int, session_id: int) -> ResponseReturnValue:
    """Every admitted trainee not yet marked is marked present; the sheet comes back for the
    exceptions."""
    session = loaders.session(batch_id, session_id, RUN)
    if done := attempt(lambda: attendance.mark_all_present(session, current_user, utcnow())):
        flash(gettext("Marked present: %(count)s. Now change the exceptions.",
                      count=done.result), "success")
        return redirect(url_for("training.mark_attendance", batch_id=batch_id,
                                session_id=session_id))
    return redirect(url_for("training.attendance_sheet", batch_id=batch_id))
