"""The application's database role (issue 14, item 5): migrated by the owner with
TRAINHUB_DB_APP_ROLE set, it may read and append to the audit log and nothing more, so it
can neither rewrite rows nor switch off the triggers that guard them. PostgreSQL only."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from tests.conftest import TEST_CONFIG, postgres_url
from trainhub import create_app
from trainhub.core.audit import roles
from trainhub.core.audit.service import record
from trainhub.core.audit.verify import verify
from trainhub.extensions import db

pytestmark = pytest.mark.postgres_only


@pytest.fixture(scope="module")
def owned_app() -> Iterator[tuple[Flask, str]]:
    """A throw-away database migrated as the owner (postgres here) with an application
    role configured; the role is dropped afterwards."""
    url = postgres_url()
    if not url.startswith("postgresql"):
        pytest.skip("database roles are tested on PostgreSQL (set TEST_DATABASE_URL)")
    base = sa.engine.make_url(url)
    name, role = f"{base.database}_roles", f"trainhub_app_{secrets.token_hex(4)}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        conn.execute(sa.text(f"CREATE ROLE {role} NOLOGIN"))
    application = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=base.set(
        database=name).render_as_string(hide_password=False)))
    patch = pytest.MonkeyPatch()
    patch.setenv(roles.APP_ROLE_VARIABLE, role)
    try:
        with application.app_context():
            upgrade()
        patch.undo()
        yield application, role
    finally:
        patch.undo()
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()


def _privileges(connection: Any, role: str, table: str) -> set[str]:
    kinds = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
    return {kind for kind in kinds if connection.execute(
        sa.text("SELECT has_table_privilege(:role, :table, :kind)"),
        {"role": role, "table": table, "kind": kind}).scalar()}


def test_the_application_role_may_only_read_and_append_to_the_log(owned_app):
    app, role = owned_app
    with app.app_context(), db.engine.connect() as connection:
        assert _privileges(connection, role, "audit_entries") == {"SELECT", "INSERT"}
        assert _privileges(connection, role, "audit_chain_head") == {"SELECT"}
        assert _privileges(connection, role, "alembic_version") == {"SELECT"}
        assert _privileges(connection, role, "users") == {"SELECT", "INSERT", "UPDATE",
                                                          "DELETE"}
        owners = connection.execute(sa.text(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
            "AND tableowner = :role"), {"role": role}).scalar()
        assert owners == 0


@pytest.mark.parametrize("statement", [
    "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update",
    "ALTER TABLE audit_entries DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_entries_no_update ON audit_entries",
    "UPDATE audit_entries SET action = 'edited'",
    "DELETE FROM audit_entries",
    "TRUNCATE audit_entries",
    "UPDATE audit_chain_head SET last_id = 0",
    "SET session_replication_role = replica",
])
def test_the_application_role_cannot_undo_the_guards(owned_app, statement):
    app, role = owned_app
    with app.app_context(), db.engine.connect() as connection:
        connection.execute(sa.text(f"SET ROLE {role}"))
        with pytest.raises(sa.exc.ProgrammingError,
                           match="must be owner|permission denied"):
            connection.execute(sa.text(statement))


def test_the_application_role_appends_to_the_chain(owned_app):
    app, role = owned_app
    with app.app_context():
        db.session.execute(sa.text(f"SET ROLE {role}"))
        record("test.event", object_type="thing", object_id=1)
        db.session.flush()
        assert verify(db.session.connection()).whole
        db.session.rollback()


def test_a_role_that_could_undo_the_guards_is_refused(owned_app):
    app, role = owned_app
    with app.app_context(), db.engine.connect() as connection:
        with pytest.raises(roles.RoleError, match="superuser"):
            roles.check_app_role(connection, "postgres")
        with pytest.raises(roles.RoleError, match="does not exist"):
            roles.check_app_role(connection, "no_such_role_here")
        connection.execute(sa.text("CREATE TABLE owned_by_app (id int)"))
        connection.execute(sa.text(f"ALTER TABLE owned_by_app OWNER TO {role}"))
        with pytest.raises(roles.RoleError, match="owns owned_by_app"):
            roles.check_app_role(connection, role)
        connection.rollback()
