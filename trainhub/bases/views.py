"""Applications: institution staff prepare and submit; officers review, open the notice,
record objections and certify. Thin views: parse → load → authorise → service → respond."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import StringField
from wtforms.validators import Optional

from trainhub.bases import certification, loaders, rules, services
from trainhub.bases.display import APPLICATION_STATUS_LABELS, DECISION_LABELS
from trainhub.bases.forms import (
    ApplicationForm,
    EvidenceForm,
    ObjectionForm,
    PhotoForm,
    ResolveObjectionForm,
    ReviewForm,
)
from trainhub.bases.models import (
    ApplicationStatus,
    BaseApplication,
    BaseKind,
    Decision,
    Level,
    PublicNotice,
)
from trainhub.core import downloads, files, policy
from trainhub.core.errors import N_, DomainError, NotFound
from trainhub.core.forms import attempt, choose_files_again, validate_all
from trainhub.core.organisations import Institution
from trainhub.core.parameters import service as parameters
from trainhub.core.regions import region_names
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

bp = Blueprint("bases", __name__, url_prefix="/bases")


def _criteria_form(kind: BaseKind, region_code: str, formdata: Any = None,
                   answers: dict[str, str] | None = None) -> tuple[ApplicationForm, list[dict]]:
    criteria, _ = services.criteria_for(kind, local_today(), region_code)

    class Form(ApplicationForm):
        pass

    for criterion in criteria:
        setattr(Form, f"answer_{criterion['code']}", StringField(
            criterion["question"], validators=[Optional()],
            description=criterion.get("unit", "")))
    form = Form(formdata=formdata) if formdata is not None else Form()
    for criterion in criteria:
        field = getattr(form, f"answer_{criterion['code']}")
        if answers and formdata is None:  # what was posted is shown as posted
            field.data = answers.get(criterion["code"], "")
    return form, criteria


def _check(form: ApplicationForm, criteria: list[dict]) -> None:
    """The service's rules on what the form gave (every problem at once)."""
    services.check_application(
        tuple(form.specialties.data or ()),
        {c["code"]: getattr(form, f"answer_{c['code']}").data or "" for c in criteria},
        criteria)


def _input(form: ApplicationForm, criteria: list[dict]) -> services.ApplicationInput:
    return services.ApplicationInput(
        kind=BaseKind(form.kind.data), level_sought=Level(form.level_sought.data),
        specialties=tuple(form.specialties.data or ()),
        answers={c["code"]: getattr(form, f"answer_{c['code']}").data or "" for c in criteria},
    )


@bp.get("/applications")
@policy.permission("bases.view")
def applications() -> str:
    stmt = loaders.visible_applications(current_user)
    # ?status= narrows the list (the home page's counts link here filtered); unknown: all
    status = request.args.get("status", "")
    if status in APPLICATION_STATUS_LABELS:
        stmt = stmt.where(BaseApplication.status == status)
    rows = db.session.scalars(stmt.order_by(BaseApplication.id.desc()).limit(500)).all()
    level = rules.officer_level(current_user)
    waiting = [a for a in rows if policy.may(current_user, "bases.review", a)
               or (a.status == ApplicationStatus.NOTICE
                   and policy.may(current_user, "bases.certify", a))]
    return render_template("bases/applications.html", rows=rows, waiting=waiting, level=level,
                           names=region_names(), status_labels=APPLICATION_STATUS_LABELS,
                           status=status if status in APPLICATION_STATUS_LABELS else "")


@bp.route("/applications/new", methods=["GET", "POST"])
@policy.permission("bases.apply")
def new_application() -> ResponseReturnValue:
    institution = db.session.get(Institution, current_user.institution_id)
    if institution is None:
        raise NotFound(loaders.NOT_FOUND)
    kind = BaseKind(request.values.get("kind", "training")
                    if request.values.get("kind") in set(BaseKind) else "training")
    form, criteria = _criteria_form(kind, institution.region_code)
    form.kind.data = kind.value
    if request.method == "POST" and validate_all(form, lambda: _check(form, criteria)):
        created = attempt(
            lambda: services.create_application(institution, _input(form, criteria),
                                                current_user, local_today()),
            N_("The application has been saved as a draft. Attach the evidence files, then "
               "submit it."), form=form)
        if created:
            return redirect(url_for("bases.application", application_id=created.result.id))
    status = 400 if request.method == "POST" else 200
    return render_template("bases/application_form.html", form=form, criteria=criteria,
                           application=None, kind=kind), status


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@policy.permission("bases.apply")
def edit_application(application_id: int) -> ResponseReturnValue:
    found = loaders.application(application_id, "bases.apply")
    kind = BaseKind(found.kind)
    formdata = request.form if request.method == "POST" else None
    form, criteria = _criteria_form(kind, found.region_code, formdata, found.answers)
    if request.method == "GET":
        form.kind.data, form.level_sought.data = found.kind, found.level_sought
        form.specialties.data = list(found.specialties)
    if request.method == "POST" and validate_all(form, lambda: _check(form, criteria)) and attempt(
            lambda: services.update_application(found, _input(form, criteria), local_today()),
            N_("The application has been updated."), form=form):
        return redirect(url_for("bases.application", application_id=found.id))
    status = 400 if request.method == "POST" else 200
    return render_template("bases/application_form.html", form=form, criteria=criteria,
                           application=found, kind=kind), status


