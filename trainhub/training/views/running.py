"""Running a batch: the roster and admission, attendance, results and the completion
certificate, employment follow-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from trainhub.core import confirm, downloads, policy
from trainhub.core.accounts.models import Role
from trainhub.core.confirm import Confirmation
from trainhub.core.documents import service as documents
from trainhub.core.documents.pdf import render_certificate
from trainhub.core.errors import N_, NotFound
from trainhub.core.forms import ReasonForm, attempt, form_problems
from trainhub.core.people.forms import UnmaskForm
from trainhub.core.people.models import Person
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db
from trainhub.training import accounts, attendance, completion, enrolment, followup, loaders
from trainhub.training.catalog import EnrolmentStatus
from trainhub.training.display import ENROLMENT_STATUS_LABELS
from trainhub.training.forms import DeclineForm, FollowUpForm, ImportForm, ResultForm, fen
from trainhub.training.models import Batch, Enrolment
from trainhub.training.views import bp


@bp.get("/batches/<int:batch_id>/roster")
@policy.permission("training.batches.view")
def roster(batch_id: int) -> str:
    return roster_page(loaders.batch(batch_id, "training.batches.view"))


def roster_page(found: Batch, *, declining: tuple[int, DeclineForm] | None = None,
                import_form: ImportForm | None = None,
                export_form: UnmaskForm | None = None) -> str:
    """The roster; a form refused on a POST comes back as sent with its errors: a decline
    in its applicant's row (summed up at the top), the upload of a filled template, the
    purpose of a full export."""
    # each row shows its result: the completions in one query, not one per row
    # of a trainee's encrypted numbers the roster shows the ID number (masked) alone: the
    # certificate number and the phone are not decrypted for every row (issue 13)
    rows = db.session.scalars(loaders.enrolments_of(found).options(
        selectinload(Enrolment.completion),
        selectinload(Enrolment.person).defer(Person.cert_number, raiseload=True)
        .defer(Person.phone, raiseload=True))).all()
    waiting = [e for e in rows if e.status == EnrolmentStatus.WAITING]
    may_run = policy.may(current_user, "training.batches.run", found)
    return render_template(
        "training/roster.html", batch=found, rows=rows,
        decline_form=DeclineForm(formdata=None), declining=declining,
        import_form=import_form or ImportForm(formdata=None),
        export_form=export_form or UnmaskForm(formdata=None), may_run=may_run,
        without_account=accounts.people_without_account(rows) if may_run else set(),
        waiting_order={e.id: n for n, e in enumerate(waiting, start=1)},
        unmet={e.id: enrolment.unmet_needs(found, e.person) for e in rows},
        status_labels=ENROLMENT_STATUS_LABELS)


def _decide(enrolment_id: int, operation: Callable[[Enrolment], Any],
            success: str) -> ResponseReturnValue:
    found = loaders.enrolment(enrolment_id, "training.batches.run")
    attempt(lambda: operation(found), success, name=found.person.name)
    return redirect(url_for("training.roster", batch_id=found.batch_id))


@bp.post("/enrolments/<int:enrolment_id>/admit")
@policy.permission("training.batches.run")
def admit(enrolment_id: int) -> ResponseReturnValue:
    return _decide(enrolment_id, lambda e: enrolment.admit(e, current_user),
                   N_("%(name)s has been admitted."))


@bp.post("/enrolments/<int:enrolment_id>/wait")
@policy.permission("training.batches.run")
def put_on_waiting_list(enrolment_id: int) -> ResponseReturnValue:
    return _decide(enrolment_id, lambda e: enrolment.put_on_waiting_list(e, current_user),
                   N_("%(name)s is on the waiting list."))


@bp.post("/enrolments/<int:enrolment_id>/decline")
@policy.permission("training.batches.run")
def decline(enrolment_id: int) -> ResponseReturnValue:
    found = loaders.enrolment(enrolment_id, "training.batches.run")
    form = DeclineForm()
    if form.validate_on_submit() and attempt(
            lambda: enrolment.decline(found, current_user, form.note.data or ""),
            N_("The application of %(name)s has been declined."), form=form,
            name=found.person.name):
        return redirect(url_for("training.roster", batch_id=found.batch_id))
    return roster_page(found.batch, declining=(found.id, form)), 400


@bp.post("/enrolments/<int:enrolment_id>/withdraw")
@policy.permission("training.batches.run")
def withdraw(enrolment_id: int) -> ResponseReturnValue:
    """Remove (移出) a trainee from the batch: confirmed, with a required reason that the
    trainee reads on their applications page."""
    found = loaders.enrolment(enrolment_id, "training.batches.run")
    form = ReasonForm()
    if not confirm.confirmed():
        return confirm.ask(_ask_removal(found, ReasonForm(formdata=None)))
    if not form.validate_on_submit():
        return confirm.ask(_ask_removal(found, form), 400)
    if attempt(lambda: enrolment.remove(found, current_user, form.reason.data or ""),
               N_("%(name)s has been removed from the batch."), form=form,
               name=found.person.name):
        return redirect(url_for("training.roster", batch_id=found.batch_id))
    return confirm.ask(_ask_removal(found, form), 400)


def _ask_removal(found: Enrolment, form: ReasonForm) -> Confirmation:
    form.reason.label.text = gettext("Reason, shown to the trainee")
    return Confirmation(
        heading=gettext("Remove %(name)s from the batch?", name=found.person.name),
        effects=[gettext("%(name)s leaves “%(batch)s”; a seat they hold goes to the first "
                         "person on the waiting list.", name=found.person.name,
                         batch=found.batch.title),
                 gettext("The trainee reads the reason on their applications page."),
                 gettext("The removal and its reason are recorded in the audit log.")],
        facts=[(gettext("Trainee"), found.person.name),
               (gettext("Batch"), found.batch.title),
               (gettext("Application"), str(ENROLMENT_STATUS_LABELS[found.status]))],
        form=form, confirm_label=gettext("Confirm: remove from the batch"),
        back=url_for("training.roster", batch_id=found.batch_id))


# --- attendance ------------------------------------------------------------------------

@bp.get("/batches/<int:batch_id>/attendance")
@policy.permission("training.batches.view")
def attendance_sheet(batch_id: int) -> str:
    return attendance_page(loaders.batch(batch_id, "training.batches.view"))


def attendance_page(found: Batch, export_form: UnmaskForm | None = None) -> str:
    """The attendance sheet; the purpose of a full export refused on a POST comes back as
    typed, with its error."""
    admitted = db.session.scalars(loaders.enrolments_of(found).where(
        Enrolment.status == EnrolmentStatus.ADMITTED.value)).all()
    return render_template("training/attendance.html", batch=found,
                           sheet=attendance.sheet(found, admitted, utcnow()), now=utcnow(),
                           may_run=policy.may(current_user, "training.batches.run", found),
                           export_form=export_form or UnmaskForm(formdata=None))


@bp.route("/batches/<int:batch_id>/sessions/<int:session_id>/attendance",
          methods=["GET", "POST"])
@policy.permission("training.batches.run")
def mark_attendance(batch_id: int, session_id: int) -> ResponseReturnValue:
    session = loaders.session(batch_id, session_id, "training.batches.run")
    found = session.batch
    admitted = db.session.scalars(loaders.enrolments_of(found).where(
        Enrolment.status == EnrolmentStatus.ADMITTED.value)).all()
    grid = attendance.sheet(found, admitted, utcnow())
    marks: dict[int, str] | None = None  # as posted: a refusal shows them as chosen
    if request.method == "POST":
        marks = {e.id: request.form.get(f"mark-{e.id}", "") for e in admitted}
        marks = {k: v for k, v in marks.items() if v}
        if marked := attempt(lambda: attendance.mark_session(session, marks or {},
                                                             current_user, utcnow())):
            created, corrected = marked.result
            flash(gettext("Attendance saved: %(created)s new marks, %(corrected)s corrections.",
                          created=created, corrected=corrected), "success")
            return redirect(url_for("training.attendance_sheet", batch_id=found.id))
    return render_template("training/mark.html", batch=found, session=session, sheet=grid,
                           posted=marks, now=utcnow()), 200 if marks is None else 400


# --- results and certificate -----------------------------------------------------------

@bp.route("/enrolments/<int:enrolment_id>/result", methods=["GET", "POST"])
@policy.permission("training.batches.run")
def result(enrolment_id: int) -> ResponseReturnValue:
    found = loaders.enrolment(enrolment_id, "training.batches.run")
    form = ResultForm(obj=found.completion if request.method == "GET" else None)
    if request.method == "GET" and found.completion is not None:
        form.passed.data = "yes" if found.completion.passed else "no"
    if request.method == "POST" and form.validate_on_submit():
        data = completion.ResultInput(
            passed=form.passed.data == "yes", assessed_on=form.assessed_on.data,
            certificate_type=form.certificate_type.data or None,
            certificate_level=form.certificate_level.data or None,
            certificate_number=(form.certificate_number.data or "").strip() or None,
            certificate_date=form.certificate_date.data)
        if attempt(lambda: completion.record_result(found, data, current_user, local_today(),
                                                    utcnow()),
                   N_("The result of %(name)s has been recorded."), form=form,
                   name=found.person.name):
            return redirect(url_for("training.roster", batch_id=found.batch_id))
    status = 400 if request.method == "POST" else 200
    return render_template("training/result.html", enrolment=found, form=form,
                           summary=attendance.summary_for(found)), status


def certificate_pdf(found: Enrolment) -> Response:
    code = found.completion.verification_code if found.completion else None
    verification = documents.find(code) if code else None
    if verification is None:
        raise NotFound(loaders.NOT_FOUND)
    pdf = render_certificate(verification, completion.CERTIFICATE_TITLE)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=completion-{found.id}.pdf")
    return response


@bp.get("/enrolments/<int:enrolment_id>/certificate.pdf")
@policy.permission("training.batches.view")
@downloads.document("training_certificate", "enrolment_id", _l("Training certificate"))
def certificate(enrolment_id: int) -> Response:
    return certificate_pdf(loaders.enrolment(enrolment_id, "training.batches.view"))


# --- employment follow-up --------------------------------------------------------------

@bp.route("/enrolments/<int:enrolment_id>/followup", methods=["GET", "POST"])
@policy.permission("training.followup.record")
def record_followup(enrolment_id: int) -> ResponseReturnValue:
    found = loaders.enrolment(enrolment_id, "training.followup.record")
    if found.completion is None:
        raise NotFound(loaders.NOT_FOUND)
    form = FollowUpForm(obj=found.followup if request.method == "GET" else None)
    demand = found.batch.demand
    if request.method == "POST" and form.validate_on_submit():
        hired_here = bool(form.hired_by_ordering_enterprise.data) and demand is not None
        data = followup.FollowUpInput(
            employed=form.employed.data == "yes", checked_on=form.checked_on.data,
            employer_name=form.employer_name.data or "",
            employment_form=form.employment_form.data or None,
            monthly_wage_fen=fen(form.monthly_wage.data) if form.monthly_wage.data is not None
            else None, enterprise_id=demand.enterprise_id if hired_here and demand else None)
        if attempt(lambda: followup.record_followup(found, data, current_user, local_today()),
                   N_("The follow-up of %(name)s has been recorded."), form=form,
                   name=found.person.name):
            return redirect(_after_followup(found))
    elif request.method == "POST":
        form.form_errors.append(form_problems(form))
    status = 400 if request.method == "POST" else 200
    return render_template("training/followup.html", enrolment=found, form=form,
                           due=followup.due_on(found, found.completion)), status


def _after_followup(found: Enrolment) -> str:
    """The enterprise goes back to its demand (it cannot see the batch's roster)."""
    if current_user.role == Role.ENTERPRISE_CONTACT and found.batch.demand_id:
        return url_for("training.demand", demand_id=found.batch.demand_id)
    return url_for("training.roster", batch_id=found.batch_id)


# Everyday work on a running batch (all present, one trainee by hand, QR check-in, the
# calendars) has its own module; imported here, so it registers its routes with these.
from trainhub.training.views import everyday  # noqa: E402,F401
