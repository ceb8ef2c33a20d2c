"""劳动者点单 for trainees: the public catalogue of open batches, a batch's page, applying,
and "my training" (applications, enrolments, attendance rate, certificates)."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from trainhub.core import downloads, policy
from trainhub.core.errors import N_, DomainError, NotFound
from trainhub.core.forms import attempt, refuse
from trainhub.core.organisations import Institution
from trainhub.core.people.models import Person
from trainhub.core.privacy import consent
from trainhub.core.regions import Region, region_names
from trainhub.core.timeutil import local_today, utcnow
from trainhub.core.web import page_number
from trainhub.extensions import db
from trainhub.training import attendance, enrolment, invitations, loaders, search
from trainhub.training.catalog import BatchStatus, EnrolmentStatus
from trainhub.training.display import ENROLMENT_STATUS_LABELS
from trainhub.training.forms import CatalogueFilter, FamilyTieForm
from trainhub.training.models import Batch, Enrolment, Invitation
from trainhub.training.views import bp
from trainhub.training.views.running import certificate_pdf

PER_PAGE = 20


def _cities() -> list[tuple[str, str]]:
    rows = db.session.execute(select(Region.code, Region.name)
                              .where(func.length(Region.code) == 4).order_by(Region.code))
    return [SelectChoice(code, name) for code, name in rows]


def _filtered(form: CatalogueFilter) -> Select[int, list[str]]:
    """The ids and provisions of the enrolling batches the filter asks for, in the order
    listed."""
    stmt = (select(Batch.id, Batch.provisions)
            .where(Batch.status == BatchStatus.ENROLLING.value)
            .order_by(Batch.start_date, Batch.id))
    if form.category.data:
        stmt = stmt.where(Batch.category == form.category.data)
    if form.city.data:
        stmt = stmt.where(Batch.region_code.startswith(form.city.data))
    if form.starts_after.data:
        stmt = stmt.where(Batch.start_date >= form.starts_after.data)
    if form.starts_before.data:
        stmt = stmt.where(Batch.start_date <= form.starts_before.data)
    keyword = search.matches(form.keyword.data)
    if keyword is not None:
        stmt = stmt.join(Institution, Institution.id == Batch.institution_id).where(keyword)
    return stmt


def _page(form: CatalogueFilter, page: int) -> tuple[list[Batch], int]:
    """One page of the catalogue and how many batches match. The matches are read as ids
    and provisions (a JSON list, filtered here, portably); only the page's batches are read
    whole with their institution and sessions: a province enrolls hundreds of batches at a
    time, and reading them all with their sessions for 20 was the page's time."""
    provision = form.provision.data
    ids = [batch_id for batch_id, provisions in db.session.execute(_filtered(form))
           if not provision or provision in provisions]
    chosen = ids[(page - 1) * PER_PAGE: page * PER_PAGE]
    if not chosen:
        return [], len(ids)
    rows = db.session.scalars(
        select(Batch).where(Batch.id.in_(chosen)).order_by(Batch.start_date, Batch.id)
        .options(selectinload(Batch.institution), selectinload(Batch.sessions))).all()
    return list(rows), len(ids)


