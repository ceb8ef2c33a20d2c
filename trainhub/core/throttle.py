"""Throttling of lookups by identity number, per user (SECURITY §3, V2.2.1 anti-automation).

Entering a resident ID number to enrol or register someone must not become a way to test
which numbers belong to people of the system: each account may try only so many, counted
together on every page and API endpoint that takes a number (one shared scope), whatever
the address they come from. Flask-Limiter counts (Redis when REDIS_URL is set)."""

from __future__ import annotations

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from trainhub.extensions import limiter

SCOPE = "id-number-lookup"


def per_user() -> str:
    """The signed-in account (session or bearer token); the address otherwise."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def _limit() -> str:
    return str(current_app.config["ID_LOOKUP_RATE_LIMIT"])


# Decorate each view that looks a person up by number (POST only).
id_lookups = limiter.shared_limit(_limit, scope=SCOPE, key_func=per_user, methods=["POST"])
