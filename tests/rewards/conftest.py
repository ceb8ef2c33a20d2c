"""Fixtures of the reward declarations: parameters loaded, two enterprises of one county
with a contact each, officers at each level of the region and one beside it, and helpers
that fill a declaration and walk it through the chain."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from trainhub.cli.demo import make_resident_id, uscc
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.core.files import store_upload
from trainhub.core.organisations import Enterprise
from trainhub.core.parameters.defaults import load_defaults
from trainhub.extensions import db
from trainhub.rewards import declarations
from trainhub.rewards.declarations import EmployeeInput
from trainhub.rewards.models import ReviewDecision, ReviewLevel, RewardDeclaration

TODAY = date(2026, 3, 2)
YEAR = 2025
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_seq = itertools.count(1)


@dataclass
class World:
    enterprise: Enterprise
    other_enterprise: Enterprise
    contact: User
    other_contact: User
    county: User
    city: User
    province: User
    other_county: User
    other_city: User


def _user(username: str, role: str, **scope: Any) -> User:
    user = User(username=username, display_name=username, role=role, password_hash="x",
                **scope)
    db.session.add(user)
    return user


@pytest.fixture
def world(ctx) -> World:
    load_defaults()
    first = Enterprise(name="南昌市东湖区康达电子有限公司", region_code="360102",
                       credit_code=uscc("91", "360102", "MA35R0001"))
    second = Enterprise(name="南昌市东湖区明远物流有限公司", region_code="360102",
                        credit_code=uscc("91", "360102", "MA35R0002"))
    db.session.add_all([first, second])
    db.session.flush()
    built = World(
        enterprise=first, other_enterprise=second,
        contact=_user("kangda", "enterprise_contact", enterprise_id=first.id),
        other_contact=_user("mingyuan", "enterprise_contact", enterprise_id=second.id),
        county=_user("donghu", "federation_officer", region_code="360102"),
        city=_user("nanchang", "federation_officer", region_code="3601"),
        province=_user("sheng", "federation_officer", region_code="36"),
        other_county=_user("xihu", "federation_officer", region_code="360103"),
        other_city=_user("jiujiang", "federation_officer", region_code="3604"),
    )
    db.session.flush()
    return built


def id_number(born: date = date(1985, 6, 1), male: bool = True) -> str:
    return make_resident_id("360102", born, next(_seq) % 400 * 2 + (1 if male else 0))


def employee(number: str | None = None, grade: int = 3, **changes: Any) -> EmployeeInput:
    number = number or id_number()
    values: dict[str, Any] = dict(
        name="王小明", id_number=number, cert_number=f"{number}4{grade}",
        certificate_valid_from=date(2020, 1, 1), certificate_valid_until=None,
        contract_start=date(2024, 1, 1), contract_end=None, insurance_months=12,
        monthly_wage_fen=250000)
    values.update(changes)
    return EmployeeInput(**values)


def declaration(world: World, staff: str = "120", persons: int = 4,
                enterprise: Enterprise | None = None,
                contact: User | None = None) -> RewardDeclaration:
    """A draft of YEAR with `persons` countable employees and one evidence file."""
    found = declarations.create_declaration(enterprise or world.enterprise, YEAR,
                                            Decimal(staff), contact or world.contact, TODAY)
    for _ in range(persons):
        declarations.add_employee(found, employee(), TODAY)
    stored = store_upload(io.BytesIO(PDF), "社保缴费证明.pdf", max_bytes=10 * 1024 * 1024)
    declarations.add_evidence(found, stored, contact or world.contact)
    return found


def pass_on(by: User, found: RewardDeclaration, level: ReviewLevel) -> None:
    declarations.review(found, level, ReviewDecision.PASS, "", by)


def budget(region_code: str, year: int, amount_fen: int, by: User) -> None:
    from trainhub.rewards.models import RewardBudget

    db.session.add(RewardBudget(region_code=region_code, year=year, amount_fen=amount_fen,
                                set_by_id=by.id))
    db.session.flush()


def to_city_reviewed(world: World, found: RewardDeclaration) -> None:
    declarations.submit(found, TODAY)
    pass_on(world.county, found, ReviewLevel.COUNTY)
    pass_on(world.city, found, ReviewLevel.CITY)


@pytest.fixture
def bearer(app, make):
    """Issues an API token to a new account of `role` and returns its header."""
    def issue(role: str, **scope: Any) -> dict[str, str]:
        username = make.user(role, **scope)
        with app.app_context():
            user = db.session.scalar(select(User).where(User.username == username))
            _row, secret = accounts.issue_token(user, "test")
            db.session.commit()
        return {"Authorization": f"Bearer {secret}"}
    return issue
