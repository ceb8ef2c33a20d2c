"""`flask --app trainhub outbox send`: deliver the messages that are due (retries after a
failure, and messages Redis did not take). Run it every minute (deploy/systemd)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from trainhub.core.outbox.delivery import deliver_due

outbox_cli = AppGroup("outbox", help="Messages (e-mail, SMS) waiting to be delivered.")


@outbox_cli.command("send")
def send() -> None:
    """Deliver every message that is due."""
    click.echo(f"{deliver_due()} message(s) tried")
