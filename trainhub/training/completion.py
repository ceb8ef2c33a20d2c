"""结业: the assessment result, the certificate obtained, and the completion certificate
(培训结业证书) registered for public verification like a base certificate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.documents import service as documents
from trainhub.core.errors import N_, Checks, Conflict, DomainError
from trainhub.core.i18n import local_date
from trainhub.core.idnumbers import mask_id
from trainhub.core.timeutil import to_local
from trainhub.extensions import db
from trainhub.training import catalog, signals
from trainhub.training.attendance import summary_for
from trainhub.training.catalog import BatchStatus, CertificateType, EnrolmentStatus
from trainhub.training.display import (
    CATEGORY_LABELS,
    CERTIFICATE_LEVEL_LABELS,
    CERTIFICATE_TYPE_LABELS,
    TRAINING_TYPE_LABELS,
    number,
)
from trainhub.training.models import Batch, Completion, Enrolment

DOCUMENT_KIND = "training_certificate"  # a kind core.documents names
CERTIFICATE_TITLE = N_("Certificate of Completion of Vocational Training")
RECORDABLE_BATCH = (BatchStatus.IN_PROGRESS, BatchStatus.COMPLETED)
# Numbers of the national certificates vary by issuer: letters, digits and dashes.
CERTIFICATE_NUMBER_RE = re.compile(r"[A-Za-z0-9-]{6,32}")


@dataclass(frozen=True)
class ResultInput:
    passed: bool
    assessed_on: date
    certificate_type: str | None = None
    certificate_level: str | None = None
    certificate_number: str | None = None
    certificate_date: date | None = None


def _check(batch: Batch, data: ResultInput, today: date) -> None:
    """Every rule the result breaks, raised together, each on the result form's field."""
    checks = Checks()
    if not batch.start_date <= data.assessed_on <= today:
        checks.add(N_("The assessment date must fall between the start of the batch and "
                      "today."), field="assessed_on")
    _check_certificate(checks, data, today)
    checks.done()


def _check_certificate(checks: Checks, data: ResultInput, today: date) -> None:
    if not data.certificate_type:
        if data.certificate_level or data.certificate_number or data.certificate_date:
            checks.add(N_("Choose the type of the certificate obtained."),
                       field="certificate_type")
        return
    if not data.passed:
        checks.add(N_("A trainee who failed the assessment obtains no certificate."),
                   field="certificate_type")
        return
    if data.certificate_type not in catalog.values(CertificateType):
        checks.add(N_("Choose the type of the certificate obtained."),
                   field="certificate_type")
    elif data.certificate_type in catalog.LEVELLED_TYPES:
        if data.certificate_level not in catalog.values(catalog.CertificateLevel):
            checks.add(N_("Choose the level of the certificate obtained."),
                       field="certificate_level")
    elif data.certificate_level:
        checks.add(N_("This kind of certificate has no level."), field="certificate_level")
    if not CERTIFICATE_NUMBER_RE.fullmatch(data.certificate_number or ""):
        checks.add(N_("Enter the certificate number (6 to 32 letters, digits or dashes)."),
                   field="certificate_number")
    if data.certificate_date is None or not data.assessed_on <= data.certificate_date <= today:
        checks.add(N_("The certificate date must fall between the assessment and today."),
                   field="certificate_date")


def record_result(enrolment: Enrolment, data: ResultInput, by: User, today: date,
                  now: datetime) -> Completion:
    """Record (or correct) a trainee's result. A correction revokes the completion
    certificate issued before and issues a new one."""
    batch = enrolment.batch
    if batch.status not in RECORDABLE_BATCH:
        raise Conflict(N_("Results are recorded when the batch has run."))
    end = batch.last_session_end
    if end is not None and now < end:
        raise DomainError(N_("Results are recorded after the last session."))
    if enrolment.status != EnrolmentStatus.ADMITTED:
        raise DomainError(N_("Results can be recorded only for admitted trainees."))
    _check(batch, data, today)
    completion = enrolment.completion
    corrected = completion is not None
    if completion is None:
        completion = Completion(enrolment_id=enrolment.id, recorded_by_id=by.id)
        enrolment.completion = completion
    elif completion.verification_code:
        _revoke(completion.verification_code)
    completion.passed, completion.assessed_on = data.passed, data.assessed_on
    completion.certificate_type = data.certificate_type or None
    completion.certificate_level = data.certificate_level or None
    completion.certificate_number = data.certificate_number or None
    completion.certificate_date = data.certificate_date
    completion.recorded_by_id, completion.recorded_at = by.id, now
    completion.verification_code = None
    db.session.add(completion)
    db.session.flush()
    if data.passed:
        completion.verification_code = documents.issue(
            DOCUMENT_KIND, completion_facts(enrolment, completion),
            region_code=batch.region_code, valid_from=data.assessed_on).code
    record("training_completion.correct" if corrected else "training_completion.record",
           object_type="training_enrolment", object_id=enrolment.id,
           region_code=batch.region_code,
           details={"batch": batch.id, "passed": data.passed,
                    "certificate_type": data.certificate_type or ""})
    signals.result_recorded.send(enrolment)
    return completion


def _revoke(code: str) -> None:
    verification = documents.find(code)
    if verification is not None and verification.status != "revoked":
        with force_locale("zh_Hans_CN"):
            reason = gettext(N_("Replaced by a corrected record."))
        documents.set_status(verification, "revoked", reason)


def completion_facts(enrolment: Enrolment, completion: Completion) -> list[list[str]]:
    """Frozen in Chinese, the certificate's language; the ID number is masked because the
    verification page is public."""
    batch, person = enrolment.batch, enrolment.person
    hours = summary_for(enrolment)
    with force_locale("zh_Hans_CN"):
        facts = [
            [N_("Name"), person.name],
            [N_("Resident ID"), mask_id(person.id_number)],
            [N_("Training institution"), batch.institution.name],
            [N_("Batch"), batch.title],
            [N_("Occupation"), batch.occupation],
            [N_("Category"), str(CATEGORY_LABELS[batch.category])],
            [N_("Training type"), str(TRAINING_TYPE_LABELS[batch.training_type])],
            [N_("Training period"), f"{local_date(batch.start_date)} – "
                                    f"{local_date(batch.end_date)}"],
            [N_("Hours attended"), gettext("%(attended)s of %(planned)s planned hours",
                                           attended=number(hours.attended_hours),
                                           planned=number(hours.planned_hours))],
            [N_("Assessment"), gettext("Passed")],
        ]
        if completion.certificate_type:
            facts.append([N_("Certificate obtained"), certificate_obtained(
                completion.certificate_type, completion.certificate_level)])
    return facts


def certificate_obtained(certificate_type: str, level: str | None) -> str:
    """The certificate a trainee obtained, as the completion certificate names it."""
    obtained = str(CERTIFICATE_TYPE_LABELS[certificate_type])
    if level:
        obtained += " " + str(CERTIFICATE_LEVEL_LABELS[level])
    return obtained


def trainees_without_result(batch: Batch) -> int:
    stmt = (select(func.count()).select_from(Enrolment)
            .outerjoin(Completion, Completion.enrolment_id == Enrolment.id)
            .where(Enrolment.batch_id == batch.id,
                   Enrolment.status == EnrolmentStatus.ADMITTED.value,
                   Completion.id.is_(None)))
    return int(db.session.scalar(stmt) or 0)


def local_end(batch: Batch) -> date | None:
    end = batch.last_session_end
    return to_local(end).date() if end else None
