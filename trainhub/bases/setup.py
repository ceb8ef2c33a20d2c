"""Wires the bases domain into the application."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainhub.bases import api, base_views, coverage_views, display, views  # noqa: F401
    from trainhub.extensions import csrf

    display.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # token-authenticated only; cookies are ignored under /api/
