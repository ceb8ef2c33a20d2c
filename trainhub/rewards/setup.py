"""Wires the over-quota reward domain into the application."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainhub.rewards import (  # noqa: F401
        audit_labels,  # names its audit codes
        models,  # the tables, for the metadata
        rules,  # the permissions, before the views declare them
        views,
    )

    app.register_blueprint(views.bp)
