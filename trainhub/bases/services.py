"""Applications for base certification and their review chain, county → city → province,
ending in a public notice (公示) with objections. Services flush and audit, never commit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import update

from trainhub.bases import notifications
from trainhub.bases.models import (
    LEVEL_ORDER,
    SPECIALTIES,
    ApplicationStatus,
    BaseApplication,
    BaseKind,
    Decision,
    EvidenceFile,
    Level,
    Objection,
    PublicNotice,
    Review,
)
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, Conflict, DomainError
from trainhub.core.files import PHOTO_TYPES, StoredUpload, UploadRejected
from trainhub.core.organisations import Institution
from trainhub.core.parameters import service as parameters
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db

CRITERIA_KEYS = {BaseKind.TRAINING: "bases.criteria.training_base",
                 BaseKind.INCUBATOR: "bases.criteria.incubator"}
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


@dataclass(frozen=True)
class ApplicationInput:
    kind: BaseKind
    level_sought: Level
    specialties: tuple[str, ...]
    answers: dict[str, str]


@dataclass(frozen=True)
class ReviewInput:
    decision: Decision
    comments: str
    inspected_on: date | None = None
    inspectors: str = ""
    findings: str = ""


def _audit(action: str, application: BaseApplication, **details: Any) -> None:
    record(action, object_type="base_application", object_id=application.id,
           region_code=application.region_code, details=details)


def criteria_for(kind: BaseKind, on: date, region_code: str) -> tuple[list[dict[str, Any]], int]:
    """The criteria questions in force, and the id of the parameter value that holds them."""
    source = parameters.value_with_source(CRITERIA_KEYS[kind], on, region_code)
    return list(source.value), source.parameter_value_id  # type: ignore[arg-type]


def _check_answer(criterion: dict[str, Any], raw: str) -> str:
    raw = (raw or "").strip()
    kind, question = criterion.get("kind", "text"), criterion["question"]
    if not raw:
        raise DomainError(N_("Answer the question “%(question)s”."), question=question)
    if kind == "boolean":
        if raw not in ("yes", "no"):
            raise DomainError(N_("Answer “%(question)s” with yes or no."), question=question)
        if criterion.get("min") == 1 and raw != "yes":
            raise DomainError(N_("“%(question)s” is a condition of certification: the answer "
                                 "must be yes."), question=question)
        return raw
    if kind == "number":
        try:
            number = Decimal(raw)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():  # "NaN" would fail the comparison below; "Infinity" too big
            raise DomainError(N_("“%(question)s” needs a number."), question=question)
        if number < Decimal(str(criterion.get("min") or 0)):
            raise DomainError(N_("“%(question)s” cannot be below %(min)s."),
                              question=question, min=criterion.get("min") or 0)
        if criterion.get("max") is not None and number > Decimal(str(criterion["max"])):
            raise DomainError(N_("“%(question)s” cannot be above %(max)s."),
                              question=question, max=criterion["max"])
        return str(number)
    return raw[:2000]


def validate(data: ApplicationInput, criteria: list[dict[str, Any]]) -> dict[str, str]:
    return check_application(data.specialties, data.answers, criteria)


def check_application(specialties: Sequence[str], answers: Mapping[str, str],
                      criteria: list[dict[str, Any]]) -> dict[str, str]:
    """The specialties and every criterion's answer, all problems raised together, each on
    its field (answer_<code>); the answers as stored when there are none."""
    checks = Checks()
    unknown = set(specialties) - set(SPECIALTIES)
    if not specialties or unknown:
        checks.add(N_("Choose at least one specialty from the list."), field="specialties")
    stored: dict[str, str] = {}
    for criterion in criteria:
        code = criterion["code"]
        try:
            stored[code] = _check_answer(criterion, answers.get(code, ""))
        except DomainError as error:
            checks.extend(error.on(f"answer_{code}"))
    checks.done()
    return stored


def create_application(institution: Institution, data: ApplicationInput, by: User,
                       today: date) -> BaseApplication:
    criteria, criteria_id = criteria_for(data.kind, today, institution.region_code)
    answers = validate(data, criteria)
    application = BaseApplication(
        institution_id=institution.id, kind=data.kind.value, level_sought=data.level_sought.value,
        specialties=list(data.specialties), region_code=institution.region_code,
        answers=answers, criteria_value_id=criteria_id, created_by_id=by.id,
    )
    db.session.add(application)
    db.session.flush()
    _audit("base_application.create", application, kind=data.kind.value,
           level=data.level_sought.value)
    return application


def update_application(application: BaseApplication, data: ApplicationInput,
                       today: date) -> None:
    _require_editable(application)
    criteria, criteria_id = criteria_for(data.kind, today, application.region_code)
    application.answers = validate(data, criteria)
    application.criteria_value_id = criteria_id
    application.kind = data.kind.value
    application.level_sought = data.level_sought.value
    application.specialties = list(data.specialties)
    _audit("base_application.update", application)


def _require_editable(application: BaseApplication) -> None:
    if application.status not in EDITABLE:
        raise Conflict(N_("This application can no longer be changed."))


def add_evidence(application: BaseApplication, upload: StoredUpload, by: User,
                 review: Review | None = None) -> EvidenceFile:
    if review is None:
        _require_editable(application)
    evidence = EvidenceFile(
        application_id=application.id, review_id=review.id if review else None,
        storage_key=upload.storage_key, original_name=upload.original_name,
        content_type=upload.content_type, size=upload.size, sha256=upload.sha256,
        uploaded_by_id=by.id,
    )
    db.session.add(evidence)
    db.session.flush()
    _audit("base_application.evidence_add", application, file=upload.original_name,
           sha256=upload.sha256, size=upload.size, **({"review": review.id} if review else {}))
    return evidence


def add_inspection_photo(review: Review, upload: StoredUpload, by: User) -> EvidenceFile:
    """A site-inspection photo, with the review or after it: photos taken on site often
    reach the office later than the decision."""
    if upload.content_type not in PHOTO_TYPES:
        raise UploadRejected(N_("An inspection photo must be a JPEG or PNG image."))
    return add_evidence(review.application, upload, by, review=review)


def remove_evidence(evidence: EvidenceFile) -> None:
    if evidence.review_id is not None:  # part of the officer's record, not the applicant's
        raise DomainError(N_("An inspection photo belongs to its review and cannot be "
                             "removed."))
    _require_editable(evidence.application)
    _audit("base_application.evidence_remove", evidence.application,
           file=evidence.original_name)
    db.session.delete(evidence)


def submit(application: BaseApplication) -> None:
    """Send to the county federation; a returned application goes back to the county too."""
    _require_editable(application)
    if not application.evidence:
        raise DomainError(N_("Attach at least one evidence file before submitting."))
    transition(application, EDITABLE, ApplicationStatus.IN_REVIEW, Level.COUNTY)
    application.submitted_at = utcnow()
    _audit("base_application.submit", application)


def transition(application: BaseApplication, from_states: tuple[ApplicationStatus, ...],
          to: ApplicationStatus, level: Level | None,
          expected_level: str | None = None) -> None:
    """Change state with a conditional UPDATE: a double click or a second officer acting
    at the same moment finds the row already moved and gets a clear error."""
    stmt = (update(BaseApplication)
            .where(BaseApplication.id == application.id,
                   BaseApplication.status.in_([s.value for s in from_states]))
            .values(status=to.value, current_level=level.value if level else None))
    if expected_level is not None:
        stmt = stmt.where(BaseApplication.current_level == expected_level)
    if db.session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(N_("This application has already been acted on. Reload the page."))
    db.session.refresh(application)


def review(application: BaseApplication, data: ReviewInput, by: User, today: date,
           level: Level) -> Review:
    checks = Checks()
    if data.decision != Decision.RECOMMEND and not data.comments.strip():
        checks.add(N_("Explain your decision in the comments."), field="comments")
    if data.inspected_on and data.inspected_on > today:
        checks.add(N_("A site inspection cannot be dated in the future."),
                   field="inspected_on")
    checks.done()
    final = LEVEL_ORDER.index(level) >= LEVEL_ORDER.index(Level(application.level_sought))
    if data.decision == Decision.RECOMMEND and final:
        transition(application, (ApplicationStatus.IN_REVIEW,), ApplicationStatus.NOTICE, None,
              expected_level=level.value)
        opened = _open_notice(application, by, today)
        notifications.tell_institution(application, "base.notice", opened.ends_on)
    elif data.decision == Decision.RECOMMEND:
        transition(application, (ApplicationStatus.IN_REVIEW,), ApplicationStatus.IN_REVIEW,
              LEVEL_ORDER[LEVEL_ORDER.index(level) + 1], expected_level=level.value)
    else:
        target = (ApplicationStatus.RETURNED if data.decision == Decision.RETURN
                  else ApplicationStatus.REJECTED)
        transition(application, (ApplicationStatus.IN_REVIEW,), target, None,
              expected_level=level.value)
        if target == ApplicationStatus.REJECTED:
            application.decided_at = utcnow()
    step = Review(application_id=application.id, level=level.value, reviewer_id=by.id,
                  decision=data.decision.value, comments=data.comments.strip(),
                  inspected_on=data.inspected_on, inspectors=data.inspectors.strip(),
                  findings=data.findings.strip())
    db.session.add(step)
    db.session.flush()
    _audit("base_application.review", application, level=level.value,
           decision=data.decision.value)
    if data.decision != Decision.RECOMMEND:  # the institution hears of its stage's end
        notifications.tell_institution(application, f"base.{application.status}")
    return step


def _open_notice(application: BaseApplication, by: User, today: date) -> PublicNotice:
    days = parameters.int_value("bases.notice_days", today, application.region_code)
    notice = PublicNotice(application_id=application.id, starts_on=today,
                          ends_on=today + timedelta(days=days), created_by_id=by.id)
    db.session.add(notice)
    db.session.flush()
    _audit("base_application.notice_open", application, ends_on=notice.ends_on.isoformat())
    return notice


def notice_of(application: BaseApplication) -> PublicNotice:
    """The notice objections are recorded against; it opens when the last level
    recommends."""
    if application.notice is None:
        raise Conflict(N_("This application has not reached its public notice."))
    return application.notice


def check_objection(notice: PublicNotice, received_on: date | None, content: str,
                    today: date) -> None:
    """The objection's rules, raised together, each on the objection form's field (a date
    not given is not compared: the form says so)."""
    checks = Checks()
    if not content.strip():
        checks.add(N_("Describe the objection."), field="content")
    if received_on is not None and (received_on < notice.starts_on
                                    or received_on > min(notice.ends_on, today)):
        checks.add(N_("An objection must be received during the notice period."),
                   field="received_on")
    checks.done()


def record_objection(notice: PublicNotice, received_on: date, raised_by: str, content: str,
                     by: User, today: date) -> Objection:
    if notice.application.status != ApplicationStatus.NOTICE:
        raise Conflict(N_("The public notice of this application is closed."))
    check_objection(notice, received_on, content, today)
    objection = Objection(notice_id=notice.id, received_on=received_on,
                          raised_by=raised_by.strip(), content=content.strip(),
                          recorded_by_id=by.id)
    db.session.add(objection)
    db.session.flush()
    _audit("base_application.objection", notice.application, objection=objection.id)
    return objection


def resolve_objection(objection: Objection, upheld: bool, resolution: str, by: User) -> None:
    """An upheld objection rejects the application; a dismissed one lets it proceed."""
    if objection.resolved_at is not None:
        raise Conflict(N_("This objection has already been resolved."))
    if not resolution.strip():
        raise DomainError(N_("Explain how the objection was resolved."))
    objection.resolution, objection.upheld = resolution.strip(), upheld
    objection.resolved_by_id, objection.resolved_at = by.id, utcnow()
    application = objection.notice.application
    if upheld:
        transition(application, (ApplicationStatus.NOTICE,), ApplicationStatus.REJECTED, None)
        application.decided_at = utcnow()
    _audit("base_application.objection_resolved", application, objection=objection.id,
           upheld=upheld)


def open_objections(notice: PublicNotice) -> list[Objection]:
    return [o for o in notice.objections if o.resolved_at is None]


def withdraw(application: BaseApplication) -> None:
    transition(application, (*EDITABLE, ApplicationStatus.IN_REVIEW), ApplicationStatus.WITHDRAWN,
          None)
    _audit("base_application.withdraw", application)
