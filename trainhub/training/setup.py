"""Wires the training domain into the application."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainhub.training import display, rules  # noqa: F401 - rules register policies
    from trainhub.training.views import (  # noqa: F401 - modules register routes
        batches,
        bp,
        courses,
        demands,
        outcomes,
        running,
    )

    display.init_app(app)
    app.register_blueprint(bp)
