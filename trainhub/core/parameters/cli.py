"""`flask --app trainhub parameters load`: the shipped parameters and their defaults."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from trainhub.core.parameters.defaults import load_defaults
from trainhub.core.parameters.models import PROVINCE
from trainhub.core.regions import Region, load_regions
from trainhub.extensions import db

parameters_cli = AppGroup("parameters", help="Dated parameters.")


@parameters_cli.command("load")
def parameters_load() -> None:
    """Create the missing parameters with their defaults; existing values are kept."""
    if db.session.get(Region, PROVINCE) is None:
        load_regions()  # values are scoped to regions
    created = load_defaults()
    db.session.commit()
    click.echo(f"{created} parameters added")
