"""The people pages and the API beside `/healthz`, with 5,000 people (× scale, at least 500)
in the officer's scope; a real argon2id sign-in, reported (it costs ~0.15–0.3 s by design)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from benchmarks import pages
from benchmarks.harness import Report, compare
from trainhub.cli.demo import make_resident_id
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import Role
from trainhub.core.people.models import EmploymentStatus
from trainhub.core.people.services import PersonInput, create_person
from trainhub.extensions import db

PEOPLE = 5000
PASSWORD = "Speed-Trial-Pass-42!"  # noqa: S105 - a throw-away database
COUNTIES = ["360102", "360103", "360104", "360111", "360112"]


def _seed(app: Any, people: int) -> str:
    with app.app_context():
        born = date(1970, 1, 1)
        for i in range(people):
            id_number = make_resident_id(COUNTIES[i % 5], born + timedelta(days=i % 9000),
                                         i % 1000)
            create_person(PersonInput(
                name=f"测试{i}", id_number=id_number, cert_number=f"{id_number}{i % 7 + 1}2",
                phone=None, household_region_code=COUNTIES[i % 5],
                employment_status=EmploymentStatus.UNEMPLOYED), date(2026, 1, 1))
        settings = accounts.settings_from(app.config)
        officer = accounts.create_user(username="bench", display_name="bench",
                                       role=Role.FEDERATION_OFFICER, password=PASSWORD,
                                       settings=settings, region_code="3601")
        _token, secret = accounts.issue_token(officer, "bench")
        db.session.commit()
        return secret


def figures(report: Report, app: Any, scale: float) -> None:
    people = max(500, int(PEOPLE * scale))
    secret = _seed(app, people)
    client = app.test_client()
    report.add(compare("sign-in (argon2id)", lambda: app.test_client().post(
        "/login", data={"username": "bench", "password": PASSWORD}),
        lambda: client.get(pages.FLOOR), goal=None, runs=5))
    pages.sign_in(client, "bench")
    report.add(pages.latency(client, f"people list page, {people} people", "/people/?page=3",
                             goal=5))
    report.add(pages.latency(client, "home page", "/", goal=5))
    headers = {"Authorization": f"Bearer {secret}"}
    report.add(compare(f"API people page, {people} people",
                       lambda: client.get("/api/v1/people?page=3", headers=headers),
                       lambda: client.get(pages.FLOOR), goal=5, runs=15))
