"""Run by tests/core/test_metrics_multiprocess.py in a fresh interpreter whose
PROMETHEUS_MULTIPROC_DIR is set before prometheus_client is imported: two forked "web
workers" answer a request each; then an "RQ worker" runs two jobs, each in a process forked
for it as RQ does. Prints the exposition the parent (a third process) scrapes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from trainhub.core.observability import metrics


def in_child(work: Callable[[], None]) -> None:
    pid = os.fork()
    if pid == 0:
        work()
        os._exit(0)
    os.waitpid(pid, 0)


for _ in range(2):
    in_child(lambda: metrics.observe_request("accounts.login", "GET", 200, 0.01))
metrics.use_job_worker_identity()
in_child(lambda: metrics.observe_job("trainhub.x:import_file", 1.5, failed=False))
in_child(lambda: metrics.observe_job("trainhub.x:import_file", 2.5, failed=True))
sys.stdout.write(metrics.exposition()[0].decode())
