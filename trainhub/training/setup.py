"""Wires the training domain into the application."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainhub.extensions import csrf
    from trainhub.training import (  # noqa: F401 - rules register policies
        api,
        audit_labels,  # noqa: F401 - names its audit codes
        display,
        notifications,
        rules,
        timeline,  # noqa: F401 - adds a person's training to their page's timeline
    )
    from trainhub.training.views import (  # noqa: F401 - modules register routes
        activation,
        batches,
        bp,
        courses,
        demands,
        exports,
        imports,
        outcomes,
        running,
    )

    display.init_app(app)
    # Training tells trainees what happened to their applications (core.notifications).
    notifications.connect()
    app.register_blueprint(bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # token-authenticated only; cookies are ignored under /api/