@bp.get("/applications/<int:application_id>")
@policy.permission("bases.view")
def application(application_id: int) -> str:
    return _page(loaders.application(application_id, "bases.view"))


def _page(found: BaseApplication, *, photo: tuple[int, PhotoForm] | None = None,
          resolving: tuple[int, ResolveObjectionForm] | None = None, **forms: Any) -> str:
    """The application's page; a form refused on a POST is passed in `forms` and shown
    again as sent, with its errors, in place of an empty one; so is the form of one review
    (`photo`) or one objection (`resolving`), as (its id, the form), in its own row."""
    today = local_today()
    criteria: list[dict] = []
    if found.criteria_value_id:
        criteria = parameters.value_by_id(found.criteria_value_id)  # type: ignore[assignment]
    may = {action: policy.may(current_user, action, found)
           for action in ("bases.apply", "bases.review", "bases.certify")}
    photo_forms = {r.id: PhotoForm(prefix=f"review{r.id}") for r in found.reviews
                   if policy.may(current_user, "bases.inspection_photos", r)}
    resolve_forms = {o.id: _resolve_form(o.id) for o in
                     (found.notice.objections if found.notice else []) if not o.resolved_at}
    posted = None  # a row's form: its errors are summed up at the top of the page
    if photo:
        photo_forms[photo[0]] = posted = photo[1]
    if resolving:
        resolve_forms[resolving[0]] = posted = resolving[1]
    shown = {"evidence_form": EvidenceForm, "review_form": ReviewForm,
             "objection_form": ObjectionForm}
    return render_template(
        "bases/application.html", application=found, criteria=criteria, may=may, today=today,
        **{name: forms.get(name) or make() for name, make in shown.items()},
        photo_forms=photo_forms, resolve_forms=resolve_forms, posted=posted,
        names=region_names(),
        status_labels=APPLICATION_STATUS_LABELS, decision_labels=DECISION_LABELS,
        open_objections=services.open_objections(found.notice) if found.notice else [],
        max_mb=_max_mb(found),
    )


def _resolve_form(objection_id: int) -> ResolveObjectionForm:
    """One open objection's form: its fields are told apart from another's by the prefix."""
    return ResolveObjectionForm(prefix=f"objection{objection_id}")


def _max_mb(found: BaseApplication) -> int:
    return parameters.int_value("bases.evidence_max_mb", local_today(), found.region_code)


def _back(found: BaseApplication) -> ResponseReturnValue:
    return redirect(url_for("bases.application", application_id=found.id))


@bp.post("/applications/<int:application_id>/evidence")
@policy.permission("bases.apply")
def upload_evidence(application_id: int) -> ResponseReturnValue:
    found = loaders.application(application_id, "bases.apply")
    form = EvidenceForm()
    if not form.validate_on_submit() or not _store(
            found, form, form.file.data,
            lambda stored: services.add_evidence(found, stored, current_user)):
        return _page(found, evidence_form=choose_files_again(form)), 400
    return _back(found)


def _store(found: BaseApplication, form: Any, upload: Any,
           attach: Callable[[files.StoredUpload], object]) -> bool:
    """Store the upload and attach it; a refusal is shown on `form`. True when done."""
    kept: list[files.StoredUpload] = []

    def store() -> files.StoredUpload:
        kept.append(files.store_upload(upload.stream, upload.filename or "",
                                       max_bytes=_max_mb(found) * 1024 * 1024))
        attach(kept[-1])
        return kept[-1]

    if stored := attempt(store, form=form, undo=lambda: _discard(kept)):
        flash(gettext("The file %(name)s has been attached.",
                      name=stored.result.original_name), "success")
        return True
    return False


def _discard(stored: list[files.StoredUpload]) -> None:
    for upload in stored:
        files.discard(upload.storage_key)


@bp.post("/applications/<int:application_id>/reviews/<int:review_id>/photos")
@policy.permission("bases.inspection_photos")
def add_review_photo(application_id: int, review_id: int) -> ResponseReturnValue:
    step = loaders.review(application_id, review_id, "bases.inspection_photos")
    form = PhotoForm(prefix=f"review{step.id}")
    if not form.validate_on_submit() or not _store(
            step.application, form, form.photo.data,
            lambda stored: services.add_inspection_photo(step, stored, current_user)):
        return _page(step.application, photo=(step.id, choose_files_again(form))), 400
    return _back(step.application)


@bp.post("/applications/<int:application_id>/evidence/<int:file_id>/delete")
@policy.permission("bases.apply")
def delete_evidence(application_id: int, file_id: int) -> ResponseReturnValue:
    found = loaders.application(application_id, "bases.apply")
    evidence = loaders.evidence(file_id)
    if evidence.application_id != found.id:
        raise DomainError("The file does not belong to this application.")
    key = evidence.storage_key
    if attempt(lambda: services.remove_evidence(evidence)):
        files.discard(key)  # only once the row is gone for good
    return _back(found)


