"""Background jobs: RQ on Redis when REDIS_URL is set, otherwise run at once, in-process.

A job is the dotted path of a function inside `trainhub` and the ids of the records it
works on. Only ids travel: the queue lives in Redis, outside the database's encryption and
audit, so personal data never goes there. The job runs on behalf of the user who started
it, so the audit rows it writes name that user, as they would in the request.

Without Redis (the zero-setup SQLite install) the job runs inside the request that
started it: the page that follows shows its end state. Workers: `flask --app trainhub jobs
worker` on any number of hosts that share the database and the upload folder; the worker's
entry point, which builds the app when it has none, is `trainhub.cli.jobs`.
"""

from __future__ import annotations

import importlib
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Executable

from trainhub.core.observability import context
from trainhub.core.observability.jobs import observed
from trainhub.extensions import db

DEFAULT_QUEUE = "trainhub"
# An import of a few thousand rows takes seconds; a stuck job is stopped after this.
JOB_TIMEOUT_SECONDS = 30 * 60
# Workers keep a finished job's record for a day (ids only), a failed one for a week.
RESULT_TTL_SECONDS = 24 * 3600
FAILURE_TTL_SECONDS = 7 * 24 * 3600
ALLOWED_PREFIX = "trainhub."
# What the worker calls, named rather than imported: the core does not build the app.
WORKER_ENTRY = "trainhub.cli.jobs.run"


class QueueUnavailable(RuntimeError):
    """Redis did not take the job; the caller marks its record as not started."""


def is_async() -> bool:
    return bool(current_app.config.get("REDIS_URL"))


def _connection() -> Any:
    from redis import Redis

    return Redis.from_url(current_app.config["REDIS_URL"])


def queue() -> Any:
    from rq import Queue

    name = current_app.config.get("JOBS_QUEUE") or DEFAULT_QUEUE
    return Queue(name, connection=_connection(), default_timeout=JOB_TIMEOUT_SECONDS)


def enqueue(target: str, *ids: int, actor_id: int | None = None) -> str | None:
    """Run `target(*ids)` in a worker, or now when there is no Redis. Returns RQ's job id
    (None when it ran in-process)."""
    _resolve(target)  # a typo fails here, in the request, not later in a worker
    if any(not isinstance(i, int) or isinstance(i, bool) for i in ids):
        raise TypeError("jobs take record ids only")
    request_id = context.current_request_id()  # the worker's log lines carry it
    if not is_async():
        with observed(target, request_id):
            _resolve(target)(*ids)
        return None
    try:
        # The request id as a keyword: the positional arguments stay the record ids.
        job = queue().enqueue(WORKER_ENTRY, target, list(ids), actor_id, request_id=request_id,
                              job_timeout=JOB_TIMEOUT_SECONDS, result_ttl=RESULT_TTL_SECONDS,
                              failure_ttl=FAILURE_TTL_SECONDS)
    except Exception as error:  # redis.ConnectionError and the like
        raise QueueUnavailable(str(error)) from error
    return str(job.id)


def run_in(app: Flask, target: str, ids: list[int], actor_id: int | None,
           request_id: str | None = None, job_id: str | None = None) -> None:
    """Run a job of `app`: a fresh application context (so a fresh database session) and a
    request context in which `current_user` is the user who started the job. Its log
    lines carry `request_id`, the id of the request that queued it."""
    with app.app_context(), app.test_request_context(), observed(target, request_id, job_id):
        if actor_id is not None:
            _act_as(actor_id)
        _resolve(target)(*ids)


def _act_as(user_id: int) -> None:
    from trainhub.core.accounts.models import User

    # Flask-Login's current_user reads g._login_user inside a request context; setting it
    # here (as login_user does) makes the audit helper attribute the job's rows.
    g._login_user = db.session.get(User, user_id)


def _resolve(target: str) -> Any:
    module, _, name = target.partition(":")
    if not module.startswith(ALLOWED_PREFIX) or not name:
        raise ValueError(f"not a job of this application: {target!r}")
    return getattr(importlib.import_module(module), name)


def commit_aside(statement: Executable) -> None:
    """Run one statement in a short transaction of its own, on a connection of its own.

    For what others must see while the job's own transaction is still open (its progress):
    on PostgreSQL the job's changes stay invisible until it commits, this row does not.
    The statement must not touch rows the job's transaction has written, or it would wait
    for that transaction (and the job for it). Skipped on SQLite, where the job's
    transaction is the one writer allowed at a time; the end state is committed with the
    job's work.
    """
    if db.engine.dialect.name == "sqlite":
        return
    with db.engine.begin() as connection:
        connection.execute(statement)

