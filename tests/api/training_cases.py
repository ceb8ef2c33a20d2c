"""The training operations in the conformance test: which token calls each, the objects its
path names (one per state-changing call, so that no call depends on the order of the
others), and a body each accepts. Objects sit in 南昌市东湖区 (360102), which the city
officer of the conformance test (南昌市, 3601) covers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Flask

from tests.training import builders
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.training import attendance, completion
from trainhub.training import batches as batch_service
from trainhub.training import demands as demand_service
from trainhub.training import enrolment as enrolment_service
from trainhub.training.models import Batch, Enrolment

# Declared permission → the `ids` entry naming the account whose token calls it; any other
# training operation is called with the city officer's token.
TOKENS = {"training.batches.run": "training_staff", "training.demands.post": "enterprise"}

PATH_IDS: dict[tuple[str, str], dict[str, str]] = {
    ("put", "/training/demands/{demand_id}"): {"demand_id": "t_demand_put"},
    ("post", "/training/demands/{demand_id}/close"): {"demand_id": "t_demand_close"},
    ("put", "/training/batches/{batch_id}"): {"batch_id": "t_draft_put"},
    ("post", "/training/batches/{batch_id}/sessions"): {"batch_id": "t_draft_sessions"},
    ("delete", "/training/batches/{batch_id}/sessions/{session_id}"): {
        "batch_id": "t_draft_remove", "session_id": "t_draft_remove_session"},
    ("post", "/training/batches/{batch_id}/submit"): {"batch_id": "t_draft_submit"},
    ("post", "/training/batches/{batch_id}/approve"): {"batch_id": "t_submitted_approve"},
    ("post", "/training/batches/{batch_id}/return"): {"batch_id": "t_submitted_return"},
    ("post", "/training/batches/{batch_id}/reject"): {"batch_id": "t_submitted_reject"},
    ("post", "/training/batches/{batch_id}/open"): {"batch_id": "t_approved"},
    ("post", "/training/batches/{batch_id}/start"): {"batch_id": "t_starting"},
    ("post", "/training/batches/{batch_id}/complete"): {"batch_id": "t_ended"},
    ("post", "/training/batches/{batch_id}/settle"): {"batch_id": "t_ran"},
    ("post", "/training/batches/{batch_id}/cancel"): {"batch_id": "t_to_cancel"},
    ("put", "/training/batches/{batch_id}/capacity"): {"batch_id": "t_to_resize"},
    ("get", "/training/batches/{batch_id}/enrolments"): {"batch_id": "t_enrolling"},
    ("post", "/training/batches/{batch_id}/enrolments"): {"batch_id": "t_enrolling"},
    ("get", "/training/batches/{batch_id}/attendance"): {"batch_id": "t_ran"},
    ("put", "/training/batches/{batch_id}/sessions/{session_id}/attendance"): {
        "batch_id": "t_running", "session_id": "t_running_session"},
    ("post", "/training/enrolments/{enrolment_id}/admit"): {"enrolment_id": "t_to_admit"},
    ("post", "/training/enrolments/{enrolment_id}/wait"): {"enrolment_id": "t_to_wait"},
    ("post", "/training/enrolments/{enrolment_id}/decline"): {"enrolment_id": "t_to_decline"},
    ("post", "/training/enrolments/{enrolment_id}/withdraw"): {"enrolment_id": "t_to_withdraw"},
    ("put", "/training/enrolments/{enrolment_id}/result"): {"enrolment_id": "t_running_trainee"},
    ("get", "/training/enrolments/{enrolment_id}/result"): {"enrolment_id": "t_graduate"},
    ("get", "/training/enrolments/{enrolment_id}/followup"): {"enrolment_id": "t_old_graduate"},
    ("put", "/training/enrolments/{enrolment_id}/followup"): {"enrolment_id": "t_old_graduate"},
}
DEFAULT_IDS = {"demand_id": "t_demand", "batch_id": "t_batch"}


def bodies(ids: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    today = local_today()
    start = today + timedelta(days=10)
    batch = {"title": "盲人保健按摩培训班", "category": "massage", "occupation": "保健按摩师",
             "training_type": "employment_skills", "certificate_type": "training",
             "delivery": "in_person", "start_date": str(start),
             "end_date": str(start + timedelta(days=4)), "capacity": 30, "fee_fen": 150000}
    demand = {"title": "招聘保健按摩师", "occupation": "保健按摩师", "category": "massage",
              "head_count": 10, "region_code": "360102", "monthly_wage_fen": 350000,
              "hire_commitment": 5, "deadline": str(today + timedelta(days=30))}
    evening = {"starts_at": f"{start}T19:00:00+08:00", "ends_at": f"{start}T21:00:00+08:00",
               "hours": "2", "mode": "in_person"}
    return {
        ("post", "/training/demands"): {"body": demand},
        ("put", "/training/demands/{demand_id}"): {"body": demand},
        ("post", "/training/batches"): {"body": {**batch, "base_id": ids["t_base"],
                                                 "demand_id": ids["t_demand"]}},
        ("put", "/training/batches/{batch_id}"): {"body": batch},
        ("post", "/training/batches/{batch_id}/sessions"): {"body": evening},
        ("post", "/training/batches/{batch_id}/approve"): {"body": {"comment": "同意"}},
        ("post", "/training/batches/{batch_id}/return"): {"body": {"comment": "请补充"}},
        ("post", "/training/batches/{batch_id}/reject"): {"body": {"comment": "不符合"}},
        ("post", "/training/batches/{batch_id}/cancel"): {"body": {"reason": "场地问题"}},
        ("put", "/training/batches/{batch_id}/capacity"): {"body": {"capacity": 40}},
        ("post", "/training/batches/{batch_id}/enrolments"): {
            "body": {"id_number": ids["t_id_number"]}},
        ("post", "/training/enrolments/{enrolment_id}/decline"): {"body": {"note": "名额已满"}},
        ("post", "/training/enrolments/{enrolment_id}/withdraw"): {
            "body": {"reason": "连续三次无故缺课"}},
        ("put", "/training/batches/{batch_id}/sessions/{session_id}/attendance"): {
            "body": {"marks": [{"enrolment_id": ids["t_running_trainee"],
                                "status": "present"}]}},
        ("put", "/training/enrolments/{enrolment_id}/result"): {
            "body": {"passed": True, "assessed_on": str(ids["t_running_end"])}},
        ("put", "/training/enrolments/{enrolment_id}/followup"): {
            "body": {"employed": True, "checked_on": str(today), "employer_name": "按摩店",
                     "employment_form": "concentrated", "monthly_wage_fen": 360000,
                     "hired_by_ordering_enterprise": False}},
    }


def _ran(base: Any, staff: User, county: User, start: date, trainees: int,
         *, results: bool) -> tuple[Batch, list[Enrolment]]:
    """A batch of five days from `start` (in the past), started, each trainee present at
    every session, completed when `results` (and each given a pass), else left running."""
    made = builders.batch(base, staff, start - timedelta(days=20), start=start,
                          status="enrolling", approver=county)
    admitted = [enrolment_service.apply(made, builders.person(), staff)
                for _ in range(trainees)]
    batch_service.start(made, start)
    end = start + timedelta(days=4)
    after = builders.local(end + timedelta(days=1), 9)
    if results:
        for day, item in enumerate(made.sessions):
            attendance.mark_session(item, {e.id: "present" for e in admitted}, staff,
                                    builders.local(start + timedelta(days=day), 18))
        batch_service.complete(made, after)
        for trainee in admitted:
            completion.record_result(trainee, completion.ResultInput(
                True, end, "training", None, "PX2026000123", end), staff, end, after)
    return made, admitted


def _enrolling(base: Any, staff: User, county: User, today: date, **changes: Any) -> Batch:
    return builders.batch(base, staff, today, status="enrolling", approver=county, **changes)


def _batches(ids: dict[str, Any], base: Any, staff: User, county: User, today: date) -> None:
    def at(status: str) -> Batch:
        return builders.batch(base, staff, today, status=status, approver=county)

    ids["t_batch"] = at("submitted").id
    for name in ("t_draft_put", "t_draft_sessions", "t_draft_remove", "t_draft_submit"):
        ids[name] = at("draft").id
    ids["t_draft_remove_session"] = db.session.get(Batch, ids["t_draft_remove"]).sessions[0].id
    for name in ("t_submitted_approve", "t_submitted_return", "t_submitted_reject"):
        ids[name] = at("submitted").id
    ids["t_approved"] = at("approved").id
    ids["t_to_cancel"] = _enrolling(base, staff, county, today).id
    ids["t_to_resize"] = _enrolling(base, staff, county, today).id
    ids["t_starting"] = builders.batch(base, staff, today - timedelta(days=20), start=today,
                                       status="enrolling", approver=county).id


def _enrolments(ids: dict[str, Any], base: Any, staff: User, county: User,
                today: date) -> None:
    auto = _enrolling(base, staff, county, today)
    ids["t_enrolling"] = auto.id
    ids["t_to_withdraw"] = enrolment_service.apply(auto, builders.person(), staff).id
    ids["t_id_number"] = builders.person().id_number
    manual = _enrolling(base, staff, county, today, admission="manual")
    for name in ("t_to_admit", "t_to_wait", "t_to_decline"):
        ids[name] = enrolment_service.apply(manual, builders.person(), staff).id


def _running(ids: dict[str, Any], base: Any, staff: User, county: User,
             today: date) -> None:
    ended, _ = _ran(base, staff, county, today - timedelta(days=40), 1, results=False)
    ids["t_ended"] = ended.id
    running, [trainee] = _ran(base, staff, county, today - timedelta(days=30), 1,
                              results=False)
    ids.update(t_running=running.id, t_running_session=running.sessions[0].id,
               t_running_trainee=trainee.id, t_running_end=running.end_date)
    ran, [graduate] = _ran(base, staff, county, today - timedelta(days=50), 1, results=True)
    ids.update(t_ran=ran.id, t_graduate=graduate.id)
    # Completed eight months ago: the six-month follow-up is due.
    _old, [old] = _ran(base, staff, county, today - timedelta(days=250), 1, results=True)
    ids["t_old_graduate"] = old.id


def objects(app: Flask) -> dict[str, Any]:
    """The institution's staff and the enterprise (usernames), the base, and an object for
    each operation (ids), committed."""
    ids: dict[str, Any] = {}
    with app.app_context():
        today = local_today()
        owner = builders.institution("360102")
        staff = builders.user("institution_staff", institution_id=owner.id)
        county = builders.user("federation_officer", region_code="360102")
        base = builders.base(owner, certifier=county, valid_from=today - timedelta(days=400),
                             valid_until=today + timedelta(days=700))
        ent = builders.enterprise("360102")
        contact = builders.user("enterprise_contact", enterprise_id=ent.id)
        ids.update(training_staff=staff.username, enterprise=contact.username, t_base=base.id)
        for name in ("t_demand", "t_demand_put", "t_demand_close"):
            ids[name] = demand_service.post_demand(ent, demand_service.DemandInput(
                "招聘按摩师", "保健按摩师", "massage", 10, "", "360102", "", 300000, 5,
                today + timedelta(days=30)), contact, today).id
        _batches(ids, base, staff, county, today)
        _enrolments(ids, base, staff, county, today)
        _running(ids, base, staff, county, today)
        db.session.commit()
    return ids
