"""Wires the bases domain into the application."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainhub.bases import (  # noqa: F401
        api,
        audit_labels,  # noqa: F401 - names its audit codes
        base_views,
        coverage_views,
        display,
        views,
    )
    from trainhub.extensions import csrf

    display.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # token-authenticated only; cookies are ignored under /api/
