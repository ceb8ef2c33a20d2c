"""Observability: request ids, structured logs and Prometheus metrics.

Configuration (environment variables, or the app's config mapping):
- LOG_FORMAT: `json` (one object per line; the default in production) or `text` (the
  default in development and tests). LOG_LEVEL: INFO unless given.
- METRICS_TOKEN: /metrics answers only a request carrying `Authorization: Bearer <token>`
  (at least 32 characters); without it /metrics is 404. Prometheus sets the token in its
  scrape job's `authorization` section.
- PROMETHEUS_MULTIPROC_DIR: for several processes per host (see metrics.py).
"""

from __future__ import annotations

import logging
import os
import time

from flask import Blueprint, Flask, g, request
from flask.logging import default_handler
from werkzeug.wrappers import Response

from trainhub.config import ConfigError
from trainhub.core import policy
from trainhub.core.observability import context, logs, metrics

MIN_TOKEN_LENGTH = 32
request_log = logging.getLogger("trainhub.request")
bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
@policy.service_token("METRICS_TOKEN")
def scrape() -> Response:
    body, content_type = metrics.exposition()
    return Response(body, content_type=content_type)


def init_app(app: Flask) -> None:
    _configure(app)
    app.logger.removeHandler(default_handler)
    logs.configure(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    # First of the app's hooks: a request refused by a later one still gets its id.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
    app.register_blueprint(bp)
    with app.app_context():
        from trainhub.extensions import db

        metrics.watch_pool(db.engine)


def _configure(app: Flask) -> None:
    production = app.config.get("TRAINHUB_ENV") == "production"
    app.config.setdefault("LOG_FORMAT", os.environ.get("LOG_FORMAT")
                          or ("json" if production else "text"))
    app.config.setdefault("LOG_LEVEL", os.environ.get("LOG_LEVEL") or "INFO")
    app.config.setdefault("METRICS_TOKEN", os.environ.get("METRICS_TOKEN") or None)
    if app.config["LOG_FORMAT"] not in {"json", "text"}:
        raise ConfigError(f"LOG_FORMAT={app.config['LOG_FORMAT']!r} is not json or text")
    token = app.config["METRICS_TOKEN"]
    if token and len(token) < MIN_TOKEN_LENGTH:
        raise ConfigError(f"METRICS_TOKEN must have at least {MIN_TOKEN_LENGTH} characters")


def _start() -> None:
    g.request_started = time.perf_counter()
    g.request_id = context.request_id_from_headers()


def _finish(response: Response) -> Response:
    response.headers[context.HEADER] = g.get("request_id") or ""
    started = g.get("request_started")
    if started is None:
        return response
    seconds = time.perf_counter() - started
    rule = request.url_rule
    metrics.observe_request(rule.endpoint if rule else "unmatched", request.method,
                            response.status_code, seconds)
    request_log.info("request", extra={"status": response.status_code,
                                       "duration_ms": round(seconds * 1000, 1)})
    return response

