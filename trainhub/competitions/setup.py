"""Wires the competitions domain into the application."""

from __future__ import annotations

import importlib
import pkgutil

from flask import Flask


def init_app(app: Flask) -> None:
    from trainhub.competitions import (  # noqa: F401 - tables, policies
        api,
        audit_labels,  # noqa: F401 - names its audit codes
        models,
        notifications,
        rules,
        timeline,  # noqa: F401 - adds a person's entries and results to their timeline
        views,
    )
    from trainhub.extensions import csrf

    # Competitions tell contestants of their entries and results (core.notifications).
    notifications.connect()

    # Every module of the views package registers its routes on the one blueprint.
    for module in pkgutil.iter_modules(views.__path__):
        importlib.import_module(f"{views.__name__}.{module.name}")
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # token-authenticated only; cookies are ignored under /api/