@bp.get("/evidence/<int:file_id>")
@policy.permission("bases.view")
@downloads.document("base_evidence", "file_id", _l("Evidence file"))
def download_evidence(file_id: int) -> ResponseReturnValue:
    evidence = loaders.evidence(file_id)
    return files.send_stored(evidence.storage_key, evidence.original_name,
                             evidence.content_type)


def _act(application_id: int, action: str, operation: Any, success: str) -> ResponseReturnValue:
    found = loaders.application(application_id, action)
    attempt(lambda: operation(found), success)
    return _back(found)


@bp.post("/applications/<int:application_id>/submit")
@policy.permission("bases.apply")
def submit(application_id: int) -> ResponseReturnValue:
    return _act(application_id, "bases.apply", services.submit,
                N_("The application has been sent to the county federation for review."))


@bp.post("/applications/<int:application_id>/withdraw")
@policy.permission("bases.apply")
def withdraw(application_id: int) -> ResponseReturnValue:
    return _act(application_id, "bases.apply", services.withdraw,
                N_("The application has been withdrawn."))


@bp.post("/applications/<int:application_id>/review")
@policy.permission("bases.review")
def review(application_id: int) -> ResponseReturnValue:
    found = loaders.application(application_id, "bases.review")
    form = ReviewForm()
    if not form.validate_on_submit():
        return _page(found, review_form=choose_files_again(form)), 400
    data = services.ReviewInput(
        decision=Decision(form.decision.data), comments=form.comments.data or "",
        inspected_on=form.inspected_on.data, inspectors=form.inspectors.data or "",
        findings=form.findings.data or "")
    level = rules.officer_level(current_user)
    assert level is not None  # the policy checked it
    stored: list[files.StoredUpload] = []

    def decide() -> None:
        step = services.review(found, data, current_user, local_today(), level)
        # Sniffed as any evidence type, so that a PDF is told it is not a photo (the
        # service's message) rather than that it is not a PDF, JPEG or PNG.
        for photo in [p for p in form.photos.data or [] if p and p.filename]:
            stored.append(files.store_upload(photo.stream, photo.filename or "",
                                             max_bytes=_max_mb(found) * 1024 * 1024))
            services.add_inspection_photo(step, stored[-1], current_user)

    if not attempt(decide, N_("Your decision has been recorded."), form=form,
                   undo=lambda: _discard(stored)):
        return _page(found, review_form=choose_files_again(form)), 400
    return _back(found)


@bp.post("/applications/<int:application_id>/objections")
@policy.permission("bases.certify")
def record_objection(application_id: int) -> ResponseReturnValue:
    found = loaders.application(application_id, "bases.certify")
    form = ObjectionForm()
    if found.notice is None:
        flash(gettext("Give the date received and the objection."), "error")
        return _back(found)
    notice = found.notice
    if not validate_all(form, lambda: services.check_objection(
            notice, form.received_on.data, form.content.data or "", local_today())) \
            or not attempt(
            lambda: services.record_objection(notice, form.received_on.data,
                                              form.raised_by.data or "",
                                              form.content.data or "", current_user,
                                              local_today()),
            N_("The objection has been recorded. Resolve it before certifying."), form=form):
        return _page(found, objection_form=form), 400
    return _back(found)


@bp.post("/objections/<int:objection_id>/resolve")
@policy.permission("bases.certify")
def resolve_objection(objection_id: int) -> ResponseReturnValue:
    objection = loaders.objection(objection_id)
    found = objection.notice.application
    form = _resolve_form(objection.id)
    if not form.validate_on_submit() or not attempt(
            lambda: services.resolve_objection(objection, bool(form.upheld.data),
                                               form.resolution.data or "", current_user),
            N_("The objection has been resolved."), form=form):
        return _page(found, resolving=(objection.id, form)), 400
    return _back(found)


@bp.post("/applications/<int:application_id>/certify")
@policy.permission("bases.certify")
def certify(application_id: int) -> ResponseReturnValue:
    found = loaders.application(application_id, "bases.certify")
    certified = attempt(lambda: certification.certify(found, current_user, local_today()))
    if not certified:
        return _back(found)
    base = certified.result
    flash(gettext("Certified: %(number)s.", number=base.certificate_number), "success")
    return redirect(url_for("bases.base", base_id=base.id))


@bp.get("/notices")
@policy.public
def notices() -> str:
    """公示: the public list of applications under notice, open to everyone."""
    today = local_today()
    rows = db.session.scalars(
        select(PublicNotice).join(PublicNotice.application)
        .where(BaseApplication.status == ApplicationStatus.NOTICE.value)
        .options(selectinload(PublicNotice.application)
                 .selectinload(BaseApplication.institution))
        .order_by(PublicNotice.ends_on)).all()
    return render_template("bases/notices.html", rows=rows, today=today, names=region_names())
