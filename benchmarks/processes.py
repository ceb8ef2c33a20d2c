"""1 web process against 2, serving one read page from one PostgreSQL (issue 14, item 2).

gunicorn runs the production configuration (deploy/gunicorn.conf.py, TRAINHUB_ENV=production,
Redis for limits) with 1, then 2 sync workers on the province of `make bench --only pages`
(generated if the database lacks one). A client of a few threads, each request on a new
connection (sync workers close them), GETs the page as a signed-in officer a fixed number
of times; the workers' own CPU time (utime + stime from /proc) is divided by the requests.

Judged: the CPU per request of 2 processes at most GOAL x that of 1, each the least of
ROUNDS interleaved runs (nothing serialises the processes: no lock, no shared in-process
state, no row every request writes), and no answer but 200. Requests per second are
reported: on a 2-core machine the client, the workers and PostgreSQL share the cores, so
throughput cannot double.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from benchmarks.harness import Figure, Report
from benchmarks.province_pages import ensure_province
from trainhub.config import load_config
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.core.security import SESSION_KEY
from trainhub.extensions import db

GOAL = 1.15
PAGE = "/training/batches"  # a list read by officers many times a day
USER = "province.officer"
REQUESTS = int(os.environ.get("BENCH_PROCESS_REQUESTS", "300"))
ROUNDS = 5  # 1 worker, 2 workers, in turn (a shared machine: see _least)
WARM_UP = 150  # per worker: templates, compiled statements, the first connections
CLIENT_THREADS = 4
ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    workers: int
    requests: int
    seconds: float
    cpu_s: float
    answers: Counter[str]

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_s * 1000 / self.requests

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


# --- the server ---------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(app: Any, port: int, workers: int) -> dict[str, str]:
    """The production configuration, with the bench's database, secrets and upload folder."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TRAINHUB_", "FLASK_"))}
    env.update({
        "TRAINHUB_ENV": "production", "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "PUBLIC_BASE_URL": "https://bench.invalid", "SECRET_KEY": app.config["SECRET_KEY"],
        "FIELD_ENCRYPTION_KEYS": app.config["FIELD_ENCRYPTION_KEYS"],
        "BLIND_INDEX_KEY": app.config["BLIND_INDEX_KEY"],
        "UPLOAD_FOLDER": app.config.get("UPLOAD_FOLDER") or "",
        "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers),
        "GUNICORN_LOG_LEVEL": "warning"})
    return env


def _start(app: Any, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    # No recycling during a run (max_requests): a new worker would take its CPU time away.
    command = [gunicorn, "--config", "deploy/gunicorn.conf.py", "--max-requests", "0",
               "--access-logfile", "/dev/null", "trainhub:create_app()"]
    with log.open("ab") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=_environment(app, port, workers),  # noqa: S603 - our own argv
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_answering(server, port, workers, log)
    except BaseException:
        _stop(server)  # never leave a server behind a failed start
        raise
    return server, port


def _wait_until_answering(server: subprocess.Popen[bytes], port: int, workers: int,
                          log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {log.read_text()[-2000:]}")
        if len(_workers(server.pid)) == workers and _status(port, "/healthz") == 200:
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within a minute: {log.read_text()[-2000:]}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def _cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (fields 14 and 15 of /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / TICK


# --- the client ---------------------------------------------------------------------------

def session_cookie(app: Any) -> str:
    """`Cookie:` for a server-side session of USER, signed as the production app signs it."""
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == USER)).one()
        token = accounts.start_session(user, "127.0.0.1")
        db.session.commit()
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert serializer is not None
    name = load_config(ROOT / "instance", {
        "TRAINHUB_ENV": "production", "SECRET_KEY": app.config["SECRET_KEY"],
        "FIELD_ENCRYPTION_KEYS": "x", "BLIND_INDEX_KEY": "x",
        "PUBLIC_BASE_URL": "https://bench.invalid",
        "SQLALCHEMY_DATABASE_URI": "postgresql://", "REDIS_URL": "redis://",
    })["SESSION_COOKIE_NAME"]
    return f"{name}={serializer.dumps({SESSION_KEY: token})}"


def _status(port: int, path: str, cookie: str = "") -> int:
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        answer = connection.getresponse()
        answer.read()
        return answer.status
    except OSError:
        return 0
    finally:
        connection.close()


def _drive(port: int, cookie: str, requests: int) -> tuple[float, Counter[str]]:
    """GET PAGE `requests` times from CLIENT_THREADS threads; (seconds, answers by status)."""
    answers: Counter[str] = Counter()
    left = iter(range(requests))
    lock = threading.Lock()

    def client() -> None:
        while True:
            with lock:
                if next(left, None) is None:
                    return
            status = _status(port, PAGE, cookie)
            with lock:
                answers[str(status or "connection error")] += 1

    threads = [threading.Thread(target=client) for _ in range(CLIENT_THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, answers


def run(app: Any, workers: int, cookie: str, log: Path) -> Run:
    server, port = _start(app, workers, log)
    try:
        _drive(port, cookie, WARM_UP * workers)
        pids = _workers(server.pid)
        before = _cpu_seconds(pids)
        seconds, answers = _drive(port, cookie, REQUESTS)
        cpu = _cpu_seconds(pids) - before
        if sorted(_workers(server.pid)) != sorted(pids):
            answers["worker restarted"] += 1
        return Run(workers, REQUESTS, seconds, cpu, answers)
    finally:
        _stop(server)


def _least(runs: list[Run]) -> float:
    """The least CPU per request of the runs, in seconds: other work on a shared machine
    only ever adds to a process's CPU time (preemption, caches refilled), and adds more
    when two workers need both cores, so the least disturbed run is the one to compare."""
    return min(r.cpu_s / r.requests for r in runs)


def figures(report: Report, app: Any, scale: float) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        print("processes: skipped, needs BENCH_DATABASE_URL=postgresql+psycopg://…", flush=True)
        return
    ensure_province(app, scale)
    cookie = session_cookie(app)
    log = Path(tempfile.mkdtemp(prefix="trainhub-bench-gunicorn-")) / "gunicorn.log"
    runs: dict[int, list[Run]] = {1: [], 2: []}
    for _ in range(ROUNDS):
        for workers, kept in runs.items():
            kept.append(each := run(app, workers, cookie, log))
            print(f"processes: {workers} worker(s): {each.per_second:.1f} requests/s, "
                  f"{each.cpu_ms_per_request:.2f} ms CPU/request, answers "
                  f"{dict(each.answers)}", flush=True)
    answers = {w: sum((r.answers for r in kept), Counter()) for w, kept in runs.items()}
    failures = [f"{w} worker(s) answered {dict(a)}" for w, a in answers.items()
                if set(a) != {"200"}]
    report.add(Figure(
        f"processes: CPU per request of GET {PAGE}, 2 gunicorn workers beside 1 (least "
        f"of {ROUNDS} runs each)", _least(runs[2]), _least(runs[1]), GOAL, ROUNDS,
        {**{f"median ms CPU/request with {w}": round(statistics.median(
            r.cpu_ms_per_request for r in kept), 2) for w, kept in runs.items()},
         **{f"median requests/s with {w}": round(statistics.median(
             r.per_second for r in kept), 1) for w, kept in runs.items()},
         "requests per run": REQUESTS, "client threads": CLIENT_THREADS,
         "cores": os.cpu_count()}, failures))
