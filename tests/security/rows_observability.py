"""/metrics: for Prometheus and its METRICS_TOKEN only, so no actor (no session, no API
token) is let in: 404 while no token is configured (the test app), 401 otherwise (tested in
tests/core/test_observability.py)."""

from __future__ import annotations

from tests.security.matrix import Row

# api=True: an anonymous call is refused outright, not sent to the login page.
ROWS = {"metrics.scrape": Row("GET", lambda ids: "/metrics", set(), api=True)}
