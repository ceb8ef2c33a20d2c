"""Everyday work on a batch (issue 16 item 4): enrolling one trainee by hand, "all present,
then the exceptions" on a session's marking sheet, the session calendars (ICS)."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from trainhub.core import policy
from trainhub.core.forms import attempt
from trainhub.core.people.forms import NEED_LABELS, NewPersonForm
from trainhub.core.people.views import _input as person_input
from trainhub.core.people.views import _region_choices as county_choices
from trainhub.core.privacy import consent
from trainhub.core.timeutil import local_today, utcnow
from trainhub.training import attendance, by_hand, calendars, loaders
from trainhub.training.display import ENROLMENT_STATUS_LABELS
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


@bp.route("/batches/<int:batch_id>/enrol", methods=["GET", "POST"])
@policy.permission(RUN)
def enrol_one(batch_id: int) -> ResponseReturnValue:
    """One trainee by hand: the fields of registering a person (its form and template part),
    then the seat through the service every path uses."""
    found = loaders.batch(batch_id, RUN)
    form = NewPersonForm()
    form.household_region_code.choices = county_choices()
    if form.validate_on_submit():
        guardian = consent.guardian_from(form.guardian_name.data, form.guardian_relation.data)
        done = attempt(lambda: by_hand.enrol_one(
            found, person_input(form), current_user, local_today(), bool(form.consent.data),
            guardian), form=form)
        if done:
            flash(gettext("%(name)s is enrolled: %(status)s.", name=done.result.person.name,
                          status=ENROLMENT_STATUS_LABELS[done.result.status]), "success")
            return redirect(url_for("training.roster", batch_id=found.id))
    status = 400 if request.method == "POST" else 200
    return render_template("training/enrol_one.html", batch=found, form=form,
                           need_labels=NEED_LABELS), status


# --- calendars -------------------------------------------------------------------------

def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/batches/<int:batch_id>/sessions.ics")
@policy.permission("training.batches.view")
def batch_calendar(batch_id: int) -> Response:
    found = loaders.batch(batch_id, "training.batches.view")
    return _ics(calendars.ics(found.title, [found], utcnow()), f"batch-{found.id}.ics")


@bp.get("/mine/sessions.ics")
@policy.permission("training.mine")
def my_calendar() -> Response:
    """The sessions of every batch where the trainee holds a seat."""
    return _ics(calendars.ics(gettext("My training sessions"),
                              calendars.trainee_batches(current_user.person_id), utcnow()),
                "my-sessions.ics")
