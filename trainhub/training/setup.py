"""Wires the training domain into the application."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from trainhub.training import display, models, rules  # noqa: F401

    display.init_app(app)
