"""Wires the plan report into the application."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainhub.reports import (  # noqa: F401
        audit_labels,  # names its audit codes
        models,  # the table, for the metadata
        rules,  # the permissions, before the views declare them
        views,
    )

    app.register_blueprint(views.bp)
