"""`flask --app trainhub privacy anonymise [--dry-run]`: for cron or a systemd timer."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from trainhub.core.privacy import anonymise
from trainhub.extensions import db

privacy_cli = AppGroup("privacy", help="Personal information (PIPL).")


@privacy_cli.command("anonymise")
@click.option("--dry-run", is_flag=True, help="Count the people past retention; change "
                                                "nothing (the count is audited).")
def anonymise_command(dry_run: bool) -> None:
    """Anonymise the people whose retention period (privacy.retention_years) has ended."""
    run = anonymise.run(dry_run=dry_run)
    db.session.commit()
    cutoffs = ", ".join(f"{scope}: before {day}" for scope, day in run.cutoffs.items())
    verb = "would be anonymised" if dry_run else "anonymised"
    click.echo(f"{run.count} people {verb} (last use {cutoffs}); "
               f"{run.reward_employees} employees declared for an over-quota reward {verb}")
