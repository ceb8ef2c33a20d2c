"""个人信息副本 (PIPL Art. 45): everything TrainHub holds about one person, for that person.

The numbers are in full (it is their own data). Built as plain JSON-ready dicts; the view
serialises it as JSON and the summary template renders the same dict in Chinese.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainhub.competitions.models import Entry, EntryMember, Event
from trainhub.core.audit.service import record
from trainhub.core.people.models import Person
from trainhub.core.privacy import consent
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.subsidies.models import Decision, Voucher
from trainhub.training.models import Attendance, Batch, Enrolment


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _person(person: Person) -> dict[str, Any]:
    return {"name": person.name, "sex": person.sex, "birth_date": _text(person.birth_date),
            "id_number": person.id_number, "cert_number": person.cert_number,
            "disability_category": person.disability_category,
            "disability_grade": person.disability_grade, "phone": person.phone,
            "household_region_code": person.household_region_code,
            "employment_status": person.employment_status,
            "accessibility_needs": person.accessibility_needs(),
            "created_at": _text(person.created_at), "updated_at": _text(person.updated_at)}


def _enrolment(e: Enrolment) -> dict[str, Any]:
    c = e.completion
    return {"batch": e.batch.title, "institution": e.batch.institution.name,
            "start_date": _text(e.batch.start_date), "end_date": _text(e.batch.end_date),
            "status": e.status, "source": e.source, "applied_at": _text(e.applied_at),
            "decided_at": _text(e.decided_at), "withdrawn_at": _text(e.withdrawn_at),
            "decision_note": e.decision_note, "family_relation": e.family_relation,
            "attendance": [_attendance(a) for a in sorted(
                e.attendance, key=lambda a: a.session.starts_at)],
            "result": None if c is None else {
                "passed": c.passed, "assessed_on": _text(c.assessed_on),
                "certificate_type": c.certificate_type,
                "certificate_level": c.certificate_level,
                "certificate_number": c.certificate_number,
                "certificate_date": _text(c.certificate_date)}}


def _attendance(a: Attendance) -> dict[str, Any]:
    return {"session_starts_at": _text(a.session.starts_at), "status": a.status}


def _enrolments(person_id: int) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Enrolment).where(Enrolment.person_id == person_id)
        .options(selectinload(Enrolment.batch).selectinload(Batch.institution),
                 selectinload(Enrolment.attendance).selectinload(Attendance.session),
                 selectinload(Enrolment.completion))
        .order_by(Enrolment.applied_at))
    return [_enrolment(e) for e in rows]


def _decisions(person_id: int) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Decision).where(Decision.person_id == person_id)
                              .options(selectinload(Decision.batch))
                              .order_by(Decision.computed_at, Decision.id))
    return [{"batch": d.batch.title, "kind": d.kind, "status": d.status,
             "eligible": d.eligible, "amount_yuan": f"{d.amount_fen / 100:.2f}",
             "payee": d.payee, "reasons": list(d.reasons),
             "decided_at": _text(d.decided_at)} for d in rows]


def _vouchers(person_id: int) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Voucher).where(Voucher.person_id == person_id)
                              .order_by(Voucher.issued_at, Voucher.id))
    return [{"code": v.code, "face_value_yuan": f"{v.face_value_fen / 100:.2f}",
             "status": v.status, "valid_from": _text(v.valid_from),
             "valid_until": _text(v.valid_until), "issued_at": _text(v.issued_at)}
            for v in rows]


def _entries(person_id: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Event.name, Entry.status, Entry.registered_at)
        .join(Entry, Entry.event_id == Event.id)
        .join(EntryMember, EntryMember.entry_id == Entry.id)
        .where(EntryMember.person_id == person_id).order_by(Entry.registered_at))
    return [{"event": name, "status": status, "registered_at": _text(at)}
            for name, status, at in rows]


def _consents(person_id: int) -> list[dict[str, Any]]:
    return [{"purpose": c.purpose, "notice_version": c.notice_version, "method": c.method,
             "given_at": _text(c.given_at), "withdrawn_at": _text(c.withdrawn_at),
             "guardian_name": c.guardian_name, "guardian_relation": c.guardian_relation}
            for c in consent.history(person_id)]


def build(person: Person) -> dict[str, Any]:
    """The whole copy; reading it is not audited here (see `record_download`)."""
    return {"generated_at": _text(utcnow()), "person": _person(person),
            "enrolments": _enrolments(person.id), "subsidy_decisions": _decisions(person.id),
            "vouchers": _vouchers(person.id), "competition_entries": _entries(person.id),
            "consents": _consents(person.id)}


def record_download(person: Person, form: str) -> None:
    record("privacy.copy_download", object_type="person", object_id=person.id,
           region_code=person.household_region_code, details={"format": form})
