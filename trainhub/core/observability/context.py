"""What a log line says about where it came from: the request (its id, method, path, user)
or the background job (the id of the request that queued it, the job's name and id).

A request keeps its fields in `flask.g` (dropped with the request); a job, which runs outside
any real request, in a context variable set around it by `observability.jobs`.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from typing import Any

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import inspect

HEADER = "X-Request-ID"
# What a proxy (nginx's $request_id) or a calling system may send: a token, not free text,
# so it cannot forge a log line or carry a personal number (no run of 11 digits).
WELL_FORMED = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
LONG_DIGIT_RUN = re.compile(r"\d{11}")

job_fields: ContextVar[dict[str, Any] | None] = ContextVar("trainhub_job_fields", default=None)


def acceptable(value: str | None) -> bool:
    return bool(value and WELL_FORMED.match(value) and not LONG_DIGIT_RUN.search(value))


def new_request_id() -> str:
    while True:
        value = uuid.uuid4().hex
        if not LONG_DIGIT_RUN.search(value):  # never mistaken for a number by the mask
            return value


def request_id_from_headers() -> str:
    given = request.headers.get(HEADER)
    return given if given is not None and acceptable(given) else new_request_id()


def current_request_id() -> str | None:
    """The id to hand to a job queued now: the request's, or the job's own when a job
    queues another."""
    if has_app_context() and g.get("request_id"):
        return str(g.request_id)
    fields = job_fields.get()
    return fields.get("request_id") if fields else None


def fields() -> dict[str, Any]:
    """The context fields of a log record made now: the request's, and a job's name and id
    when a job runs (in the request that queued it when there is no worker)."""
    found: dict[str, Any] = {}
    if has_request_context() and g.get("request_id"):
        found = {"request_id": g.request_id, "method": request.method, "path": _path(),
                 "user_id": _signed_in_user_id()}
    found.update(job_fields.get() or {})
    return found


# URL parts that are secrets in themselves (a password-reset link's token): whoever reads
# the log must not be able to use them.
SECRET_URL_PARTS = ("token",)


def _path() -> str:
    path = request.path
    for name, value in (request.view_args or {}).items():
        if name in SECRET_URL_PARTS and value:
            path = path.replace(str(value), "[masked]")
    return path


def _signed_in_user_id() -> int | None:
    # Only a user already loaded: a log call must never query the database (it may be
    # down) nor refresh an expired instance.
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False) if user is not None else None
    identity = state.identity if state is not None else None
    return int(identity[0]) if identity else None
