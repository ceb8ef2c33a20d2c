"""Everyday work on a batch (issue 16 item 4): enrolling one trainee by hand, "all present,
then the exceptions" on a session's marking sheet, QR check-in, the session calendars
(ICS)."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup

from trainhub.core import policy
from trainhub.core.errors import N_, DomainError
from trainhub.core.forms import attempt
from trainhub.core.i18n import translate
from trainhub.core.people.forms import NEED_LABELS, NewPersonForm
from trainhub.core.people.views import _input as person_input
from trainhub.core.people.views import _region_choices as county_choices
from trainhub.core.privacy import consent
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db
from trainhub.training import attendance, by_hand, calendars, checkin, loaders
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


# --- QR check-in -------------------------------------------------------------------------

def _qr(link: str) -> Markup:
    import segno

    title = gettext("QR code to check in to this session")
    # segno escapes the title; the rest is its own markup, with no user text in it
    return Markup(segno.make(link, error="m").svg_inline(scale=5, title=title))  # noqa: S704


CHECKIN = "/batches/<int:batch_id>/sessions/<int:session_id>/checkin"


@bp.get(CHECKIN)
@policy.permission(RUN)
def checkin_page(batch_id: int, session_id: int) -> str:
    """Shown in the room: the QR while check-in is open, the check-ins and what to do."""
    session = loaders.session(batch_id, session_id, RUN)
    now = utcnow()
    link = (url_for("training.check_in", token=checkin.code_for(session, now), _external=True)
            if session.checkin_opened_at is not None else None)
    return render_template("training/checkin.html", batch=session.batch, session=session,
                           link=link, qr=_qr(link) if link else None,
                           rows=checkin.checkins(session), today=checkin.is_today(session, now),
                           minutes=checkin.CODE_MINUTES, redraw=checkin.REDRAW_SECONDS)


def _back(batch_id: int, session_id: int) -> ResponseReturnValue:
    return redirect(url_for("training.checkin_page", batch_id=batch_id, session_id=session_id))


@bp.post(CHECKIN + "/open")
@policy.permission(RUN)
def open_checkin(batch_id: int, session_id: int) -> ResponseReturnValue:
    session = loaders.session(batch_id, session_id, RUN)
    attempt(lambda: checkin.open_checkin(session, current_user, utcnow()),
            N_("Check-in is open: show this page in the room."))
    return _back(batch_id, session_id)


@bp.post(CHECKIN + "/close")
@policy.permission(RUN)
def close_checkin(batch_id: int, session_id: int) -> ResponseReturnValue:
    session = loaders.session(batch_id, session_id, RUN)
    attempt(lambda: checkin.close_checkin(session, current_user),
            N_("Check-in is turned off for this session; the codes shown no longer work."))
    return _back(batch_id, session_id)


@bp.post("/batches/<int:batch_id>/checkin/close")
@policy.permission(RUN)
def close_batch_checkin(batch_id: int) -> ResponseReturnValue:
    found = loaders.batch(batch_id, RUN)
    attempt(lambda: checkin.close_batch(found, current_user),
            N_("Check-in is turned off for every session of the batch."))
    return redirect(url_for("training.attendance_sheet", batch_id=batch_id))


@bp.post(CHECKIN + "/confirm")
@policy.permission(RUN)
def confirm_checkins(batch_id: int, session_id: int) -> ResponseReturnValue:
    session = loaders.session(batch_id, session_id, RUN)
    if done := attempt(lambda: checkin.confirm(session, current_user, utcnow())):
        flash(gettext("Check-ins confirmed: %(count)s, marked present where not yet marked.",
                      count=done.result), "success")
    return _back(batch_id, session_id)


@bp.route("/checkin/<token>", methods=["GET", "POST"])
@policy.permission("training.mine")
def check_in(token: str) -> ResponseReturnValue:
    """The QR's link, opened by a trainee signed in on their phone: the session shown, then
    a button to check in (a link alone, which previews and scanners open, changes
    nothing)."""
    now = utcnow()
    if request.method == "POST":
        try:
            checkin.check_in(token, current_user.person_id, now)
        except DomainError as error:
            db.session.commit()  # the audit row of the refused attempt, nothing else
            return _scan_page(None, translate(error.message, **error.params)), 400
        db.session.commit()
        flash(gettext("You are checked in. Staff will confirm it."), "success")
        return redirect(url_for("training.mine"))
    try:
        session = checkin.read_code(token, now)
    except DomainError as error:
        return _scan_page(None, translate(error.message)), 400
    return _scan_page(session, None, token)


def _scan_page(session: object, problem: str | None, token: str = "") -> str:
    return render_template("training/checkin_scan.html", session=session, problem=problem,
                           token=token)
