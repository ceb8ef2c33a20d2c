"""Several processes on one host (gunicorn workers, RQ jobs forked one at a time) add up
in /metrics through PROMETHEUS_MULTIPROC_DIR, and the RQ worker's jobs share one file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("multiprocess_metrics.py")


def test_processes_add_up_and_jobs_share_their_workers_file(tmp_path):
    env = dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, str(SCRIPT)], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert re.search(r'trainhub_http_request_duration_seconds_count\{endpoint="accounts.login",'
                     r'method="GET",status_class="2xx"\} 2.0', text)
    assert 'trainhub_job_duration_seconds_count{job="trainhub.x:import_file",outcome="done"} 1.0' \
        in text
    assert 'trainhub_job_failures_total{job="trainhub.x:import_file"} 1.0' in text
    job_files = sorted(p.name for p in tmp_path.iterdir() if "rqworker" in p.name)
    assert job_files == [f"counter_rqworker-{n}.db" for n in _worker_pids(job_files)] + \
        [f"histogram_rqworker-{n}.db" for n in _worker_pids(job_files)]


def _worker_pids(names: list[str]) -> list[str]:
    pids = sorted({re.search(r"rqworker-(\d+)", n).group(1) for n in names})
    assert len(pids) == 1  # one worker, two jobs: one file of each kind
    return pids
