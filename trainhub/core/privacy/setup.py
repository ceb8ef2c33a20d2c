"""Wires the privacy pages, rules and command into the application."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainhub.core.privacy import (  # noqa: F401 - modules register labels and rules
        audit_labels,
        models,
        renewal,
        rules,
    )
    from trainhub.core.privacy.cli import privacy_cli
    from trainhub.core.privacy.notice import CURRENT
    from trainhub.core.privacy.views import bp

    app.register_blueprint(bp)  # with renewal's page, registered on it at import
    renewal.init_app(app)
    app.cli.add_command(privacy_cli)
    app.jinja_env.globals["consent_notice"] = CURRENT  # the notice where consent is asked
