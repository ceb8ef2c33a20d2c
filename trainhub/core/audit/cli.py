"""`flask --app trainhub audit verify`: is the audit chain whole? `audit grant-app-role`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from trainhub.core.audit import roles
from trainhub.core.audit.verify import verify
from trainhub.extensions import db

audit_cli = AppGroup("audit", help="The audit log.")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Check every row's hash and link in id order; exit 1 at the first broken link."""
    verdict = verify(db.session.connection())
    db.session.rollback()  # it only read
    if not verdict.whole:
        raise click.ClickException(f"audit chain broken after {verdict.rows} whole rows: "
                                   f"{verdict.problem}")
    click.echo(f"audit chain whole: {verdict.rows} rows, last row #{verdict.last_id}, "
               f"head hash {verdict.last_hash}")


@audit_cli.command("grant-app-role")
@click.argument("role")
def audit_grant_app_role(role: str) -> None:
    """As the schema's owner on PostgreSQL: give the application's ROLE its rights (only
    SELECT and INSERT on the audit log), as the migration does when TRAINHUB_DB_APP_ROLE
    is set. For a role created after the migrations ran."""
    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("database roles exist on PostgreSQL only")
    try:
        roles.grant_app_role(db.session.connection(), role)
    except roles.RoleError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"role {role}: SELECT and INSERT on audit_entries, the rest of the schema "
               "to read and write")
