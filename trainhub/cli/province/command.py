"""The click command: options, the progress table, the sign-in accounts, the commit."""

from __future__ import annotations

from datetime import datetime
from time import perf_counter

import click
from flask import current_app
from flask.cli import with_appcontext

from trainhub.cli import demo_guard
from trainhub.cli.demo import DEMO_PASSWORD
from trainhub.cli.demo_totp import demo_second_factor_note, enrol_demo_accounts
from trainhub.core.sets import refresh_statistics
from trainhub.core.timeutil import local_today
from trainhub.extensions import db


@click.command("province")
@click.option("--scale", type=click.FloatRange(min=0, min_open=True, max=5), default=1.0,
              show_default=True, help="Multiplies every count (1.0: ~100,000 people).")
@click.option("--seed", type=int, default=13, show_default=True,
              help="Same seed, scale and day: the same province.")
@click.option("--today", "today_text", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day the province is seen from (default: today in China).")
@with_appcontext
def province_command(scale: float, seed: int, today_text: datetime | None) -> None:
    """Generate a province into an empty database: bases with gaps in coverage, batches of
    the four orders, trainees, attendance, subsidies, a competition."""
    from trainhub.cli.province.generate import Refused, generate

    demo_guard.refuse_production(current_app.config)
    today = today_text.date() if today_text else local_today()
    click.echo(f"Generating a province: scale {scale}, seed {seed}, seen from {today}.")
    try:
        world = generate(scale, seed, today, click.echo)
    except Refused as refusal:
        db.session.rollback()
        raise click.ClickException(str(refusal)) from None
    enrol_demo_accounts()  # the demo's published TOTP key for staff accounts
    started = perf_counter()
    db.session.commit()
    click.echo(f"  {'(commit)':<30} {'':>10}      {perf_counter() - started:8.1f} s")
    started = perf_counter()
    refresh_statistics(db.session.connection())
    db.session.commit()
    click.echo(f"  {'(analyze)':<30} {'':>10}      {perf_counter() - started:8.1f} s")
    seconds = world.facts["seconds"]
    click.echo(f"Done in {seconds:.0f} s. Sign-in accounts (password {DEMO_PASSWORD}):")
    for username in world.signins:
        click.echo(f"  {username}")
    click.echo(demo_second_factor_note())
