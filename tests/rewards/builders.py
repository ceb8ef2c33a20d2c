"""Reward declarations in each state of the workflow, for view tests and the permission
matrix. Each call commits in its own application context and returns ids; the enterprise
lies in 南昌市东湖区 (360102) and none of the matrix actors is its contact."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from flask import Flask

from tests.rewards.conftest import PDF, employee
from trainhub.core.accounts.models import User
from trainhub.core.files import store_upload
from trainhub.core.organisations import Enterprise
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.rewards import declarations
from trainhub.rewards.models import ReviewDecision, ReviewLevel


def build(app: Flask, make: Any, *parts: str, enterprise_id: int | None = None,
          contact: str | None = None) -> dict[str, Any]:
    """Only the `parts` asked for, each a declaration of last year by its own enterprise:
    "draft" (one employee, one evidence file: "draft_employee", "draft_evidence"),
    "submitted" (at the county step: "submitted_evidence"), "county_reviewed" (at the city
    step). `enterprise_id` and `contact` give the draft's enterprise and its contact."""
    ids: dict[str, Any] = {}
    today = local_today()
    for part in parts:
        owner = enterprise_id if part == "draft" and enterprise_id else make.enterprise("360102")
        username = contact if part == "draft" and contact else make.user(
            "enterprise_contact", enterprise_id=owner)
        with app.app_context():
            enterprise = db.session.get(Enterprise, owner)
            user = db.session.query(User).filter_by(username=username).one()
            found = declarations.create_declaration(enterprise, today.year - 1, Decimal(120),
                                                    user, today)
            declarations.add_employee(found, employee(), today)
            stored = store_upload(io.BytesIO(PDF), "社保证明.pdf", max_bytes=1 << 20)
            declarations.add_evidence(found, stored, user)
            if part != "draft":
                declarations.submit(found, today)
            if part == "county_reviewed":
                county = User(username=f"reward-county-{found.id}", display_name="county",
                              role="federation_officer", region_code="360102",
                              password_hash="x")
                db.session.add(county)
                db.session.flush()
                declarations.review(found, ReviewLevel.COUNTY, ReviewDecision.PASS, "", county)
            ids[part] = found.id
            ids[f"{part}_employee"] = found.employees[0].id
            ids[f"{part}_evidence"] = found.evidence[0].id
            ids[f"{part}_contact"] = username
            db.session.commit()
    return ids
