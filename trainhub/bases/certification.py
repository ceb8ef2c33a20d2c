"""Certification: a gap-free certificate number per kind and year, the certified facts
frozen in the verification registry, and the PDF certificate with its QR code."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import force_locale, gettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from trainhub.bases import notifications
from trainhub.bases.display import LEVEL_LABELS, specialty_names
from trainhub.bases.models import (
    ApplicationStatus,
    Base,
    BaseApplication,
    BaseKind,
    BaseStatus,
    CertificateSequence,
    Level,
)
from trainhub.bases.services import open_objections, transition
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.documents import service as documents
from trainhub.core.documents.pdf import render_certificate
from trainhub.core.errors import N_, Conflict, DomainError, NotFound
from trainhub.core.parameters import service as parameters
from trainhub.core.regions import region_path
from trainhub.extensions import db

NUMBER_PREFIX = {BaseKind.TRAINING: "赣残培基", BaseKind.INCUBATOR: "赣残孵基"}
CERTIFICATE_TITLE = {
    BaseKind.TRAINING: N_("Certificate of Vocational Training Base for People with Disabilities"),
    BaseKind.INCUBATOR: N_("Certificate of Entrepreneurship Incubation Base for People with "
                           "Disabilities"),
}
KIND_MSGID = {BaseKind.TRAINING: N_("Vocational training base for people with disabilities"),
              BaseKind.INCUBATOR: N_("Entrepreneurship incubation base for people with "
                                     "disabilities")}


# The certifying federation's region: the county itself, its city, or the province
# (GB/T 2260 codes nest by prefix: 360102 ⊂ 3601 ⊂ 36).
LEVEL_REGION_LENGTH = {Level.COUNTY: 6, Level.CITY: 4, Level.PROVINCE: 2}


def issuer_name(level: str, region_code: str) -> str:
    """The federation of the certifying level, in whose name the certificate is issued:
    南昌市东湖区残疾人联合会 for a county-level base of 东湖区, 南昌市残疾人联合会 for a
    city-level one, 江西省残疾人联合会 for a provincial one. Frozen in Chinese."""
    code = region_code[:LEVEL_REGION_LENGTH[Level(level)]]
    with force_locale("zh_Hans_CN"):
        return gettext(N_("%(region)s Disabled Persons' Federation"),
                       region=region_path(code).replace(" ", ""))


def certificate_number(kind: BaseKind, year: int, sequence: int) -> str:
    """赣残培基〔2024〕第0012号"""
    return f"{NUMBER_PREFIX[kind]}〔{year}〕第{sequence:04d}号"


def next_sequence(kind: BaseKind, year: int) -> int:
    """Take the next number in this transaction. The row update locks the counter, so two
    officers certifying at once get consecutive numbers; a rollback gives the number back."""
    stmt = (update(CertificateSequence)
            .where(CertificateSequence.kind == kind.value, CertificateSequence.year == year)
            .values(last_number=CertificateSequence.last_number + 1)
            .returning(CertificateSequence.last_number))
    number = db.session.execute(stmt).scalar()
    if number is not None:
        return int(number)
    try:
        with db.session.begin_nested():
            db.session.add(CertificateSequence(kind=kind.value, year=year, last_number=1))
        return 1
    except IntegrityError:  # another transaction created the counter first
        return int(db.session.execute(stmt).scalar_one())


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def certify(application: BaseApplication, by: User, today: date) -> Base:
    notice = application.notice
    if application.status != ApplicationStatus.NOTICE or notice is None:
        raise Conflict(N_("Only an application under public notice can be certified."))
    if today <= notice.ends_on:
        raise DomainError(N_("The public notice runs until %(date)s; certify after it ends."),
                          date=notice.ends_on)
    if open_objections(notice):
        raise DomainError(N_("Resolve every objection before certifying."))
    transition(application, (ApplicationStatus.NOTICE,), ApplicationStatus.CERTIFIED, None)
    kind = BaseKind(application.kind)
    sequence = next_sequence(kind, today.year)
    years = parameters.int_value("bases.validity_years", today, application.region_code)
    base = Base(
        institution_id=application.institution_id, application_id=application.id,
        kind=kind.value, level=application.level_sought, region_code=application.region_code,
        specialties=list(application.specialties), year=today.year, sequence=sequence,
        certificate_number=certificate_number(kind, today.year, sequence),
        valid_from=today, valid_until=add_years(today, years) - timedelta(days=1),
        certified_by_id=by.id, verification_code="",
    )
    base.verification_code = documents.issue(
        "base_certificate", certified_facts(base, application), region_code=base.region_code,
        document_number=base.certificate_number, valid_from=base.valid_from,
        valid_until=base.valid_until, issuer=issuer_name(base.level, base.region_code),
    ).code
    application.decided_at = base.certified_at
    db.session.add(base)
    db.session.flush()
    _supersede(application, base)
    record("base.certify", object_type="base", object_id=base.id, region_code=base.region_code,
           details={"certificate_number": base.certificate_number,
                    "valid_until": base.valid_until.isoformat()})
    notifications.tell_institution(application, "base.certified", base.valid_until)
    return base


def certified_facts(base: Base, application: BaseApplication) -> list[list[str]]:
    """The frozen copy shown on the verification page: labels are msgids translated for
    the reader; values are frozen in Chinese, the certificate's language."""
    with force_locale("zh_Hans_CN"):
        return [
            [N_("Institution"), application.institution.name],
            [N_("Unified social credit code"), application.institution.credit_code],
            [N_("Kind"), gettext(KIND_MSGID[BaseKind(base.kind)])],
            [N_("Level"), str(LEVEL_LABELS[base.level])],
            [N_("Region served"), region_path(base.region_code)],
            [N_("Specialties"), specialty_names(base.specialties)],
        ]


def _supersede(application: BaseApplication, new_base: Base) -> None:
    if application.renews_base_id is None:
        return
    old = db.session.get(Base, application.renews_base_id)
    if old is None or old.status == BaseStatus.SUPERSEDED:
        return
    old.status = BaseStatus.SUPERSEDED.value
    old.status_reason = new_base.certificate_number
    verification = documents.find(old.verification_code)
    if verification is not None:
        with force_locale("zh_Hans_CN"):  # frozen in the certificate's language
            reason = gettext(N_("Replaced by the renewed certificate %(number)s."),
                             number=new_base.certificate_number)
        documents.set_status(verification, "revoked", reason)
    record("base.supersede", object_type="base", object_id=old.id, region_code=old.region_code,
           details={"by": new_base.certificate_number})


def certificate_pdf(base: Base) -> bytes:
    """Rendered from the frozen facts of the registry, the same the QR code leads to."""
    verification = documents.find(base.verification_code)
    if verification is None:
        raise NotFound(N_("The page or record was not found, or it is outside your scope."))
    return render_certificate(verification, CERTIFICATE_TITLE[BaseKind(base.kind)])


def certificate_filename(base: Base) -> str:
    """ASCII, so every client keeps it as given."""
    return f"base-certificate-{base.year}-{base.sequence:04d}.pdf"


def bases_of(institution_id: int) -> list[Base]:
    return list(db.session.scalars(
        select(Base).where(Base.institution_id == institution_id).order_by(Base.id.desc())))
