"""The worker's side of background jobs (`trainhub.core.jobs` queues them): the entry point
RQ calls, which builds the application when the worker has none, and `flask --app trainhub
jobs worker`."""

from __future__ import annotations

import click
from flask import current_app, has_app_context
from flask.cli import AppGroup

from trainhub import create_app
from trainhub.core import jobs
from trainhub.core.observability import metrics
from trainhub.extensions import db

jobs_cli = AppGroup("jobs", help="Background jobs (RQ on Redis).")


def run(target: str, ids: list[int], actor_id: int | None,
        request_id: str | None = None) -> None:
    """What the worker calls (`jobs.WORKER_ENTRY`): the job runs in this application, or
    in one built here when the worker has none. `request_id` is the queuing request's
    (absent from jobs queued before it was passed)."""
    from rq import get_current_job

    app = current_app._get_current_object() if has_app_context() else create_app()  # type: ignore[attr-defined]
    job = get_current_job()
    jobs.run_in(app, target, ids, actor_id, request_id, job.id if job else None)


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Run jobs from the queue (needs REDIS_URL)."""
    from rq import Worker

    if not jobs.is_async():
        raise click.ClickException("REDIS_URL is not set: jobs run in the web process, "
                                   "no worker is needed.")
    # Each job runs in a forked process, which must not share this one's connections.
    db.engine.dispose()
    metrics.use_job_worker_identity()
    queue = jobs.queue()
    Worker([queue], connection=queue.connection).work(burst=burst)
