"""Demo bases: one county-level training base already certified in 南昌市东湖区, and an
incubator application from 赣州 waiting at the city federation, so every screen has
something real to show."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import select

from trainhub.bases import certification, services
from trainhub.bases.models import BaseKind, Decision, Level
from trainhub.core.accounts.models import User
from trainhub.core.files import store_upload
from trainhub.core.organisations import Institution
from trainhub.extensions import db

# A minimal, valid PDF: the demo's evidence file.
EVIDENCE = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def _answers(kind: BaseKind, region: str, on: date) -> dict[str, str]:
    criteria, _ = services.criteria_for(kind, on, region)
    sample = {"boolean": "yes", "text": "详见证明材料"}
    answers = {}
    for c in criteria:
        if c.get("kind") == "number":  # 12, or less where capped (incubation: 3 years)
            answers[c["code"]] = str(min(12, int(c.get("max") or 12)))
        else:
            answers[c["code"]] = sample[c.get("kind", "text")]
    return answers


def _apply(institution: Institution, kind: BaseKind, level: Level, specialties: tuple[str, ...],
           on: date):
    staff = db.session.scalars(select(User).where(User.institution_id == institution.id)).first()
    assert staff is not None
    application = services.create_application(
        institution, services.ApplicationInput(kind, level, specialties,
                                               _answers(kind, institution.region_code, on)),
        staff, on)
    upload = store_upload(io.BytesIO(EVIDENCE), "办学许可证.pdf", max_bytes=1 << 20)
    services.add_evidence(application, upload, staff)
    db.session.refresh(application)
    services.submit(application)
    return application


def load_demo_bases(first: Institution, second: Institution, today: date) -> None:
    earlier = today - timedelta(days=40)
    massage = _apply(first, BaseKind.TRAINING, Level.COUNTY, ("massage",), earlier)
    services.review(massage, services.ReviewInput(Decision.RECOMMEND, "材料齐全，现场核查合格"),
                    _user("donghu.officer"), earlier, Level.COUNTY)
    certification.certify(massage, _user("donghu.officer"), today - timedelta(days=30))
    incubator = _apply(second, BaseKind.INCUBATOR, Level.CITY,
                       ("intangible_heritage", "handicraft"), today)
    services.review(incubator, services.ReviewInput(Decision.RECOMMEND, "同意推荐"),
                    _user("zhanggong.officer"), today, Level.COUNTY)
