"""Wires the over-quota reward domain into the application."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainhub.rewards import models  # noqa: F401 - the tables, for the metadata
