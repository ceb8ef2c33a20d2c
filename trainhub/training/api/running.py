"""Running a batch under /api/v1: the attendance sheet and marking a session, results (结业)
and employment follow-up, and hired versus committed."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from trainhub.core import policy
from trainhub.core.api import SECURED
from trainhub.core.errors import N_, DomainError, NotFound
from trainhub.core.idnumbers import mask_id
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db
from trainhub.training import attendance, completion, followup, loaders
from trainhub.training.api import WRITE, Dumped, bp
from trainhub.training.api.inputs import FollowUpIn, MarksIn, ResultIn
from trainhub.training.api.outputs import (
    AttendanceSheetOut,
    FollowUpOut,
    FollowUpStatusOut,
    MarkingOut,
    OutcomesOut,
    ResultOut,
)
from trainhub.training.catalog import EnrolmentStatus
from trainhub.training.models import Enrolment

RUN, FOLLOW = "training.batches.run", "training.followup.record"

# --- attendance ----------------------------------------------------------------------------


def _trainee_line(grid: attendance.Sheet, enrolment: Enrolment) -> dict[str, Any]:
    summary = grid.summaries[enrolment.id]
    return {
        "enrolment_id": enrolment.id, "person_id": enrolment.person_id,
        "name": enrolment.person.name, "id_number_masked": mask_id(enrolment.person.id_number),
        "marks": [grid.marks[(enrolment.id, s.id)] for s in grid.sessions
                  if (enrolment.id, s.id) in grid.marks],
        "attended_hours": summary.attended_hours, "planned_hours": summary.planned_hours,
        "rate_percent": summary.percent, "sessions_marked": summary.sessions_marked,
        "flagged": grid.flagged(enrolment.id)}


@bp.get("/batches/<int:batch_id>/attendance")
@bp.output(AttendanceSheetOut)
@bp.doc(operation_id="getBatchAttendance",
        summary="The attendance sheet: per admitted trainee, the marks, attended and "
                "planned hours, the rate over the planned hours, and whether the "
                "threshold can no longer be reached", **SECURED)
@policy.permission("training.batches.view")
def attendance_sheet(batch_id: int) -> dict[str, Any]:
    found = loaders.batch(batch_id, "training.batches.view")
    admitted = db.session.scalars(loaders.enrolments_of(found).where(
        Enrolment.status == EnrolmentStatus.ADMITTED.value)).all()
    grid = attendance.sheet(found, admitted, utcnow())
    return {"batch_id": found.id, "planned_hours": found.planned_hours,
            "threshold_percent": grid.threshold, "sessions": grid.sessions,
            "trainees": [_trainee_line(grid, e) for e in grid.enrolments]}


@bp.put("/batches/<int:batch_id>/sessions/<int:session_id>/attendance")
@bp.input(MarksIn, location="json", arg_name="body")
@bp.output(MarkingOut)
@bp.doc(operation_id="recordSessionAttendance",
        summary="Mark a session that has begun: present, late, excused or absent per "
                "admitted trainee; a changed mark is a correction, audited", **WRITE)
@policy.permission(RUN)
def mark_session(batch_id: int, session_id: int, body: dict[str, Any]) -> dict[str, int]:
    session = loaders.session(batch_id, session_id, RUN)
    marks: dict[int, str] = {}
    for mark in body["marks"]:
        if mark["enrolment_id"] in marks:
            raise DomainError(N_("Each trainee can be marked only once per session."))
        marks[mark["enrolment_id"]] = mark["status"]
    created, corrected = attendance.mark_session(session, marks, current_user, utcnow())
    db.session.commit()
    return {"session_id": session.id, "created": created, "corrected": corrected}


# --- results ---------------------------------------------------------------------------------

@bp.get("/enrolments/<int:enrolment_id>/result")
@bp.output(ResultOut)
@bp.doc(operation_id="getEnrolmentResult",
        summary="A trainee's recorded result and certificate (numbers masked)", **SECURED)
@policy.permission("training.batches.view")
def get_result(enrolment_id: int) -> Dumped:  # Completion
    found = loaders.enrolment(enrolment_id, "training.batches.view")
    if found.completion is None:
        raise NotFound(loaders.NOT_FOUND)
    return found.completion


@bp.put("/enrolments/<int:enrolment_id>/result")
@bp.input(ResultIn, location="json", arg_name="body")
@bp.output(ResultOut)
@bp.doc(operation_id="recordEnrolmentResult",
        summary="Record or correct a trainee's result after the last session: a pass "
                "issues a verifiable completion certificate, a correction revokes the "
                "previous one", **WRITE)
@policy.permission(RUN)
def record_result(enrolment_id: int, body: dict[str, Any]) -> Dumped:  # Completion
    found = loaders.enrolment(enrolment_id, RUN)
    data = completion.ResultInput(
        passed=body["passed"], assessed_on=body["assessed_on"],
        certificate_type=body["certificate_type"], certificate_level=body["certificate_level"],
        certificate_number=(body["certificate_number"] or "").strip() or None,
        certificate_date=body["certificate_date"])
    recorded = completion.record_result(found, data, current_user, local_today(), utcnow())
    db.session.commit()
    return recorded


# --- employment follow-up ----------------------------------------------------------------

def _completed(enrolment_id: int) -> Enrolment:
    found = loaders.enrolment(enrolment_id, FOLLOW)
    if found.completion is None:
        raise NotFound(loaders.NOT_FOUND)
    return found


@bp.get("/enrolments/<int:enrolment_id>/followup")
@bp.output(FollowUpStatusOut)
@bp.doc(operation_id="getEnrolmentFollowup",
        summary="When a graduate's employment follow-up is due, and what was recorded",
        **SECURED)
@policy.permission(FOLLOW)
def get_followup(enrolment_id: int) -> dict[str, Any]:
    found = _completed(enrolment_id)
    assert found.completion is not None  # _completed checked it
    return {"enrolment_id": found.id, "due_on": followup.due_on(found, found.completion),
            "followup": found.followup}


@bp.put("/enrolments/<int:enrolment_id>/followup")
@bp.input(FollowUpIn, location="json", arg_name="body")
@bp.output(FollowUpOut)
@bp.doc(operation_id="recordEnrolmentFollowup",
        summary="Record (or correct) a graduate's employment once the follow-up is due",
        **WRITE)
@policy.permission(FOLLOW)
def record_followup(enrolment_id: int, body: dict[str, Any]) -> Dumped:  # FollowUp
    found = _completed(enrolment_id)
    demand = found.batch.demand
    if body["hired_by_ordering_enterprise"] and demand is None:
        raise DomainError(N_("This batch answers no enterprise's demand, so nobody can have "
                             "been hired by the ordering enterprise."))
    data = followup.FollowUpInput(
        employed=body["employed"], checked_on=body["checked_on"],
        employer_name=body["employer_name"], employment_form=body["employment_form"],
        monthly_wage_fen=body["monthly_wage_fen"],
        enterprise_id=demand.enterprise_id if demand and body["hired_by_ordering_enterprise"]
        else None)
    recorded = followup.record_followup(found, data, current_user, local_today())
    db.session.commit()
    return recorded


# --- hired versus committed ------------------------------------------------------------------

@bp.get("/outcomes")
@bp.output(OutcomesOut)
@bp.doc(operation_id="getTrainingOutcomes",
        summary="Hired versus committed per batch, institution and enterprise, in the "
                "token owner's scope", **SECURED)
@policy.permission("training.outcomes")
def outcomes() -> dict[str, Any]:
    rows = followup.batch_outcomes(loaders.outcome_batches(current_user))
    return {"batches": rows, "institutions": followup.institution_outcomes(rows),
            "enterprises": followup.enterprise_outcomes(current_user)}
