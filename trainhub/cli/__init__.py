"""Command-line tools: `flask --app trainhub demo load`, `regions load`, `users create-admin`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import Role
from trainhub.core.errors import DomainError
from trainhub.core.regions import load_regions
from trainhub.extensions import db

regions_cli = AppGroup("regions", help="Administrative divisions.")
demo_cli = AppGroup("demo", help="Demonstration data.")
users_cli = AppGroup("users", help="Accounts.")
security_cli = AppGroup("security", help="Security reports.")


@security_cli.command("endpoints")
def security_endpoints() -> None:
    """List every endpoint with its methods, path and declared permission."""
    from trainhub.core.policy import declared_permission

    rules = sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule)
    for rule in rules:
        methods = ",".join(sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}))
        permission = declared_permission(current_app.view_functions[rule.endpoint])
        click.echo(f"{methods:<9} {rule.rule:<45} {rule.endpoint:<26} {permission or 'NONE'}")


@regions_cli.command("load")
def regions_load() -> None:
    """Load or refresh the 112 divisions of Jiangxi."""
    count = load_regions()
    db.session.commit()
    click.echo(f"{count} regions loaded")


@demo_cli.command("load")
@click.option("--force", is_flag=True, help="Load even if accounts already exist.")
def demo_load(force: bool) -> None:
    """Create one account per role and a few people, then print the logins."""
    from trainhub.cli.demo import demo_logins, load_demo
    from trainhub.cli.demo_totp import demo_second_factor_note

    logins = load_demo(force=force)
    if logins is None:
        click.echo("The database already has accounts; demo data not loaded again.")
        logins = demo_logins()
    db.session.commit()
    click.echo("Demo accounts (username / password / role):")
    for username, password, label in logins:
        click.echo(f"  {username:<18} {password:<20} {label}")
    click.echo(demo_second_factor_note())


ADMIN_KINDS = {"system": Role.ADMIN, "security": Role.SECURITY_ADMIN,
               "audit": Role.AUDIT_ADMIN}


@users_cli.command("create-admin")
@click.argument("username")
@click.option("--kind", type=click.Choice(sorted(ADMIN_KINDS)), default="system",
              show_default=True,
              help="三员分立: the system (accounts), security (roles, security settings) or "
                   "audit (reads the audit log) administrator. In the application only the "
                   "security administrator gives the security and audit roles, so the first "
                   "one of each is created here.")
@click.password_option(help="At least 12 characters, three character classes.")
def create_admin(username: str, kind: str, password: str) -> None:
    """Create an administrator who must change the password at first sign-in."""
    settings = accounts.settings_from(current_app.config)
    try:
        accounts.create_user(username=username, display_name=username, role=ADMIN_KINDS[kind],
                             password=password, settings=settings, must_change_password=True)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"{kind} administrator {username} created")


def init_app(app: Flask) -> None:
    from trainhub.cli.backup import backup_cli
    from trainhub.cli.jobs import jobs_cli
    from trainhub.cli.province.command import province_command
    from trainhub.core.audit.cli import audit_cli
    from trainhub.core.outbox.cli import outbox_cli
    from trainhub.core.parameters.cli import parameters_cli

    demo_cli.add_command(province_command)

    for group in (regions_cli, demo_cli, users_cli, security_cli, parameters_cli, jobs_cli,
                  backup_cli, outbox_cli):
        app.cli.add_command(group)
    app.cli.add_command(audit_cli)
