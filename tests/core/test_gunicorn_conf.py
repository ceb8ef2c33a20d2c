"""deploy/gunicorn.conf.py as gunicorn reads it (issue 14, items 1 and 3): workers from
WEB_CONCURRENCY, forwarded headers left to the app, and no server banner in what a worker
writes. gunicorn is not started: its own loader reads the file, and one of its responses
is written to a fake socket."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gunicorn.http.wsgi
import pytest
from gunicorn.app.base import Application

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


class _Settings(Application):
    """gunicorn's application shell, reading only the configuration file."""

    def init(self, parser: Any, opts: Any, args: Any) -> None:
        return None

    def load_config(self) -> None:
        self.load_config_from_module_name_or_filename(str(CONF))

    def load(self) -> None:
        return None


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Any:
    # Loading the file renames the server in gunicorn's module: put it back afterwards.
    monkeypatch.setattr(gunicorn.http.wsgi, "SERVER", gunicorn.http.wsgi.SERVER)
    monkeypatch.setattr("sys.argv", ["gunicorn"])
    for name in ("WEB_CONCURRENCY", "GUNICORN_BIND", "PORT", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)

    def load(**environment: str) -> Any:
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return _Settings().cfg

    return load


def test_workers_come_from_web_concurrency(settings):
    assert settings(WEB_CONCURRENCY="3").workers == 3
    assert settings().workers >= 3  # 2 x cores + 1 without it


def test_timeouts_access_log_and_preloaded_app(settings):
    cfg = settings(PORT="5100")
    assert cfg.bind == ["127.0.0.1:5100"] and cfg.preload_app is True
    assert (cfg.timeout, cfg.graceful_timeout) == (60, 30)
    assert cfg.accesslog is None  # the app's own line, its secrets masked
    assert settings(GUNICORN_ACCESS_LOG="-").accesslog == "-"
    assert "x-forwarded-for" in cfg.access_log_format


def test_gunicorn_leaves_forwarded_headers_to_the_app(settings):
    cfg = settings()
    assert cfg.forwarded_allow_ips == [] and cfg.secure_scheme_headers == {}


def test_a_response_names_no_server_software(settings):
    settings()
    written: list[bytes] = []
    sock = SimpleNamespace(sendall=written.append)
    request = SimpleNamespace(version=(1, 1), method="GET", should_close=lambda: False)
    response = gunicorn.http.wsgi.Response(request, sock, SimpleNamespace(protocol="http"))
    response.start_response("200 OK", [("Content-Type", "text/plain"),
                                       ("Content-Length", "2")])
    response.write(b"ok")
    head = b"".join(written).decode("latin-1").lower()
    assert "server: trainhub\r\n" in head
    assert "gunicorn" not in head and "werkzeug" not in head
