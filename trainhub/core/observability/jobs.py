"""A background job's log context and metrics: its lines carry the id of the request that
queued it, and its duration and failure are counted under its name."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from trainhub.core.observability import context, metrics

log = logging.getLogger("trainhub.jobs")


@contextmanager
def observed(job: str, request_id: str | None, job_id: str | None = None) -> Iterator[None]:
    token = context.job_fields.set({"request_id": request_id or context.new_request_id(),
                                    "job": job, "job_id": job_id})
    started = time.perf_counter()
    failed = True
    try:
        log.info("job started")
        yield
        failed = False
    finally:
        seconds = time.perf_counter() - started
        metrics.observe_job(job, seconds, failed)
        extra = {"duration_ms": round(seconds * 1000, 1)}
        if failed:
            log.error("job failed", exc_info=True, extra=extra)
        else:
            log.info("job finished", extra=extra)
        context.job_fields.reset(token)
