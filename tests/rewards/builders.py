"""Reward declarations in each state of the workflow, for view tests and the permission
matrix. Each call commits in its own application context and returns ids; the enterprise
lies in 南昌市东湖区 (360102) and none of the matrix actors is its contact."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask import Flask

from tests.rewards.conftest import PDF, employee
from trainhub.core.accounts.models import User
from trainhub.core.files import store_upload
from trainhub.core.organisations import Enterprise
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.rewards import approval, declarations
from trainhub.rewards.models import (
    ReviewDecision,
    ReviewLevel,
    RewardBudget,
    RewardDeclaration,
)

# The states after submission, in order: a part named here is walked up to it.
STEPS = ("county_reviewed", "city_reviewed", "in_notice", "approved")


def _officer(code: str, tag: str) -> User:
    user = User(username=f"reward-{code}-{tag}", display_name=code, role="federation_officer",
                region_code=code, password_hash="x")
    db.session.add(user)
    db.session.flush()
    return user


def _walk(found: RewardDeclaration, steps: tuple[str, ...], today: Any,
          objection: bool) -> None:
    """County and city pass it on; the notice opens (ended by now, with one open objection
    when `objection`); "approved" within a budget of the province for the year."""
    county, city = _officer("360102", str(found.id)), _officer("3601", str(found.id))
    declarations.review(found, ReviewLevel.COUNTY, ReviewDecision.PASS, "", county)
    if "city_reviewed" in steps:
        declarations.review(found, ReviewLevel.CITY, ReviewDecision.PASS, "", city)
    if "in_notice" in steps:
        approval.open_notice(found, today - timedelta(days=30))
        if objection:
            approval.record_objection(found, today, "", "异议", city, today)
    if "approved" in steps:
        if db.session.query(RewardBudget).filter_by(region_code="36",
                                                    year=today.year).first() is None:
            db.session.add(RewardBudget(region_code="36", year=today.year, amount_fen=10**9,
                                        set_by_id=city.id))
            db.session.flush()
        approval.approve(found, city, today)


def build(app: Flask, make: Any, *parts: str, enterprise_id: int | None = None,
          contact: str | None = None, year: int | None = None) -> dict[str, Any]:
    """Only the `parts` asked for, each a declaration of last year by its own enterprise:
    "draft" (one employee, one evidence file: "draft_employee", "draft_evidence"),
    "submitted" (at the county step: "submitted_evidence"), then each of STEPS (an
    "in_notice" one with an open objection: "in_notice_objection"). `enterprise_id` and
    `contact` give the draft's enterprise and its contact, `year` its year (last year by
    default). "notice_over": under a notice that has ended, without an objection."""
    ids: dict[str, Any] = {}
    today = local_today()
    for part in parts:
        owner = enterprise_id if part == "draft" and enterprise_id else make.enterprise("360102")
        username = contact if part == "draft" and contact else make.user(
            "enterprise_contact", enterprise_id=owner)
        with app.app_context():
            enterprise = db.session.get(Enterprise, owner)
            user = db.session.query(User).filter_by(username=username).one()
            found = declarations.create_declaration(
                enterprise, year if part == "draft" and year else today.year - 1, Decimal(120),
                user, today)
            declarations.add_employee(found, employee(), today)
            stored = store_upload(io.BytesIO(PDF), "社保证明.pdf", max_bytes=1 << 20)
            declarations.add_evidence(found, stored, user)
            if part != "draft":
                declarations.submit(found, today)
            step = "in_notice" if part == "notice_over" else part
            if step in STEPS:
                _walk(found, STEPS[:STEPS.index(step) + 1], today, part == "in_notice")
            ids[part] = found.id
            ids[f"{part}_employee"] = found.employees[0].id
            ids[f"{part}_evidence"] = found.evidence[0].id
            ids[f"{part}_contact"] = username
            if found.objections:
                ids[f"{part}_objection"] = found.objections[0].id
            db.session.commit()
    return ids