@bp.get("/courses")
@policy.public
def courses() -> str:
    form = CatalogueFilter(request.args)
    form.city.choices = [SelectChoice("", gettext("Any")), *_cities()]
    page = page_number(request.args)
    shown, total = _page(form, page) if form.validate() else ([], 0)
    return render_template("training/courses.html", form=form, rows=shown, total=total,
                           page=page, pages=max(1, -(-total // PER_PAGE)),
                           names=region_names(), query=request.args.to_dict())


@bp.get("/courses/<int:batch_id>")
@policy.public
def course(batch_id: int) -> str:
    return _course_page(loaders.published_batch(batch_id))


def _asks_family_tie(batch: Batch, person: Person | None) -> bool:
    """Someone without a certificate, in a batch open to family members, is asked how they
    are related to a person with disabilities."""
    return (person is not None and person.disability_category is None
            and batch.open_to_family_members)


def _course_page(found: Batch, family_form: FamilyTieForm | None = None) -> str:
    mine, person = None, None
    if current_user.is_authenticated and current_user.person_id:
        mine = db.session.scalar(select(Enrolment).where(
            Enrolment.batch_id == found.id, Enrolment.person_id == current_user.person_id))
        person = db.session.get(Person, current_user.person_id)
    asks_consent = person is not None and consent.current(person.id) is None
    if family_form is None and (_asks_family_tie(found, person) or asks_consent):
        family_form = FamilyTieForm(formdata=None)
    return render_template(
        "training/course.html", batch=found, names=region_names(), mine=mine,
        asks_family=_asks_family_tie(found, person), asks_consent=asks_consent,
        minor=person is not None and consent.is_minor(person.birth_date, local_today()),
        unmet=enrolment.unmet_needs(found, person) if person else [],
        may_apply=policy.may(current_user, "training.apply", found),
        position=enrolment.waiting_position(mine) if mine else None,
        family_form=family_form, status_labels=ENROLMENT_STATUS_LABELS)


@bp.post("/courses/<int:batch_id>/apply")
@policy.permission("training.apply")
def apply(batch_id: int) -> ResponseReturnValue:
    found = loaders.published_batch(batch_id)
    policy.require(current_user, "training.apply", found)
    person = db.session.get(Person, current_user.person_id)
    if person is None:
        raise NotFound(loaders.NOT_FOUND)
    form = FamilyTieForm()
    if not form.validate_on_submit():
        return _course_page(found, form), 400
    try:  # a family member's declared tie, checked before anything else
        family = enrolment.declared_tie(form.family_relation.data or "",
                                        form.relative_cert_number.data or "", person,
                                        local_today())
        consent.ensure(person, current_user, bool(form.consent.data),
                       guardian=consent.guardian_from(form.guardian_name.data,
                                                      form.guardian_relation.data))
    except DomainError as problems:
        refuse(problems, form)
        return _course_page(found, form), 400

    def applying() -> Enrolment:
        made = enrolment.apply(found, person, current_user, family=family)
        invitations.answered_by_application(found, person, current_user)
        return made

    applied = attempt(applying)
    if not applied:
        return redirect(url_for("training.course", batch_id=found.id))
    made = applied.result
    messages = {
        EnrolmentStatus.ADMITTED: gettext("You have a seat in this batch."),
        EnrolmentStatus.WAITING: gettext("The batch is full: you are on the waiting list and "
                                         "will be admitted automatically when a seat frees."),
        EnrolmentStatus.APPLIED: gettext("Your application has been sent; the institution "
                                         "will decide."),
    }
    flash(messages[EnrolmentStatus(made.status)], "success")
    for notice in enrolment.notices(made):
        flash(gettext(notice.msgid, **notice.params), "info")
    return redirect(url_for("training.mine"))


@bp.get("/mine")
@policy.permission("training.mine")
def mine() -> str:
    rows = db.session.scalars(
        select(Enrolment).where(Enrolment.person_id == current_user.person_id)
        .options(selectinload(Enrolment.batch).selectinload(Batch.sessions),
                 selectinload(Enrolment.batch).selectinload(Batch.institution),
                 selectinload(Enrolment.attendance), selectinload(Enrolment.completion))
        .order_by(Enrolment.applied_at.desc())).all()
    summaries = {e.id: attendance.summary_for(e, utcnow()) for e in rows}
    thresholds = {e.id: attendance.threshold(e.batch) for e in rows}
    asked = invitations.pending_for(current_user.person_id)
    return render_template("training/mine.html", rows=rows, summaries=summaries,
                           invitations=asked,
                           asks_consent=consent.current(current_user.person_id) is None,
                           invitation_unmet={i.id: enrolment.unmet_needs(i.batch, i.person)
                                             for i in asked},
                           thresholds=thresholds, today=local_today(),
                           positions={e.id: enrolment.waiting_position(e) for e in rows
                                      if e.status == EnrolmentStatus.WAITING},
                           status_labels=ENROLMENT_STATUS_LABELS)


def _invitation(invitation_id: int) -> Invitation:
    found = db.session.get(Invitation, invitation_id)
    if found is None or not policy.may(current_user, "training.mine", found):
        raise NotFound(loaders.NOT_FOUND)
    return found


def _accept(invitation: Invitation) -> Enrolment:
    """Confirming is the person's application: it needs their consent in force."""
    consent.ensure(invitation.person, current_user, ticked=False)
    return invitations.accept(invitation, current_user)


@bp.post("/mine/invitations/<int:invitation_id>/accept")
@policy.permission("training.mine")
def accept_invitation(invitation_id: int) -> ResponseReturnValue:
    found = _invitation(invitation_id)
    attempt(lambda: _accept(found),
            N_("You have applied for “%(title)s”."), title=found.batch.title)
    return redirect(url_for("training.mine"))


@bp.post("/mine/invitations/<int:invitation_id>/decline")
@policy.permission("training.mine")
def decline_invitation(invitation_id: int) -> ResponseReturnValue:
    found = _invitation(invitation_id)
    attempt(lambda: invitations.decline(found, current_user),
            N_("You have declined the invitation to “%(title)s”."), title=found.batch.title)
    return redirect(url_for("training.mine"))


@bp.post("/mine/<int:enrolment_id>/withdraw")
@policy.permission("training.mine")
def withdraw_mine(enrolment_id: int) -> ResponseReturnValue:
    found = loaders.enrolment(enrolment_id, "training.mine")
    attempt(lambda: enrolment.withdraw(found, current_user),
            N_("You have withdrawn from “%(title)s”."), title=found.batch.title)
    return redirect(url_for("training.mine"))


@bp.get("/mine/<int:enrolment_id>/certificate.pdf")
@policy.permission("training.mine")
@downloads.document("training_certificate", "enrolment_id", _l("Training certificate"))
def my_certificate(enrolment_id: int) -> Response:
    return certificate_pdf(loaders.enrolment(enrolment_id, "training.mine"))

