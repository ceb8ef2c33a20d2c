"""Objects in every state of the workflow, for view tests and the permission matrix.
Each call commits in its own application context and returns ids."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from trainhub.bases import certification, lifecycle, services
from trainhub.bases.models import BaseKind, Decision, Level
from trainhub.core.accounts.models import User
from trainhub.core.files import store_upload
from trainhub.core.organisations import Institution
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + b"IEND\xaeB`\x82"


def _answers(kind: BaseKind, region: str) -> dict[str, str]:
    criteria, _ = services.criteria_for(kind, local_today(), region)
    return {c["code"]: {"number": str(min(3, c.get("max") or 3)), "boolean": "yes"}
            .get(c.get("kind", "text"), "有") for c in criteria}


def _officer(code: str, tag: str) -> User:
    user = User(username=f"chain-{tag}-{code}", display_name=code, role="federation_officer",
                region_code=code, password_hash="x")
    db.session.add(user)
    return user


def build(app: Flask, make: Any, *parts: str) -> dict[str, int]:
    """Only the `parts` asked for, all in 南昌市东湖区: "draft" (with an evidence file),
    "in_review" (at the county step, with its evidence file), "notice" (county level, notice
    over, one open objection, and "review": the county's), "base" (a certified training base),
    "incubator" (a certified incubator, and "resident": an enterprise it hosts)."""
    institution_id = make.institution("360102")
    staff = make.user("institution_staff", institution_id=institution_id)
    ids: dict[str, int] = {"institution": institution_id}
    if not parts:
        return ids
    with app.app_context():
        county = _officer("360102", str(institution_id))
        institution = db.session.get(Institution, institution_id)
        staff_user = db.session.query(User).filter_by(username=staff).one()
        today = local_today()
        earlier = today - timedelta(days=30)

        def application(kind: BaseKind = BaseKind.TRAINING) -> Any:
            created = services.create_application(
                institution, services.ApplicationInput(kind, Level.COUNTY, ("massage",),
                                                       _answers(kind, "360102")),
                staff_user, today)
            stored = store_upload(io.BytesIO(PDF), "证明.pdf", max_bytes=1 << 20)
            services.add_evidence(created, stored, staff_user)
            db.session.refresh(created)
            return created

        def noticed(kind: BaseKind = BaseKind.TRAINING) -> Any:
            created = application(kind)
            services.submit(created)
            services.review(created, services.ReviewInput(Decision.RECOMMEND, "同意"), county,
                            earlier, Level.COUNTY)
            return created

        if "draft" in parts:
            draft = application()
            ids.update(draft=draft.id, evidence=draft.evidence[0].id)
        if "in_review" in parts:
            in_review = application()
            services.submit(in_review)
            ids.update(in_review=in_review.id, in_review_evidence=in_review.evidence[0].id)
        if "notice" in parts:
            notice = noticed()
            objection = services.record_objection(notice.notice, earlier, "群众", "场地不达标",
                                                  county, today)
            ids.update(notice=notice.id, objection=objection.id, review=notice.reviews[0].id)
        if "base" in parts:
            ids["base"] = certification.certify(noticed(), county, today).id
        if "incubator" in parts:
            incubator = certification.certify(noticed(BaseKind.INCUBATOR), county, today)
            resident = lifecycle.save_resident(incubator, lifecycle.ResidentInput(
                "赣创电商工作室", "王芳", today - timedelta(days=200), None, 3, "场地、培训"),
                today)
            ids.update(incubator=incubator.id, resident=resident.id)
        db.session.commit()
    return ids


def answers(kind: BaseKind = BaseKind.TRAINING, region: str = "360102") -> dict[str, str]:
    """Answers that meet the criteria in force, keyed by criterion code."""
    return _answers(kind, region)


def at_city_level(app: Flask, make: Any, city_officer: str) -> dict[str, Any]:
    """For the token of `city_officer` (南昌市, 3601): applications seeking city level in
    东湖区 at each step that officer or the institution's staff can act on, one for each call
    that changes it, so that no call depends on the order of the others. Returns ids and
    the staff username: "draft", "second_draft" and "third_draft" (with evidence, the
    first's "draft_file"), "city_step" (recommended by the county; its evidence
    "city_file"), "notice_over" (recommended by the city 30 days ago, no objection; the
    city's review "city_review"), "objected" (the same, with an open "objection"), and
    certified: "base", "to_suspend", "to_revoke", "suspended", and an "incubator" hosting a
    "resident"."""
    institution_id = make.institution("360102")
    staff = make.user("institution_staff", institution_id=institution_id)
    with app.app_context():
        county = _officer("360102", f"city{institution_id}")
        city = db.session.query(User).filter_by(username=city_officer).one()
        institution = db.session.get(Institution, institution_id)
        staff_user = db.session.query(User).filter_by(username=staff).one()
        today = local_today()
        earlier = today - timedelta(days=30)
        agree = services.ReviewInput(Decision.RECOMMEND, "同意")

        def application(kind: BaseKind = BaseKind.TRAINING) -> Any:
            created = services.create_application(
                institution, services.ApplicationInput(kind, Level.CITY, ("massage",),
                                                       _answers(kind, "360102")),
                staff_user, today)
            stored = store_upload(io.BytesIO(PDF), "证明.pdf", max_bytes=1 << 20)
            services.add_evidence(created, stored, staff_user)
            db.session.refresh(created)
            return created

        def at_city(noticed: bool, kind: BaseKind = BaseKind.TRAINING) -> Any:
            created = application(kind)
            services.submit(created)
            services.review(created, agree, county, earlier, Level.COUNTY)
            if noticed:
                services.review(created, agree, city, earlier, Level.CITY)
            return created

        def certified(kind: BaseKind = BaseKind.TRAINING) -> Any:
            return certification.certify(at_city(noticed=True, kind=kind), city, today)

        draft, city_step, notice_over = application(), at_city(False), at_city(True)
        objected = at_city(noticed=True)
        objection = services.record_objection(objected.notice, earlier, "群众", "场地不达标",
                                              city, today)
        ids: dict[str, Any] = {
            "institution": institution_id, "staff": staff, "draft": draft.id,
            "draft_file": draft.evidence[0].id, "second_draft": application().id,
            "third_draft": application().id, "city_step": city_step.id,
            "city_file": city_step.evidence[0].id, "notice_over": notice_over.id,
            "city_review": notice_over.reviews[1].id, "objected": objected.id,
            "objection": objection.id}
        ids.update({name: certified().id for name in ("base", "to_suspend", "to_revoke")})
        suspended = certified()
        lifecycle.suspend(suspended, "整改", today)
        incubator = certified(BaseKind.INCUBATOR)
        resident = lifecycle.save_resident(incubator, lifecycle.ResidentInput(
            "赣创电商工作室", "王芳", today - timedelta(days=200), None, 3, "场地、培训"), today)
        ids.update(suspended=suspended.id, incubator=incubator.id, resident=resident.id)
        db.session.commit()
    return ids


def bulk_owner(app: Flask, make: Any) -> Any:
    """The institution, staff and certifier that test_coverage._bulk_bases expects, for
    tests that insert many certified bases at once and commit them."""
    from types import SimpleNamespace

    institution = make.institution("360102")
    staff = make.user("institution_staff", institution_id=institution)
    certifier = make.user("federation_officer", region_code="360102")
    with app.app_context():
        ids = dict(db.session.execute(select(User.username, User.id)
                                      .where(User.username.in_([staff, certifier]))).all())
    return SimpleNamespace(institution=SimpleNamespace(id=institution),
                           staff=SimpleNamespace(id=ids[staff]),
                           county=SimpleNamespace(id=ids[certifier]))
