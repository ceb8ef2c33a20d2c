"""Prometheus metrics: request latency, job durations and failures, the database pool.

Single process (the development server, a test): the default registry. Several gunicorn
workers and RQ workers on one host: set PROMETHEUS_MULTIPROC_DIR (an empty directory,
emptied at every start of the service, before any process imports prometheus_client);
each process then writes its values to files there and /metrics adds them up across the
web workers and the job workers. gunicorn's `child_exit` hook must call `child_exit`
below, so a dead worker's pool gauges are dropped.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUEST_SECONDS = Histogram(
    "trainhub_http_request_duration_seconds", "Time to answer a request",
    ("endpoint", "method", "status_class"))
JOB_SECONDS = Histogram(
    "trainhub_job_duration_seconds", "Time a background job ran", ("job", "outcome"),
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800))
JOB_FAILURES = Counter("trainhub_job_failures", "Background jobs that raised", ("job",))
# Per process; the multiprocess collector sums the live processes' values.
POOL = Gauge("trainhub_db_pool_connections", "Database pool of this process, by state",
             ("state",), multiprocess_mode="livesum")

_in_job_worker = False


def multiprocess_enabled() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


def observe_request(endpoint: str, method: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(endpoint, method, f"{status // 100}xx").observe(seconds)


def observe_job(job: str, seconds: float, failed: bool) -> None:
    JOB_SECONDS.labels(job, "failed" if failed else "done").observe(seconds)
    if failed:
        JOB_FAILURES.labels(job).inc()


def exposition() -> tuple[bytes, str]:
    """The text Prometheus scrapes: this process's registry, or every process's files."""
    if not multiprocess_enabled():
        return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST


def use_job_worker_identity() -> None:
    """In an RQ worker, before its first job: RQ forks a process per job, one at a time, and
    a file per job's pid would pile up without end. The worker's jobs share one name; each
    forked job reads the values its predecessors left in the file and adds to them."""
    global _in_job_worker
    _in_job_worker = True
    if multiprocess_enabled():
        worker = os.getpid()
        values.ValueClass = values.MultiProcessValue(lambda: f"rqworker-{worker}")


def child_exit(server: Any, worker: Any) -> None:
    """gunicorn's child_exit hook (deploy/gunicorn.conf.py): forget a dead worker's gauges."""
    if multiprocess_enabled():
        multiprocess.mark_process_dead(worker.pid)


def watch_pool(engine: Engine) -> None:
    """Keep the pool gauges current as connections are taken and given back."""
    if not isinstance(engine.pool, QueuePool):
        return  # SQLite's pools have no size

    def changed(*_: Any) -> None:
        # engine.pool, not the pool of now: dispose() replaces it (keeping these listeners).
        pool = engine.pool
        if _in_job_worker or not isinstance(pool, QueuePool):
            return  # a job's own pool is not the web's
        POOL.labels("size").set(pool.size())
        POOL.labels("checked_out").set(pool.checkedout())
        POOL.labels("overflow").set(max(pool.overflow(), 0))

    event.listen(engine.pool, "checkout", changed)
    event.listen(engine.pool, "checkin", changed)
