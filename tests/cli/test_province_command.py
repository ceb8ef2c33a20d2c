"""`demo province` as a command: the same seed gives the same province, another seed
another one; the command prints a line per table and the sign-in accounts; it refuses a
database that already holds data. One transaction for the module, rolled back at the end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import rolled_back
from trainhub.bases.models import Base
from trainhub.cli.province.generate import generate
from trainhub.cli.province.people import load_counties, make_people
from trainhub.cli.province.world import Plan, World
from trainhub.competitions.models import Result
from trainhub.core.accounts.models import User
from trainhub.core.people.models import Person
from trainhub.extensions import db
from trainhub.subsidies.models import Decision
from trainhub.training.models import Attendance, Batch

SCALE, TODAY = "0.002", date(2025, 11, 20)
pytestmark = [pytest.mark.shared_transaction, pytest.mark.xdist_group("province_command")]


@pytest.fixture(scope="module")
def module_app(app: Flask) -> Iterator[Flask]:
    with rolled_back(app):
        yield app


def _province(app: Flask, seed: int) -> tuple[object, ...]:
    """Generate, read back what a reader would compare, and leave nothing behind (the
    context's session is closed without a commit: its savepoint is rolled back)."""
    with app.app_context():
        generate(float(SCALE), seed, TODAY, lambda line: None)
        people = db.session.execute(select(Person.name, Person.id_number, Person.birth_date,
                                           Person.household_region_code)
                                    .order_by(Person.id)).all()
        return (people,
                db.session.scalars(select(Base.certificate_number).order_by(Base.id)).all(),
                db.session.execute(select(Batch.title, Batch.status, Batch.seats_taken)
                                   .order_by(Batch.id)).all(),
                db.session.scalar(select(func.count()).select_from(Attendance)),
                db.session.execute(select(Decision.status, Decision.amount_fen)
                                   .order_by(Decision.id)).all(),
                db.session.execute(select(Result.rank, Result.total).order_by(Result.id)).all())


def test_the_same_seed_gives_the_same_province(module_app):
    first = _province(module_app, 5)
    assert first[0] and first[4]
    assert _province(module_app, 5) == first


def test_another_seed_gives_other_people(module_app):
    def people(seed: int) -> list[tuple[str, str]]:
        world = World(Plan(0.002, seed, TODAY))
        load_counties(world)
        make_people(world)
        return [(p.name, p.id_number) for p in world.people]

    with module_app.app_context():
        assert people(5) == people(5)
        assert people(5) != people(6)


def test_the_command_prints_each_table_and_the_sign_in_accounts(module_app):
    result = module_app.test_cli_runner().invoke(args=[
        "demo", "province", "--scale", SCALE, "--seed", "3", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for table in ("people", "bases", "training_batches", "training_attendance",
                  "subsidy_decisions", "subsidy_budgets", "competition_marks"):
        assert any(line.split()[:1] == [table] and line.endswith(" s") for line in lines), table
    assert "Demo-Pass-2024!" in result.output
    with module_app.app_context():
        signins = set(db.session.scalars(select(User.username).where(User.username.in_(
            ["province.officer", "city.officer", "county.officer", "institution.staff",
             "judge", "chief.judge", "trainee"]))))
    assert len(signins) == 7


def test_a_database_holding_data_is_refused(module_app):
    """A database that holds a province (the previous test's, or one made here when this
    test runs alone or first): nothing is added."""
    with module_app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Person))
    if not before:
        made = module_app.test_cli_runner().invoke(args=[
            "demo", "province", "--scale", SCALE, "--today", TODAY.isoformat()])
        assert made.exit_code == 0, made.output
        with module_app.app_context():
            before = db.session.scalar(select(func.count()).select_from(Person))
    assert before
    result = module_app.test_cli_runner().invoke(args=["demo", "province", "--scale", SCALE])
    assert result.exit_code == 1
    assert "already holds data" in result.output and "people" in result.output
    with module_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Person)) == before


def test_a_database_without_tables_is_refused(tmp_path):
    from tests.conftest import TEST_CONFIG
    from trainhub import create_app

    bare = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/bare.db"))
    # Another module's rolled-back transaction may be open in this process (under xdist
    # its module fixture can still be alive): it binds db.session to the test database,
    # which has tables. The bare app gets a session of its own engine, as in production.
    shared = db.session
    db.session = db._make_scoped_session({})  # type: ignore[method-assign]
    try:
        result = bare.test_cli_runner().invoke(args=["demo", "province", "--scale", SCALE])
    finally:
        with bare.app_context():
            db.session.remove()
        db.session = shared  # type: ignore[method-assign]
    assert result.exit_code == 1 and "db upgrade" in result.output
