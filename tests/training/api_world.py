"""What the training API tests share: actors holding real bearer tokens, request bodies,
people with their (plain) ID numbers, and a clock the API modules read."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.training import builders
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import LOCAL_TZ, local_today, to_local
from trainhub.extensions import db

API = "/api/v1/training"
API_MODULES = ("demands", "batches", "lifecycle", "enrolments", "running")
Headers = dict[str, str]


def set_clock(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """Move the date and the time every /api/v1 training module reads (each imports
    local_today and utcnow)."""
    for name in API_MODULES:
        module = importlib.import_module(f"trainhub.training.api.{name}")
        if hasattr(module, "local_today"):
            monkeypatch.setattr(module, "local_today", lambda: to_local(moment).date())
        if hasattr(module, "utcnow"):
            monkeypatch.setattr(module, "utcnow", lambda: moment)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in China, aware."""
    return datetime.combine(day, time(hour, minute), LOCAL_TZ)


def bearer(user: User) -> Headers:
    _row, secret = accounts.issue_token(user, "test")
    return {"Authorization": f"Bearer {secret}"}


@dataclass
class Actors:
    """An institution in 南昌市东湖区 (360102) with two certified bases (one expiring in
    twelve days), its staff, the officers above and beside it, and an enterprise."""

    staff: Headers
    county: Headers
    city: Headers
    other_county: Headers
    enterprise: Headers
    other_staff: Headers
    base_id: int
    short_base_id: int
    enterprise_id: int


def make_actors(app: Any) -> Actors:
    with app.app_context():
        today = local_today()
        owner = builders.institution("360102")
        county = builders.user("federation_officer", region_code="360102")
        base = builders.base(owner, certifier=county, valid_from=today - timedelta(days=400),
                             valid_until=today + timedelta(days=700))
        short = builders.base(owner, certifier=county, valid_from=today - timedelta(days=400),
                              valid_until=today + timedelta(days=12))
        ent = builders.enterprise("360102")
        stranger = builders.institution("360103")
        made = Actors(
            staff=bearer(builders.user("institution_staff", institution_id=owner.id)),
            county=bearer(county),
            city=bearer(builders.user("federation_officer", region_code="3601")),
            other_county=bearer(builders.user("federation_officer", region_code="360103")),
            enterprise=bearer(builders.user("enterprise_contact", enterprise_id=ent.id)),
            other_staff=bearer(builders.user("institution_staff", institution_id=stranger.id)),
            base_id=base.id, short_base_id=short.id, enterprise_id=ent.id)
        db.session.commit()
    return made


# Resident ID number → the activation code the person holds (see enrol_body).
CODES: dict[str, str] = {}


def people(app: Any, count: int) -> list[str]:
    """Registered people in 东湖区, each holding an activation code; returns their resident
    ID numbers."""
    from trainhub.core.accounts import activation
    from trainhub.core.accounts.claims import claim_settings_from
    from trainhub.core.timeutil import utcnow

    with app.app_context():
        issuer = builders.user("institution_staff", institution_id=builders.institution().id)
        numbers = []
        for _ in range(count):
            person = builders.person("360102")
            _row, code = activation.issue(person, issuer, claim_settings_from(app.config),
                                          utcnow())
            CODES[person.id_number] = code
            numbers.append(person.id_number)
        db.session.commit()
    return numbers


def enrol_body(number: str) -> dict[str, str]:
    """Staff enrolling the person at once: the number with the code the person showed them
    (their agreement)."""
    return {"id_number": number, "activation_code": CODES[number],
            "paper_consent": True}


def demand_body(**changes: Any) -> dict[str, Any]:
    body = {"title": "招聘保健按摩师", "occupation": "保健按摩师", "category": "massage",
            "head_count": 10, "region_code": "360102", "monthly_wage_fen": 350000,
            "hire_commitment": 5, "deadline": str(local_today() + timedelta(days=30))}
    return {**body, **changes}


def batch_body(base_id: int, start: date, days: int = 5, **changes: Any) -> dict[str, Any]:
    body = {"base_id": base_id, "title": "盲人保健按摩培训班", "category": "massage",
            "occupation": "保健按摩师", "training_type": "employment_skills",
            "certificate_type": "skill_level", "certificate_level": "junior",
            "delivery": "in_person", "delivery_models": ["order"], "provisions": ["braille"],
            "start_date": str(start), "end_date": str(start + timedelta(days=days - 1)),
            "capacity": 30, "fee_fen": 150000, "admission": "auto"}
    return {**body, **changes}


def session_body(day: date, start_hour: int = 9, length: int = 8,
                 hours: str = "7.5") -> dict[str, str]:
    """A session on `day`, written with the +08:00 offset."""
    starts = at(day, start_hour)
    return {"starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=length)).isoformat(),
            "hours": hours, "mode": "in_person", "topic": "实操"}


def count(app: Any, model: Any, *where: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model).where(*where))
                   or 0)
