"""Matrix rows of the training API (/api/v1/training). Calls carry a token of the actor;
trainees and judges cannot hold one, so their calls go without and are refused like
anonymous ones. The objects are those of the training pages' rows (南昌市东湖区, an
institution and an enterprise none of the actors belongs to); write rows send a well-formed
body, so a refusal comes from the scope, not from the validation (an allowed actor may still
get 400/409 from the training rules)."""

from __future__ import annotations

from datetime import timedelta

from tests.security.matrix import OFFICERS_IN_SCOPE, Row
from tests.security.rows_training import IN_SCOPE_AND_ADMIN, NOBODY, STAFF_OFFICERS_ADMIN
from tests.training.builders import build
from trainhub.core.timeutil import local_today

TODAY = local_today()
DEMAND = {"title": "招聘保健按摩师", "occupation": "保健按摩师", "category": "massage",
          "head_count": 10, "region_code": "360102", "monthly_wage_fen": 350000,
          "hire_commitment": 5, "deadline": str(TODAY + timedelta(days=30))}
BATCH = {"title": "盲人保健按摩培训班", "category": "massage", "occupation": "保健按摩师",
         "training_type": "employment_skills", "certificate_type": "training",
         "delivery": "in_person", "start_date": str(TODAY + timedelta(days=10)),
         "end_date": str(TODAY + timedelta(days=12)), "capacity": 30, "fee_fen": 150000}
# No actor's institution has a certified base, so nobody may plan a batch on this one.
NEW_BATCH = {**BATCH, "base_id": 2**31 - 1}
SESSION = {"starts_at": f"{TODAY + timedelta(days=10)}T09:00:00+08:00",
           "ends_at": f"{TODAY + timedelta(days=10)}T17:00:00+08:00", "hours": "7.5",
           "mode": "in_person"}
RESULT = {"passed": True, "assessed_on": str(TODAY)}
FOLLOWUP = {"employed": False, "checked_on": str(TODAY)}
ENROL = {"id_number": "11010519491231002X"}
ENTERPRISE_TOO = STAFF_OFFICERS_ADMIN | {"enterprise_contact"}


def _row(method: str, path: str, allowed: set[str], *parts: str, **kw: object) -> Row:
    return Row(method, lambda ids, p=path: "/api/v1/training" + p.format(**ids), allowed,
               api=True, prepare=lambda app, make: build(app, make, *parts), **kw)


B = "/batches/{%s}"
E = "/enrolments/{%s}"
ROWS: dict[str, Row] = {
    "training_api.list_demands": _row("GET", "/demands?status=open", ENTERPRISE_TOO),
    "training_api.get_demand": _row("GET", "/demands/{demand}",
                                    IN_SCOPE_AND_ADMIN | {"institution_staff"}, "demand"),
    "training_api.create_demand": _row("POST", "/demands", {"enterprise_contact"},
                                       data=DEMAND),
    "training_api.update_demand": _row("PUT", "/demands/{demand}", NOBODY, "demand",
                                       data=DEMAND),
    "training_api.close_demand": _row("POST", "/demands/{demand}/close", NOBODY, "demand"),
    "training_api.list_batches": _row("GET", "/batches?status=submitted&region=3601",
                                      STAFF_OFFICERS_ADMIN),
    "training_api.get_batch": _row("GET", B % "submitted", IN_SCOPE_AND_ADMIN, "submitted"),
    "training_api.create_batch": _row("POST", "/batches", NOBODY, data=NEW_BATCH),
    "training_api.update_batch": _row("PUT", B % "draft", NOBODY, "draft", data=BATCH),
    "training_api.add_session": _row("POST", B % "draft" + "/sessions", NOBODY, "draft",
                                     data=SESSION),
    "training_api.remove_session": _row("DELETE", B % "enrolling" + "/sessions/{session}",
                                        NOBODY, "enrolling"),
    # The lifecycle: the institution's steps, and the approving officers covering 东湖区.
    "training_api.submit_batch": _row("POST", B % "draft" + "/submit", NOBODY, "draft"),
    "training_api.approve_batch": _row("POST", B % "submitted" + "/approve",
                                       OFFICERS_IN_SCOPE, "submitted", data={}),
    "training_api.return_batch": _row("POST", B % "submitted" + "/return", OFFICERS_IN_SCOPE,
                                      "submitted", data={"comment": "请补充课程安排"}),
    "training_api.reject_batch": _row("POST", B % "submitted" + "/reject", OFFICERS_IN_SCOPE,
                                      "submitted", data={"comment": "不符合条件"}),
    "training_api.open_batch": _row("POST", B % "submitted" + "/open", NOBODY, "submitted"),
    "training_api.start_batch": _row("POST", B % "enrolling" + "/start", NOBODY, "enrolling"),
    "training_api.complete_batch": _row("POST", B % "enrolling" + "/complete", NOBODY,
                                        "enrolling"),
    "training_api.settle_batch": _row("POST", B % "completed" + "/settle", OFFICERS_IN_SCOPE,
                                      "completed"),
    "training_api.cancel_batch": _row("POST", B % "enrolling" + "/cancel", NOBODY,
                                      "enrolling", data={"reason": "场地问题"}),
    "training_api.change_capacity": _row("PUT", B % "enrolling" + "/capacity", NOBODY,
                                         "enrolling", data={"capacity": 40}),
    # Enrolments: masked lists for whoever sees the batch; decisions for its institution.
    "training_api.list_enrolments": _row("GET", B % "enrolling" + "/enrolments",
                                         IN_SCOPE_AND_ADMIN, "enrolling"),
    "training_api.enrol": _row("POST", B % "enrolling" + "/enrolments", NOBODY, "enrolling",
                               data=ENROL),
    "training_api.admit": _row("POST", E % "applicant" + "/admit", NOBODY, "enrolling"),
    "training_api.put_on_waiting_list": _row("POST", E % "applicant" + "/wait", NOBODY,
                                             "enrolling"),
    "training_api.decline": _row("POST", E % "applicant" + "/decline", NOBODY, "enrolling",
                                 data={"note": "名额已满"}),
    "training_api.withdraw": _row("POST", E % "applicant" + "/withdraw", NOBODY, "enrolling",
                                  data={"reason": "连续三次无故缺课"}),
    # Running: attendance, results, follow-up, hired versus committed.
    "training_api.attendance_sheet": _row("GET", B % "completed" + "/attendance",
                                          IN_SCOPE_AND_ADMIN, "completed"),
    "training_api.mark_session": _row(
        "PUT", B % "completed" + "/sessions/{ran_session}/attendance", NOBODY, "completed",
        data={"marks": [{"enrolment_id": 1, "status": "present"}]}),
    "training_api.get_result": _row("GET", E % "graduate" + "/result", IN_SCOPE_AND_ADMIN,
                                    "completed"),
    "training_api.record_result": _row("PUT", E % "graduate" + "/result", NOBODY,
                                       "completed", data=RESULT),
    "training_api.get_followup": _row("GET", E % "graduate" + "/followup",
                                      OFFICERS_IN_SCOPE, "completed"),
    "training_api.record_followup": _row("PUT", E % "graduate" + "/followup",
                                         OFFICERS_IN_SCOPE, "completed", data=FOLLOWUP),
    "training_api.outcomes": _row("GET", "/outcomes", ENTERPRISE_TOO),
}
