"""Request guards: who is asking, may the endpoint be reached, and safe response headers."""

from __future__ import annotations

import hmac
from typing import Any

from flask import Flask, abort, current_app, g, jsonify, redirect, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from trainhub.core import policy, proxies
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.core.errors import PermissionDenied
from trainhub.extensions import db, login_manager

SESSION_KEY = "sid"

# Endpoints a user whose password must be changed may still reach.
PASSWORD_CHANGE_ALLOWED = {"accounts.change_password", "accounts.logout", "static",
                           "i18n.set_language"}

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


@login_manager.request_loader
def _load_user(req: Any) -> User | None:
    if is_api_request():
        # The API takes tokens only: a cookie would make every endpoint a CSRF target.
        token = _bearer_token()
        user = accounts.user_for_token(token) if token else None
        if user is not None and db.session.dirty:
            db.session.commit()  # last_used_at moved forward
        return user
    token = session.get(SESSION_KEY)
    if not token:
        return None
    # Read only here: the security administrator's values come from the database.
    row, reason = accounts.load_session(token, accounts.settings_from(current_app.config))
    if row is None:
        session.pop(SESSION_KEY, None)
        g.session_end_reason = reason
        db.session.commit()  # the revocation and its audit row
        return None
    if accounts.touch_session(row):
        db.session.commit()
    g.user_session = row
    return row.user


def _unauthenticated() -> Response:
    if is_api_request():
        response = jsonify(status=401, error="unauthorized",
                           message="Authentication required: send 'Authorization: Bearer <token>'.")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="trainhub"'
        return response
    reason = g.get("session_end_reason")
    expired = "1" if reason in {"idle_timeout", "absolute_timeout"} else None
    # Only the path: query strings may carry search terms.
    return redirect(url_for("accounts.login", next=request.path, expired=expired))


def _guard_endpoint() -> Response | None:
    endpoint = request.endpoint
    if endpoint is None:
        return None  # routing will answer 404/405
    declared = policy.declared_permission(current_app.view_functions.get(endpoint))
    if declared is None:
        current_app.logger.error("endpoint %s declares no permission; refused", endpoint)
        raise PermissionDenied(f"undeclared:{endpoint}")
    if declared == policy.PUBLIC:
        return None
    service_key = policy.service_token_key(declared)
    if service_key is not None:
        return _check_service_token(service_key)
    if not current_user.is_authenticated:
        return _unauthenticated()
    if (
        not is_api_request()
        and endpoint not in PASSWORD_CHANGE_ALLOWED
        and accounts.password_expired(current_user, accounts.settings_from(current_app.config))
    ):
        return redirect(url_for("accounts.change_password"))
    if declared != policy.SIGNED_IN:
        policy.require(current_user, declared)
    return None


def _check_service_token(config_key: str) -> Response | None:
    expected = current_app.config.get(config_key)
    if not expected:
        abort(404)
    given = _bearer_token() or ""
    if hmac.compare_digest(given.encode(), str(expected).encode()):
        return None
    response = Response("Unauthorized\n", status=401, mimetype="text/plain")
    response.headers["WWW-Authenticate"] = 'Bearer realm="trainhub-metrics"'
    return response


def _remember_client() -> None:
    # The client's address, not a proxy's, when TRUSTED_PROXIES says how many stand in
    # front (core/proxies.py rewrote REMOTE_ADDR before the app saw the request).
    g.client_address = (request.remote_addr or "")[:64]


def _secure_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Pages for a signed-in person may hold personal data: never keep them in a cache.
    if request.endpoint != "static" and (
        current_user.is_authenticated or is_api_request()
    ):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


# Endpoints that Flask and APIFlask register themselves; both are public by nature.
BUILTIN_PUBLIC = ("static", "openapi.spec")


def _declare_builtin_endpoints(app: Flask) -> None:
    for endpoint in BUILTIN_PUBLIC:
        view = app.view_functions.get(endpoint)
        if view is None or policy.declared_permission(view) is not None:
            continue
        app.view_functions[endpoint] = policy.public(_passthrough(view))


def _passthrough(view: Any) -> Any:
    # A bound method (app.send_static_file) cannot carry attributes; a wrapper can.
    def wrapper(**kwargs: Any) -> Any:
        return view(**kwargs)

    wrapper.__name__ = getattr(view, "__name__", "builtin")
    return wrapper


def init_app(app: Flask) -> None:
    proxies.init_app(app)
    app.before_request(_remember_client)
    app.before_request(_guard_endpoint)
    app.after_request(_secure_headers)
    _declare_builtin_endpoints(app)
