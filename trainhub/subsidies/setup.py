"""Wires the subsidies domain into the application."""

from __future__ import annotations

import importlib
import pkgutil

from flask import Flask


def init_app(app: Flask) -> None:
    from trainhub.extensions import csrf
    from trainhub.subsidies import api, models, recompute, rules, views  # noqa: F401 - policies

    recompute.register()

    # Every module of the views package registers its routes on the one blueprint.
    for module in pkgutil.iter_modules(views.__path__):
        importlib.import_module(f"{views.__name__}.{module.name}")
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # token-authenticated only; cookies are ignored under /api/
