"""A person's training in the timeline of their page (core.people.timeline): each
application with its batch, institution, status and attendance rate over the planned
hours, and each result with its certificate. One statement, the hours summed beside each
enrolment, however many there are."""

from __future__ import annotations

from decimal import Decimal

from flask import url_for
from sqlalchemy import case, false, func, select

from trainhub.core import policy
from trainhub.core.accounts.models import User
from trainhub.core.idnumbers import mask_id
from trainhub.core.organisations import Institution
from trainhub.core.people import timeline
from trainhub.core.people.models import Person
from trainhub.extensions import db
from trainhub.training.catalog import ATTENDED
from trainhub.training.models import Attendance, Batch, Completion, Enrolment, Session
from trainhub.training.rates import AttendanceSummary

APPLIED = "training/_timeline_applied.html"
RESULT = "training/_timeline_result.html"


@timeline.source
def lines(person: Person, viewer: User) -> list[timeline.Line]:
    planned = (select(func.coalesce(func.sum(Session.hours), 0))
               .where(Session.batch_id == Batch.id).scalar_subquery())
    attended = (select(func.coalesce(func.sum(Session.hours), 0))
                .select_from(Attendance).join(Session, Session.id == Attendance.session_id)
                .where(Attendance.enrolment_id == Enrolment.id,
                       Attendance.status.in_([s.value for s in ATTENDED]))
                .scalar_subquery())
    marked = (select(func.count()).select_from(Attendance)
              .where(Attendance.enrolment_id == Enrolment.id).scalar_subquery())
    own = timeline.is_self(person, viewer)
    opens = false() if own else policy.where(viewer, "training.batches.view", Batch)
    rows = db.session.execute(select(
        Enrolment.id, Enrolment.status, Enrolment.applied_at, Batch.id.label("batch_id"),
        Batch.title, Batch.start_date, Batch.end_date, Institution.name.label("institution"),
        planned.label("planned"), attended.label("attended"), marked.label("marked"),
        Completion.passed, Completion.certificate_type, Completion.certificate_level,
        Completion.certificate_number, Completion.certificate_date, Completion.recorded_at,
        case((opens, True), else_=False).label("opens"))
        .join(Batch, Batch.id == Enrolment.batch_id)
        .join(Institution, Institution.id == Batch.institution_id)
        .outerjoin(Completion, Completion.enrolment_id == Enrolment.id)
        .where(Enrolment.person_id == person.id)
        .order_by(Enrolment.applied_at.desc(), Enrolment.id.desc())
        .limit(timeline.LIMIT)).all()
    mine = url_for("training.mine") if own else None
    found = []
    for row in rows:
        href = mine or (url_for("training.batch", batch_id=row.batch_id) if row.opens
                        else None)
        rate = AttendanceSummary(Decimal(row.planned), Decimal(row.attended), int(row.marked))
        found.append(timeline.Line(row.applied_at, APPLIED, href, {
            "title": row.title, "institution": row.institution, "status": row.status,
            "start": row.start_date, "end": row.end_date,
            "rate": rate.percent if row.marked else None, "hours": rate.planned_hours}))
        if row.passed is not None:
            found.append(timeline.Line(row.recorded_at, RESULT, href, {
                "title": row.title, "passed": row.passed,
                "certificate_type": row.certificate_type,
                "certificate_level": row.certificate_level,
                "certificate_number": mask_id(row.certificate_number),
                "certificate_date": row.certificate_date}))
    return found

