"""gunicorn settings for TrainHub: `gunicorn -c deploy/gunicorn.conf.py 'trainhub:create_app()'`.

Every value can be changed from the environment (the systemd unit's EnvironmentFile, or
what `make serve` is given), so this file is the same on every host.
"""

from __future__ import annotations

import os

import gunicorn.http.wsgi

# gunicorn's child_exit hook, found here by name: a dead worker's pool gauges are dropped
# from the metrics shared by the host's processes (PROMETHEUS_MULTIPROC_DIR).
from trainhub.core.observability.metrics import child_exit  # noqa: F401

# Behind nginx on the same host by default; GUNICORN_BIND=0.0.0.0:8000 when nginx runs on
# another host (then firewall the port to nginx's address). honcho sets PORT.
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"

# Sync workers: each request holds one worker, and pages wait on PostgreSQL, not on slow
# clients (nginx buffers those). WEB_CONCURRENCY sets the number per host; the usual
# 2 x cores + 1 otherwise. Every worker is a whole app (~150 MB).
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
worker_class = "sync"

# Build the app once in the master: a configuration error stops the start with its
# message instead of every worker failing to boot, and workers share its memory. The app
# opens no database connection while it is built, so none is shared across the fork.
preload_app = True

# A page that needs more than this is a fault (bulk work runs in the RQ worker): the worker
# is killed and restarted. nginx's proxy_read_timeout is set a little above it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
# Recycle workers now and then so that no slow leak grows for weeks.
max_requests = 2000
max_requests_jitter = 200

# Requests that nginx already bounded; the same limits here in case it is bypassed.
limit_request_line = 8190
limit_request_fields = 100

# Forwarded headers are the app's business (TRUSTED_PROXIES, trainhub/core/proxies.py):
# gunicorn must not also decide the scheme from X-Forwarded-Proto on its own, which by
# default it does for requests from 127.0.0.1.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}

# No access log of gunicorn's own by default: the app writes a line per request (JSON, with
# its request id and duration) whose path has its secrets masked (a password-reset link's
# token), which gunicorn's "%(r)s" would write in full. GUNICORN_ACCESS_LOG=- turns it on
# (then the client is nginx's X-Forwarded-For; %(M)s: the duration in milliseconds).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL") or "info"
access_log_format = ('%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms '
                     '"%(f)s" "%(a)s"')

proc_name = "trainhub-web"
# systemd reloads (HUP) and stops the server; no control socket in the user's home, where
# two instances on one host would also fight over one path.
control_socket_disable = True

# No server banner: gunicorn has no setting for its `Server: gunicorn` header and sends it
# even when the app sets one (two headers), so the name it sends is replaced here, in the
# module every worker's responses are written by.
SERVER_HEADER = "TrainHub"
gunicorn.http.wsgi.SERVER = SERVER_HEADER
