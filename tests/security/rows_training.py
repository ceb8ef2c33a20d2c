"""Permission-matrix rows of the training pages. Batches sit in 南昌市东湖区 (360102) and
belong to an institution none of the actors works for; the demand belongs to an enterprise
none of them represents. Trainee rows build the enrolment for the actor's own person."""

from __future__ import annotations

from tests.security.matrix import ACTORS, ALL_OFFICERS, OFFICERS_IN_SCOPE, Row
from tests.training.builders import build
from tests.training.excel_files import build_import_job

IN_SCOPE_AND_ADMIN = OFFICERS_IN_SCOPE | {"admin"}
STAFF_OFFICERS_ADMIN = {"institution_staff", "admin"} | ALL_OFFICERS
TRAINEES = {"trainee_self", "trainee_other"}
NOBODY: set[str] = set()


def _row(method: str, path: str, allowed: set[str], *parts: str, **kw: object) -> Row:
    return Row(method, lambda ids, p=path: p.format(**ids), allowed,
               prepare=lambda app, make: build(app, make, *parts), **kw)


def _own(method: str, path: str, allowed: set[str], *parts: str) -> Row:
    """Objects of the actor's own person (the matrix's target person)."""
    return Row(method, lambda ids, p=path: p.format(**ids), allowed,
               prepare=lambda app, make, ids: build(app, make, *parts,
                                                    person_id=ids["person"]))


