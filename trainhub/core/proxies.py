"""Who the client is when reverse proxies stand in front of the app.

Behind nginx every request comes from nginx's address: the login limit would be shared by
every user and each audit row would name the proxy. nginx passes the client's address in
X-Forwarded-For, but any client can send that header too, so it is believed only for the
number of hops the deployment declares (TRUSTED_PROXIES, each proxy appending one value):
werkzeug's ProxyFix then sets REMOTE_ADDR, the scheme and the host from the last N values,
and everything that asks `request.remote_addr` (the limiter's key, `g.client_address` for
audit rows and sessions) sees the client. With 0, the headers are ignored.

The count is read from the configuration on each request, not once when the app is built,
so a test can switch it on the one test app. X-Forwarded-Prefix is never believed: nginx
does not set it, so a client's value would pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class TrustedProxies:
    """WSGI middleware: ProxyFix for app.config["TRUSTED_PROXIES"] hops, or nothing."""

    def __init__(self, app: Flask, inner: WSGIApplication) -> None:
        self.config = app.config
        self.inner = inner
        self._fixes: dict[int, ProxyFix] = {}

    def _fix(self, hops: int) -> ProxyFix:
        if hops not in self._fixes:
            self._fixes[hops] = ProxyFix(self.inner, x_for=hops, x_proto=hops, x_host=hops,
                                         x_port=hops, x_prefix=0)
        return self._fixes[hops]

    def __call__(self, environ: WSGIEnvironment,
                 start_response: StartResponse) -> Iterable[bytes]:
        hops = int(self.config.get("TRUSTED_PROXIES") or 0)
        if not hops:
            return self.inner(environ, start_response)
        return self._fix(hops)(environ, start_response)


def init_app(app: Flask) -> None:
    wrapped: Any = TrustedProxies(app, app.wsgi_app)
    app.wsgi_app = wrapped  # type: ignore[method-assign]
