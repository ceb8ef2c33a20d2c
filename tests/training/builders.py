"""Training objects for service tests, the permission matrix and the browser journeys: a
certified base inserted directly (the certification chain has its own tests), batches with
sessions, trainees. Functions take the session as it is and flush; callers commit."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from trainhub.bases.models import ApplicationStatus, Base, BaseApplication
from trainhub.cli.demo import make_resident_id, uscc
from trainhub.core.accounts.models import User
from trainhub.core.organisations import Enterprise, Institution
from trainhub.core.people.models import EmploymentStatus, Person
from trainhub.core.people.services import PersonInput, create_person
from trainhub.core.timeutil import LOCAL_TZ
from trainhub.extensions import db
from trainhub.training import batches as batch_service
from trainhub.training import enrolment as enrolment_service
from trainhub.training.batches import BatchInput, SessionInput
from trainhub.training.models import Batch

_seq = itertools.count(1)


def user(role: str, **scope: Any) -> User:
    n = next(_seq)
    account = User(username=f"t-{role}-{n}", display_name=f"{role}{n}", role=role,
                   password_hash="x", **scope)
    db.session.add(account)
    db.session.flush()
    return account


def institution(region_code: str = "360102", name: str | None = None) -> Institution:
    n = next(_seq)
    inst = Institution(name=name or f"培训学校{n}", region_code=region_code,
                       credit_code=uscc("52", region_code, f"TR{n:07d}"))
    db.session.add(inst)
    db.session.flush()
    return inst


def enterprise(region_code: str = "360111") -> Enterprise:
    n = next(_seq)
    ent = Enterprise(name=f"用工企业{n}", region_code=region_code,
                     credit_code=uscc("91", region_code, f"EN{n:07d}"))
    db.session.add(ent)
    db.session.flush()
    return ent


def base(owner: Institution, *, specialties: tuple[str, ...] = ("massage", "ecommerce"),
         valid_from: date = date(2025, 1, 1), valid_until: date = date(2027, 12, 31),
         kind: str = "training", certifier: User | None = None) -> Base:
    n = next(_seq)
    certifier = certifier or user("federation_officer", region_code=owner.region_code)
    application = BaseApplication(
        institution_id=owner.id, kind=kind, level_sought="county",
        specialties=list(specialties), region_code=owner.region_code,
        status=ApplicationStatus.CERTIFIED.value, answers={}, created_by_id=certifier.id)
    db.session.add(application)
    db.session.flush()
    certified = Base(
        institution_id=owner.id, application_id=application.id, kind=kind, level="county",
        region_code=owner.region_code, specialties=list(specialties), year=valid_from.year,
        sequence=10_000 + n, certificate_number=f"赣残培基〔{valid_from.year}〕第T{n:04d}号",
        valid_from=valid_from, valid_until=valid_until, verification_code=f"test-code-{n}",
        certified_by_id=certifier.id)
    db.session.add(certified)
    db.session.flush()
    return certified


def batch_input(start: date, days: int = 5, **changes: Any) -> BatchInput:
    values: dict[str, Any] = dict(
        title="盲人保健按摩培训班", category="massage", occupation="保健按摩师",
        training_type="employment_skills", certificate_type="skill_level",
        certificate_level="junior", delivery="in_person", delivery_models=("project",),
        provisions=("braille",), start_date=start, end_date=start + timedelta(days=days - 1),
        capacity=30, fee_fen=150000, admission="auto", venue="南昌市东湖区", description="")
    values.update(changes)
    return BatchInput(**values)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LOCAL_TZ).astimezone(UTC)


def session_input(day: date, start_hour: int = 9, hours: int = 8,
                  mode: str = "in_person") -> SessionInput:
    return SessionInput(local(day, start_hour), local(day, start_hour) + timedelta(hours=hours + 1),
                        Decimal(hours), mode, "实操")


def batch(base_: Base, staff: User, today: date, *, start: date | None = None, days: int = 5,
          status: str = "draft", approver: User | None = None, **changes: Any) -> Batch:
    """A batch with one 8-hour session a day, moved up to `status` (draft, submitted,
    approved, enrolling)."""
    start = start or today + timedelta(days=10)
    created = batch_service.create_batch(base_, batch_input(start, days, **changes), staff, today)
    for offset in range(days):
        batch_service.add_session(created, session_input(start + timedelta(days=offset)))
    order = ["draft", "submitted", "approved", "enrolling"]
    if order.index(status) >= 1:
        batch_service.submit(created, today)
    if order.index(status) >= 2:
        approver = approver or user("federation_officer", region_code=base_.region_code)
        batch_service.approve(created, approver, today)
    if order.index(status) >= 3:
        batch_service.open_enrolment(created)
    return created


def person(region_code: str = "360102", *, born: date | None = None, male: bool = True,
           name: str | None = None, category: int | None = 1,
           employment: EmploymentStatus = EmploymentStatus.UNEMPLOYED,
           needs: frozenset[str] = frozenset()) -> Person:
    """A trainee a batch admits by default (certificate, working age); `category=None` for
    someone without a disability certificate."""
    n = next(_seq)
    # Not 1990-05-17, the factories' birth date: their sequence numbers would clash.
    born = born or date(1985, 1, 1) + timedelta(days=n // 400)
    id_number = make_resident_id(region_code, born, (n % 400) * 2 + (1 if male else 0))
    return create_person(PersonInput(
        name=name or f"学员{n}", id_number=id_number,
        cert_number=f"{id_number}{category}2" if category else None, phone=None,
        household_region_code=region_code, employment_status=employment, needs=needs),
        today=date(2026, 1, 1))


def enrol(target: Batch, people: int, by: User) -> list[Any]:
    return [enrolment_service.apply(target, person(), by) for _ in range(people)]


# --- the permission matrix and view tests: committed objects, returned as ids ----------

def _lived(base_: Base, staff: User, approver: User, start: date, **changes: Any) -> Batch:
    """A batch created, approved and opened in the past, so it can have run by today."""
    made = batch(base_, staff, start - timedelta(days=20), start=start, status="enrolling",
                 approver=approver, **changes)
    return made


def build(app: Any, make: Any, *parts: str, person_id: int | None = None) -> dict[str, int]:
    """Objects in 南昌市东湖区 (360102) owned by an institution and an enterprise that none
    of the matrix actors belongs to. Parts: "demand" (open), "draft", "submitted",
    "enrolling" (with one applicant, "applicant"), "completed" (ran five days last month;
    one trainee passed with a certificate, "graduate"), "invitation" (a pending invitation to
    another open batch). With `person_id`, that person is the applicant, the graduate and the
    one invited."""
    from trainhub.core.timeutil import local_today
    from trainhub.training import attendance, completion
    from trainhub.training import demands as demand_service

    ids: dict[str, int] = {}
    with app.app_context():
        today = local_today()
        owner = institution("360102")
        staff = user("institution_staff", institution_id=owner.id)
        county = user("federation_officer", region_code="360102")
        certified = base(owner, certifier=county, valid_from=today - timedelta(days=400),
                         valid_until=today + timedelta(days=700))
        who = db.session.get(Person, person_id) if person_id else None
        if "demand" in parts:
            ent = enterprise("360102")
            contact = user("enterprise_contact", enterprise_id=ent.id)
            ids["demand"] = demand_service.post_demand(ent, demand_service.DemandInput(
                "招聘按摩师", "保健按摩师", "massage", 10, "", "360102", "", 300000, 5,
                today + timedelta(days=30)), contact, today).id
        for status in ("draft", "submitted"):
            if status in parts:
                ids[status] = batch(certified, staff, today, status=status, approver=county).id
        if "enrolling" in parts:
            open_batch = batch(certified, staff, today, status="enrolling", approver=county)
            ids["enrolling"] = open_batch.id
            ids["session"] = open_batch.sessions[0].id
            ids["applicant"] = enrolment_service.apply(open_batch, who or person(), staff).id
        if "invitation" in parts:  # staff asked the person to join another open batch
            from trainhub.training.models import Invitation
            asked = batch(certified, staff, today, start=today + timedelta(days=40),
                          status="enrolling", approver=county)
            invitation = Invitation(batch_id=asked.id, person_id=(who or person()).id,
                                    invited_by_id=staff.id, status="pending")
            db.session.add(invitation)
            db.session.flush()
            ids["invitation"] = invitation.id
        if "completed" in parts:
            start = today - timedelta(days=40)
            ran = _lived(certified, staff, county, start)
            graduate = enrolment_service.apply(ran, who or person(), staff)
            batch_service.start(ran, start)
            end = start + timedelta(days=4)
            for day, item in enumerate(ran.sessions):
                attendance.mark_session(item, {graduate.id: "present"}, staff,
                                        local(start + timedelta(days=day), 18))
            after = local(end + timedelta(days=1), 9)
            batch_service.complete(ran, after)
            completion.record_result(graduate, completion.ResultInput(
                True, end, "training", None, "PX2026000123", end), staff, end, after)
            ids.update(completed=ran.id, graduate=graduate.id, ran_session=ran.sessions[0].id)
        db.session.commit()
    return ids


def certified_site(app: Any, make: Any, *, contact_phone: str | None = None,
                   officer: bool = False, trainee: bool = False) -> dict[str, Any]:
    """A certified base in 东湖区 with a staff account (and, when asked, an officer of 南昌市
    and a trainee), committed: the ids and usernames the page tests use."""
    from trainhub.core.timeutil import local_today

    with app.app_context():
        owner = institution("360102", "东湖区盲人按摩学校")
        if contact_phone:
            owner.contact_phone = contact_phone
        today = local_today()
        made = base(owner, valid_from=today - timedelta(days=60),
                    valid_until=today + timedelta(days=700))
        db.session.commit()
        ids: dict[str, Any] = {"institution": owner.id, "base": made.id}
    ids["staff"] = make.user("institution_staff", institution_id=ids["institution"])
    if officer:
        ids["officer"] = make.user("federation_officer", region_code="3601")
    if trainee:
        ids["trainee"] = make.user("trainee")
    return ids


def site_batch(app: Any, site: dict[str, Any], **changes: Any) -> int:
    """A batch of the site's base by its staff, committed (status and fields by `changes`)."""
    from trainhub.core.timeutil import local_today

    with app.app_context():
        staff = db.session.query(User).filter_by(username=site["staff"]).one()
        made = batch(db.session.get(Base, site["base"]), staff, local_today(), **changes)
        db.session.commit()
        return made.id