B = "/training/batches/{%s}"
ROWS: dict[str, Row] = {
    "training.demand_list": _row("GET", "/training/demands",
                                 STAFF_OFFICERS_ADMIN | {"enterprise_contact"}),
    "training.new_demand": _row("GET", "/training/demands/new", {"enterprise_contact"}),
    "training.demand": _row("GET", "/training/demands/{demand}",
                            IN_SCOPE_AND_ADMIN | {"institution_staff"}, "demand"),
    "training.edit_demand": _row("GET", "/training/demands/{demand}/edit", NOBODY, "demand"),
    "training.close_demand": _row("POST", "/training/demands/{demand}/close", NOBODY,
                                  "demand"),
    "training.batch_list": _row("GET", "/training/batches", STAFF_OFFICERS_ADMIN),
    "training.new_batch": _row("GET", "/training/batches/new", {"institution_staff"}),
    "training.edit_batch": _row("GET", B % "draft" + "/edit", NOBODY, "draft"),
    "training.batch": _row("GET", B % "submitted", IN_SCOPE_AND_ADMIN, "submitted"),
    "training.add_session": _row("POST", B % "draft" + "/sessions", NOBODY, "draft"),
    "training.remove_session": _row("POST", B % "enrolling" + "/sessions/{session}/delete",
                                    NOBODY, "enrolling"),
    "training.submit": _row("POST", B % "draft" + "/submit", NOBODY, "draft"),
    "training.approve": _row("POST", B % "submitted" + "/approve", OFFICERS_IN_SCOPE,
                             "submitted"),
    "training.send_back": _row("POST", B % "submitted" + "/return", OFFICERS_IN_SCOPE,
                               "submitted", data={"comment": "请补充", "decision": "return"}),
    "training.open_enrolment": _row("POST", B % "submitted" + "/open", NOBODY, "submitted"),
    "training.start": _row("POST", B % "enrolling" + "/start", NOBODY, "enrolling"),
    "training.complete": _row("POST", B % "enrolling" + "/complete", NOBODY, "enrolling"),
    "training.settle": _row("POST", B % "completed" + "/settle", OFFICERS_IN_SCOPE,
                            "completed"),
    "training.cancel": _row("POST", B % "enrolling" + "/cancel", NOBODY, "enrolling",
                            data={"reason": "场地问题"}),
    "training.change_capacity": _row("POST", B % "enrolling" + "/capacity", NOBODY,
                                     "enrolling", data={"capacity": "40"}),
    "training.roster": _row("GET", B % "enrolling" + "/roster", IN_SCOPE_AND_ADMIN,
                            "enrolling"),
    "training.admit": _row("POST", "/training/enrolments/{applicant}/admit", NOBODY,
                           "enrolling"),
    "training.put_on_waiting_list": _row("POST", "/training/enrolments/{applicant}/wait",
                                         NOBODY, "enrolling"),
    "training.decline": _row("POST", "/training/enrolments/{applicant}/decline", NOBODY,
                             "enrolling", data={"note": "名额已满"}),
    # 移出: the confirmed POST of the confirmation page, with its required reason.
    "training.withdraw": _row("POST", "/training/enrolments/{applicant}/withdraw", NOBODY,
                              "enrolling", data={"confirmed": "1", "reason": "多次无故缺课"}),
    "training.attendance_sheet": _row("GET", B % "completed" + "/attendance",
                                      IN_SCOPE_AND_ADMIN, "completed"),
    "training.mark_attendance": _row("GET", B % "completed" + "/sessions/{ran_session}"
                                     "/attendance", NOBODY, "completed"),
    "training.result": _row("GET", "/training/enrolments/{graduate}/result", NOBODY,
                            "completed"),
    "training.certificate": _row("GET", "/training/enrolments/{graduate}/certificate.pdf",
                                 IN_SCOPE_AND_ADMIN, "completed"),
    "training.record_followup": _row("GET", "/training/enrolments/{graduate}/followup",
                                     OFFICERS_IN_SCOPE, "completed"),
    "training.outcomes": _row("GET", "/training/outcomes",
                              STAFF_OFFICERS_ADMIN | {"enterprise_contact"}),
    "training.courses": _row("GET", "/training/courses", set(ACTORS), public=True),
    "training.course": _row("GET", "/training/courses/{enrolling}", set(ACTORS), "enrolling",
                            public=True),
    "training.apply": _row("POST", "/training/courses/{enrolling}/apply", TRAINEES,
                           "enrolling"),
    "training.mine": _row("GET", "/training/mine", TRAINEES),
    "training.accept_invitation": _own("POST", "/training/mine/invitations/{invitation}/accept",
                                       {"trainee_self"}, "invitation"),
    "training.decline_invitation": _own(
        "POST", "/training/mine/invitations/{invitation}/decline", {"trainee_self"},
        "invitation"),
    "training.withdraw_mine": _own("POST", "/training/mine/{applicant}/withdraw",
                                   {"trainee_self"}, "enrolling"),
    "training.my_certificate": _own("GET", "/training/mine/{graduate}/certificate.pdf",
                                    {"trainee_self"}, "completed"),
    # Only the staff of the batch's institution, which no matrix actor works for.
    "training.issue_activation_code": _row(
        "POST", "/training/enrolments/{applicant}/activation-code", NOBODY, "enrolling"),
    # Excel: the template and the upload are for the batch's staff (no actor); a job and
    # full exports for them and the officers covering the batch, not the admin.
    "training.enrolment_template": _row("GET", B % "enrolling" + "/enrolment-template.xlsx",
                                        NOBODY, "enrolling"),
    "training.start_import": _row("POST", B % "enrolling" + "/imports", NOBODY, "enrolling"),
    "training.import_job": Row("GET", lambda ids: f"/training/imports/{ids['import_job']}",
                               OFFICERS_IN_SCOPE, prepare=build_import_job),
    # Running an interrupted import again: the batch's staff only (no actor).
    "training.run_import_again": Row(
        "POST", lambda ids: f"/training/imports/{ids['import_job']}/again", NOBODY,
        prepare=build_import_job),
    "training.import_job_status": Row(
        "GET", lambda ids: f"/training/imports/{ids['import_job']}.json", OFFICERS_IN_SCOPE,
        prepare=build_import_job),
    "training.roster_xlsx": _row("GET", B % "enrolling" + "/roster.xlsx", IN_SCOPE_AND_ADMIN,
                                 "enrolling"),
    "training.roster_xlsx_full": _row("POST", B % "enrolling" + "/roster.xlsx",
                                      OFFICERS_IN_SCOPE, "enrolling",
                                      data={"purpose": "matrix test"}),
    "training.attendance_xlsx": _row("GET", B % "completed" + "/attendance.xlsx",
                                     IN_SCOPE_AND_ADMIN, "completed"),
    "training.attendance_xlsx_full": _row("POST", B % "completed" + "/attendance.xlsx",
                                          OFFICERS_IN_SCOPE, "completed",
                                          data={"purpose": "matrix test"}),
}
