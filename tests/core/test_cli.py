"""Command-line tools: demo data, regions, administrator creation."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import sign_in
from trainhub.cli.demo import DEMO_PASSWORD, demo_logins, make_resident_id
from trainhub.competitions.catalog import EventStatus
from trainhub.competitions.models import Event, Result
from trainhub.core import idnumbers
from trainhub.core.accounts.models import Role, User
from trainhub.core.people.models import Person
from trainhub.core.timeutil import local_today
from trainhub.extensions import db


def test_demo_load_creates_one_account_per_role_and_prints_logins(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "nanchang.officer" in result.output and DEMO_PASSWORD in result.output
    with app.app_context():
        roles = set(db.session.scalars(select(User.role)))
        assert roles == {role.value for role in Role}  # the three administrators too
        regions = set(db.session.scalars(
            select(User.region_code).where(User.role == "federation_officer")))
        assert {"36", "3601", "360102"} <= regions
        people = db.session.scalars(select(Person)).all()
        assert len({p.disability_category for p in people}) >= 3
        for person in people:  # synthetic, but valid by every rule
            idnumbers.parse_disability_certificate(person.cert_number, local_today(),
                                                   resident_id=person.id_number)
        # One competition is over and published: its public results and medal table open.
        published = db.session.scalars(select(Event).where(
            Event.status == EventStatus.PUBLISHED)).all()
        rows = db.session.scalars(select(Result).where(
            Result.event_id == published[0].id)).all()
        assert len(published) == 1 and len(rows) == 4
        assert any(r.award for r in rows) and all(r.verification_code for r in rows if r.award)
        event_id, competition_id = published[0].id, published[0].competition_id
    visitor = app.test_client()
    assert visitor.get(f"/competitions/events/{event_id}/results").status_code == 200
    medals = visitor.get(f"/competitions/{competition_id}/results")
    assert medals.status_code == 200 and 'id="medal-table"' in medals.get_data(as_text=True)
    trainee = app.test_client()
    sign_in(trainee, "trainee3")  # the demo trainee who took part
    assert "手工编织" in trainee.get("/competitions/mine").get_data(as_text=True)
    again = app.test_cli_runner().invoke(args=["demo", "load"])
    assert "not loaded again" in again.output
    with app.app_context():
        # One per demo login printed, every one of them able to sign in.
        assert db.session.scalar(select(func.count()).select_from(User)) == len(demo_logins())


def test_create_admin_must_change_password(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create-admin", "root.admin"], input="Strong-Admin-Pass-9\n" * 2)
    assert result.exit_code == 0, result.output
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "root.admin"))
        assert admin.role == "admin" and admin.must_change_password


def test_the_first_security_and_audit_administrators_are_created_here(app):
    """The application lets only a security administrator give these roles (三员分立)."""
    for kind, role in (("security", "security_admin"), ("audit", "audit_admin")):
        result = app.test_cli_runner().invoke(
            args=["users", "create-admin", "--kind", kind, f"first.{kind}"],
            input="Strong-Admin-Pass-9\n" * 2)
        assert result.exit_code == 0, result.output
        with app.app_context():
            user = db.session.scalar(select(User).where(User.username == f"first.{kind}"))
            assert user.role == role and user.must_change_password


def test_create_admin_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create-admin", "weak.admin"], input="password\npassword\n")
    assert result.exit_code != 0


def test_resident_ids_of_the_demo_generator_are_valid():
    number = make_resident_id("360702", local_today().replace(year=1990), 271)
    assert idnumbers.parse_resident_id(number, local_today()).sex == "M"
