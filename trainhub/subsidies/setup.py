"""Wires the subsidies domain into the application."""

from __future__ import annotations

import importlib
import pkgutil

from flask import Flask


def init_app(app: Flask) -> None:
    from trainhub.extensions import csrf
    from trainhub.subsidies import (  # noqa: F401
        api,
        audit_labels,  # noqa: F401 - names its audit codes
        models,
        notifications,
        recompute,
        rules,
        timeline,  # noqa: F401 - adds a person's subsidies to their page's timeline
        views,
        vouchers,
    )
    from trainhub.training import signals

    recompute.register()
    # Training announces what happens to seats and batches; subsidies listen (blinker keeps
    # one connection per receiver, however many apps are created).
    signals.seat_taken.connect(vouchers.on_seat_taken)
    signals.seats_taken_together.connect(vouchers.on_seats_taken_together)
    signals.seat_released.connect(vouchers.on_seat_released)
    signals.batch_cancelled.connect(vouchers.on_batch_cancelled)
    # Subsidies tell trainees of their own decisions and vouchers (core.notifications).
    notifications.connect()

    # Every module of the views package registers its routes on the one blueprint.
    for module in pkgutil.iter_modules(views.__path__):
        importlib.import_module(f"{views.__name__}.{module.name}")
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # token-authenticated only; cookies are ignored under /api/
