"""PostgreSQL roles: the schema's owner runs the migrations, the application connects as
another role that may only read and append to the audit log.

Triggers guard the log, but a table's owner (or a superuser) can disable them: so the
application's role must own nothing. The owner role runs `flask db upgrade` with
TRAINHUB_DB_APP_ROLE naming the application's role, and the migration that builds the
hash chain grants it what these statements say (README, "审计日志 · Audit log").
"""

from __future__ import annotations

import os

from sqlalchemy import text
from sqlalchemy.engine import Connection

APP_ROLE_VARIABLE = "TRAINHUB_DB_APP_ROLE"


class RoleError(RuntimeError):
    pass


def configured_app_role() -> str:
    return os.environ.get(APP_ROLE_VARIABLE, "").strip()


def check_app_role(connection: Connection, role: str) -> None:
    """Refuse a role that could undo the guards: missing, superuser, or owner of a table."""
    found = connection.execute(text("SELECT rolsuper, rolbypassrls FROM pg_roles "
                                     "WHERE rolname = :role"), {"role": role}).first()
    if found is None:
        raise RoleError(f"{APP_ROLE_VARIABLE}: role {role!r} does not exist; create it first")
    if found.rolsuper:
        raise RoleError(f"{APP_ROLE_VARIABLE}: role {role!r} is a superuser, which can "
                        "disable the audit log's triggers")
    owned = connection.execute(text(
        "SELECT string_agg(tablename, ', ') FROM pg_tables "
        "WHERE schemaname = current_schema() AND tableowner = :role"), {"role": role}).scalar()
    if owned:
        raise RoleError(f"{APP_ROLE_VARIABLE}: role {role!r} owns {owned}; as a superuser run "
                        f"REASSIGN OWNED BY {role} TO <owner role> first")


def app_role_statements(role: str, schema: str) -> list[str]:
    """Everything on every table and sequence of the schema (and those later migrations
    create), except the audit log: SELECT and INSERT there, SELECT on its head and on
    the schema's revision, and the one function that appends (it locks the head)."""
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        f"REVOKE ALL ON audit_entries, audit_chain_head, alembic_version FROM {role}",
        f"GRANT SELECT, INSERT ON audit_entries TO {role}",
        f"GRANT SELECT ON audit_chain_head, alembic_version TO {role}",
        f"GRANT EXECUTE ON FUNCTION audit_chain_take(integer) TO {role}",
    ]


def grant_app_role(connection: Connection, role: str) -> None:
    """Check the role, then grant it its rights in the current schema (run as the owner)."""
    check_app_role(connection, role)
    quote = connection.dialect.identifier_preparer.quote
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    for statement in app_role_statements(quote(role), quote(schema)):
        connection.execute(text(statement))
