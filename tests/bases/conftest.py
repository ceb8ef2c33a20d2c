"""Fixtures for the bases domain: parameters loaded, an institution with staff, officers at
each level of its region, and helpers that walk an application through the chain."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from trainhub.bases import certification, services
from trainhub.bases.models import BaseApplication, BaseKind, Decision, Level
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.core.files import store_upload
from trainhub.core.organisations import Institution
from trainhub.core.parameters.defaults import load_defaults
from trainhub.extensions import db

TODAY = date(2026, 3, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + b"IEND\xaeB`\x82"

TRAINING_ANSWERS = {"registration_years": "3", "site_area": "420", "accessible": "yes",
                    "trainers": "8", "trained_last_year": "120", "employment_rate": "72"}


@pytest.fixture
def params(ctx):
    load_defaults()
    db.session.flush()


@dataclass
class World:
    institution: Institution
    staff: User
    county: User
    city: User
    province: User
    other_county: User


def _user(username: str, role: str, **scope: Any) -> User:
    user = User(username=username, display_name=username, role=role, password_hash="x",
                **scope)
    db.session.add(user)
    return user


@pytest.fixture
def world(params) -> World:
    institution = Institution(name="南昌市盲人按摩培训学校", credit_code="52360102MA35X8R01Y",
                              region_code="360102")
    db.session.add(institution)
    db.session.flush()
    built = World(
        institution=institution,
        staff=_user("staff", "institution_staff", institution_id=institution.id),
        county=_user("donghu", "federation_officer", region_code="360102"),
        city=_user("nanchang", "federation_officer", region_code="3601"),
        province=_user("sheng", "federation_officer", region_code="36"),
        other_county=_user("xihu", "federation_officer", region_code="360103"),
    )
    db.session.flush()
    return built


def answers_for(kind: BaseKind) -> dict[str, str]:
    criteria, _ = services.criteria_for(kind, TODAY, "360102")
    defaults = {"number": "5", "boolean": "yes", "text": "有"}
    answers = {c["code"]: TRAINING_ANSWERS.get(c["code"], defaults[c.get("kind", "text")])
               for c in criteria}
    for c in criteria:  # stay inside any upper bound (an incubation period of at most 3)
        if c.get("max") is not None and c.get("kind") == "number":
            answers[c["code"]] = str(min(int(answers[c["code"]]), c["max"]))
    return answers


def new_application(world: World, kind: BaseKind = BaseKind.TRAINING,
                    level: Level = Level.PROVINCE) -> BaseApplication:
    data = services.ApplicationInput(kind=kind, level_sought=level,
                                     specialties=("massage",), answers=answers_for(kind))
    application = services.create_application(world.institution, data, world.staff, TODAY)
    stored = store_upload(io.BytesIO(PDF), "营业执照.pdf", max_bytes=10 * 1024 * 1024)
    services.add_evidence(application, stored, world.staff)
    db.session.refresh(application)
    return application


def approve(reviewer: User, application: BaseApplication, level: Level) -> None:
    services.review(application, services.ReviewInput(Decision.RECOMMEND, "符合条件"), reviewer,
                    TODAY, level)


def to_notice(world: World, application: BaseApplication) -> None:
    services.submit(application)
    chain = {Level.COUNTY: world.county, Level.CITY: world.city, Level.PROVINCE: world.province}
    for level in (Level.COUNTY, Level.CITY, Level.PROVINCE):
        approve(chain[level], application, level)
        if level == Level(application.level_sought):
            break


def certified(world: World, kind: BaseKind = BaseKind.TRAINING,
              level: Level = Level.PROVINCE):
    application = new_application(world, kind, level)
    to_notice(world, application)
    after_notice = date.fromordinal(application.notice.ends_on.toordinal() + 1)
    certifier = {Level.COUNTY: world.county, Level.CITY: world.city,
                 Level.PROVINCE: world.province}[level]
    return certification.certify(application, certifier, after_notice)


# --- the API: tokens, and the clock of its endpoints ---------------------------------------

API_MODULES = ("applications", "bases", "coverage", "schemas")


def set_today(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """Move the date every /api/v1 bases module reads (each imports local_today)."""
    for module in API_MODULES:
        monkeypatch.setattr(f"trainhub.bases.api.{module}.local_today", lambda: day)


@pytest.fixture
def token(app, make):
    """`token(role, **scope)` → (username, bearer headers) of a new account."""
    def issue(role: str, **scope: Any) -> tuple[str, dict[str, str]]:
        username = make.user(role, **scope)
        with app.app_context():
            user = db.session.scalar(select(User).where(User.username == username))
            _row, secret = accounts.issue_token(user, "test")
            db.session.commit()
        return username, {"Authorization": f"Bearer {secret}"}

    return issue


@pytest.fixture
def actors(make, token) -> SimpleNamespace:
    """Staff of an institution in 东湖区 (360102) and the officers of its chain, with tokens."""
    institution = make.institution("360102")
    return SimpleNamespace(
        institution=institution,
        staff=token("institution_staff", institution_id=institution)[1],
        county=token("federation_officer", region_code="360102")[1],
        city=token("federation_officer", region_code="3601")[1],
        province=token("federation_officer", region_code="36")[1],
    )
