"""Request ids, structured logs without personal numbers, and the metrics endpoint."""

from __future__ import annotations

import io
import json
import logging
import re
import sys
from collections.abc import Callable, Iterator

import pytest
from flask import Flask, g
from sqlalchemy import select

from tests.conftest import post_form, sign_in
from tests.training.excel_files import excel_site, trainee_rows, workbook
from trainhub.cli import jobs as worker_entry
from trainhub.config import ConfigError
from trainhub.core import jobs, timeutil
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.core.observability import _configure, logs
from trainhub.extensions import db
from trainhub.training import bulk_enrolment

METRICS_TOKEN = "m" * 40
Lines = Callable[[], list[dict]]


@pytest.fixture
def log_lines() -> Iterator[Lines]:
    """What the app's log handler writes, as JSON objects (production's format)."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == logs.HANDLER_NAME)
    stream, formatter = io.StringIO(), handler.formatter
    handler.setStream(stream)
    handler.setFormatter(logs.JsonFormatter())
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        handler.setStream(sys.stderr)  # back to whatever sys.stderr is at each line
        handler.setFormatter(formatter)


# --- request ids ---------------------------------------------------------------------

def test_a_well_formed_request_id_is_kept_and_returned(client, log_lines):
    response = client.get("/login", headers={"X-Request-ID": "nginx-3f2a9c81"})
    assert response.headers["X-Request-ID"] == "nginx-3f2a9c81"
    (line,) = [x for x in log_lines() if x["logger"] == "trainhub.request"]
    assert line["request_id"] == "nginx-3f2a9c81"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/login", 200)
    assert line["duration_ms"] >= 0 and line["level"] == "INFO" and line["time"]


def test_a_reset_links_token_is_not_logged(client, log_lines):
    token = "Zq8x-reset-token-that-would-open-an-account_0123456789ab"
    client.get(f"/password/reset/{token}")
    lines = [x for x in log_lines() if x["logger"] == "trainhub.request"]
    assert lines and lines[-1]["path"] == "/password/reset/[masked]"
    assert all(token not in json.dumps(line) for line in log_lines())


@pytest.mark.parametrize("given", [None, "short", "a b c d e f", "x" * 65, "id\"forged=12",
                                   "13812345678abc"])
def test_any_other_request_id_is_replaced_by_a_new_one(client, given):
    headers = {"X-Request-ID": given} if given is not None else {}
    returned = client.get("/login", headers=headers).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", returned) and returned != given


def test_a_refused_request_has_an_id_and_a_line_with_its_user(app, client, make, log_lines):
    sign_in(client, make.user("trainee"))
    response = client.get("/admin/users")
    assert response.status_code == 403 and response.headers["X-Request-ID"]
    line = [x for x in log_lines() if x["logger"] == "trainhub.request"][-1]
    assert line["status"] == 403 and isinstance(line["user_id"], int)


# --- jobs ----------------------------------------------------------------------------

def test_the_request_id_travels_with_a_queued_job(app, monkeypatch):
    queued = []

    class Queue:
        def enqueue(self, *args, **kwargs):
            queued.append((args, kwargs))
            return type("Job", (), {"id": "j1"})()

    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(jobs, "queue", Queue)
    with app.test_request_context():
        g.request_id = "req-from-the-page"
        jobs.enqueue("trainhub.core.timeutil:local_today")
    ((args, kwargs),) = queued
    assert args == (jobs.WORKER_ENTRY, "trainhub.core.timeutil:local_today", [], None)
    assert kwargs["request_id"] == "req-from-the-page"


def test_the_worker_logs_a_job_under_its_request_id(app, log_lines, monkeypatch):
    monkeypatch.setattr(timeutil, "job_for_test", lambda: logging.getLogger("trainhub").info(
        "working"), raising=False)
    with app.app_context():
        worker_entry.run("trainhub.core.timeutil:job_for_test", [], None, "req-from-the-page")
    lines = [x for x in log_lines() if x.get("job")]
    assert [x["message"] for x in lines] == ["job started", "working", "job finished"]
    assert {x["request_id"] for x in lines} == {"req-from-the-page"}
    assert {x["job"] for x in lines} == {"trainhub.core.timeutil:job_for_test"}


# --- no personal numbers -------------------------------------------------------------

@pytest.mark.parametrize("number", ["360102199005170011", "36010219900517001X",
                                    "36010219900517001143", "13812345678"])
def test_the_mask_hides_id_certificate_and_phone_numbers(number):
    assert logs.mask(f"a {number}, b") == "a [masked], b"
    assert logs.mask(f"号码{number}号") == "号码[masked]号"


def test_lines_go_to_stderr_as_it_is_when_written(capsys):
    logging.getLogger("trainhub").warning("a line for whoever holds stderr now")
    assert "a line for whoever holds stderr now" in capsys.readouterr().err


def test_the_mask_leaves_shorter_numbers():
    assert logs.mask("batch 1234567890 took 12.5 ms") == "batch 1234567890 took 12.5 ms"


def test_no_personal_number_reaches_a_log_line(app, client, make, log_lines, monkeypatch):
    """A search by ID number, a failed import of a whole file, an error quoting a number."""
    site = excel_site(app, make)
    rows = trainee_rows(3, start=300)
    numbers = {str(v) for row in rows for v in row[1:4]} | set(site["ids"]) | {"13812345678"}
    officer = make.user("federation_officer", region_code="3601")
    sign_in(client, officer)
    post_form(client, "/people/search", {"number": site["ids"][0]})
    post_form(client, "/people/search", {"number": rows[0][1]})

    def refuse(*args, **kwargs):
        raise RuntimeError(f"duplicate key (id_number)=({rows[0][1]}) phone {rows[0][3]}")

    monkeypatch.setattr(bulk_enrolment, "_write", refuse)
    sign_in(client, site["staff"])
    roster = f"/training/batches/{site['batch']}/roster"
    response = client.post(f"/training/batches/{site['batch']}/imports", data={
        "csrf_token": _token(client, roster), "file": (io.BytesIO(workbook(rows)), "名单.xlsx"),
        "consent": "y"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    app.logger.warning("a careless line: %s", site["certs"][0])

    text = "\n".join(json.dumps(x, ensure_ascii=False) for x in log_lines())
    assert "job failed" in text or "stopped" in text  # the import's failure was logged
    assert "[masked]" in text  # the numbers reached the log, and were masked
    assert [n for n in numbers | set(site["certs"]) if n in text] == []


def _token(client, page: str) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client, page)


# --- metrics -------------------------------------------------------------------------

def _api_token(app, username: str) -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        _row, secret = accounts.issue_token(user, "metrics test")
        db.session.commit()
        return secret


def test_metrics_need_the_metrics_token(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", None)
    assert client.get("/metrics").status_code == 404  # not configured: not there
    monkeypatch.setitem(app.config, "METRICS_TOKEN", METRICS_TOKEN)
    assert client.get("/metrics").status_code == 401
    admin = make.user("admin")
    sign_in(client, admin)
    assert client.get("/metrics").status_code == 401  # a signed-in admin is not Prometheus
    bearer = {"Authorization": f"Bearer {_api_token(app, admin)}"}
    assert client.get("/metrics", headers=bearer).status_code == 401  # nor an API token
    assert client.get("/metrics", headers={"Authorization": "Bearer " + "m" * 39}
                      ).status_code == 401


def test_metrics_count_requests_and_jobs(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", METRICS_TOKEN)
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    monkeypatch.setattr(timeutil, "failing_job_for_test", lambda: 1 / 0, raising=False)
    client.get("/login")
    with app.test_request_context(), pytest.raises(ZeroDivisionError):
        jobs.enqueue("trainhub.core.timeutil:failing_job_for_test")
    response = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert re.search(r'trainhub_http_request_duration_seconds_count\{endpoint="accounts.login",'
                     r'method="GET",status_class="2xx"\} [1-9]', text)
    assert re.search(r'trainhub_job_failures_total\{job="trainhub.core.timeutil:'
                     r'failing_job_for_test"\} [1-9]', text)
    assert 'trainhub_job_duration_seconds_count{job="trainhub.core.timeutil:failing_job_for_test"' \
        in text
    for state in ("size", "checked_out", "overflow"):  # the pool of this (web) process
        assert re.search(rf'trainhub_db_pool_connections\{{state="{state}"\}} \d', text), state


# --- configuration -------------------------------------------------------------------

@pytest.mark.parametrize(("env", "expected"), [("production", "json"),
                                               ("development", "text"), ("test", "text")])
def test_json_logs_in_production_text_elsewhere(env, expected, monkeypatch):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    app = Flask("x")
    app.config["TRAINHUB_ENV"] = env
    _configure(app)
    assert app.config["LOG_FORMAT"] == expected


@pytest.mark.parametrize("settings", [{"LOG_FORMAT": "xml"}, {"METRICS_TOKEN": "short"}])
def test_bad_observability_settings_refuse_to_start(settings):
    app = Flask("x")
    app.config.update(settings)
    with pytest.raises(ConfigError):
        _configure(app)
