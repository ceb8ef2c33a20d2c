"""An application with Flask-Limiter on, for the tests of one limit: the process's test app
has limits off, and switching them on for it would throttle every other test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask

from tests.conftest import TEST_CONFIG
from trainhub import create_app
from trainhub.core.regions import load_regions
from trainhub.extensions import db, limiter


@contextmanager
def limited_app(folder: Path, **config: Any) -> Iterator[Flask]:
    """Limits on, over a SQLite database of its own in `folder`, `config` setting the limits
    under test. The limiter object is shared by every app of the process: it is switched
    off again afterwards, even when create_app fails."""
    was = limiter.enabled
    application = None
    try:
        application = create_app(dict(
            TEST_CONFIG, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/limits.db",
            RATELIMIT_ENABLED=True, **config))
        with application.app_context():
            db.create_all()
            load_regions()
            db.session.commit()
        yield application
    finally:
        limiter.enabled = was
        if application is not None:
            with application.app_context():
                db.engine.dispose()
