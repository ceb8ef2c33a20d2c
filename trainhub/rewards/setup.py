"""Wires the over-quota reward domain into the application."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainhub.extensions import csrf
    from trainhub.rewards import (  # noqa: F401
        api,
        audit_labels,  # names its audit codes
        budget_api,  # routes on api.bp
        models,  # the tables, for the metadata
        rules,  # the permissions, before the views declare them
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # token-authenticated only; cookies are ignored under /api/
