"""Wires the bases domain into the application."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainhub.bases import base_views, coverage_views, display, views  # noqa: F401

    display.init_app(app)
    app.register_blueprint(views.bp)
