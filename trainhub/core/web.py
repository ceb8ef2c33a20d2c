"""Error pages and JSON errors: every failure answers in the asker's language and format."""

from __future__ import annotations

from apiflask.exceptions import HTTPError as ApiHTTPError
from flask import Flask, jsonify, render_template
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response

from trainhub.core.audit.models import Outcome
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, DomainError, PermissionDenied
from trainhub.core.i18n import translate
from trainhub.core.security import is_api_request
from trainhub.extensions import db, login_manager

MESSAGES = {
    400: N_("The request could not be understood."),
    401: N_("Please sign in first."),
    403: N_("You are not allowed to do this."),
    404: N_("The page or record was not found, or it is outside your scope."),
    405: N_("This action is not accepted here."),
    413: N_("The upload is too large. The limit is %(limit)s MB."),
    422: N_("Some fields are invalid."),
    429: N_("Too many requests. Please wait a moment and try again."),
    500: N_("Something went wrong on our side. The error has been logged."),
    503: N_("The service is temporarily unavailable."),
}


MAX_PAGE = 100_000
RETRY_AFTER_SECONDS = 30
# What the driver raises when the database cannot be reached or has no connection to give
# (OperationalError: refused, closed, restarting; pool TimeoutError: every connection busy).
# An IntegrityError or a ProgrammingError is a defect, not an outage: those stay 500.
UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)


def decimal_up_to(limit: int) -> str:
    """A regex of the decimal numbers 0..`limit` (leading zeros allowed)."""
    digits = str(limit)
    options = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        if digit != "0":
            rest = len(digits) - i - 1
            options.append(f"{digits[:i]}[0-{int(digit) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    options.append(digits)
    return "0*(?:" + "|".join(options) + ")"


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` URL parts: row ids are 32-bit on PostgreSQL, so larger numbers are a 404
    instead of an integer-overflow error in the database. The bound is in the regex: a
    number refused only by to_python makes werkzeug answer 405 on a path that also has
    another method (GET and PUT on one resource)."""

    def __init__(self, map: object, *args: object, **kwargs: object) -> None:  # noqa: A002
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]
        if not self.signed and self.max is not None:
            self.regex = decimal_up_to(int(self.max))


def page_number(args: object, name: str = "page") -> int:
    """The ?page= of a list (?`name`= on a page of several lists), clamped to 1..MAX_PAGE so
    OFFSET never overflows."""
    page = args.get(name, 1, type=int) or 1  # type: ignore[attr-defined]
    return min(max(1, page), MAX_PAGE)


def _answer(status: int, message: str, extra: dict[str, object] | None = None) -> Response:
    if is_api_request():
        body: dict[str, object] = {"status": status, "message": message}
        body.update(extra or {})
        response = jsonify(body)
        response.status_code = status
        return response
    try:
        html = render_template("errors/error.html", status=status, message=message)
    except UNAVAILABLE as error:  # the page asks who is signed in, and nobody can tell
        return handle_database_unavailable(error)
    return Response(html, status=status, mimetype="text/html")


def _translated(status: int, **params: object) -> str:
    from flask import current_app

    limit = int(current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    return gettext(MESSAGES.get(status, MESSAGES[500]), limit=limit, **params)


def handle_permission_denied(error: PermissionDenied) -> Response:
    db.session.rollback()
    record("access.denied", outcome=Outcome.DENIED, object_type=error.object_type,
           object_id=error.object_id, details={"action": error.action})
    db.session.commit()
    return _answer(403, _translated(403), {"error": "forbidden"})


def handle_domain_error(error: DomainError) -> Response:
    db.session.rollback()
    return _answer(error.status_code,
                   " ".join(translate(p.message, **p.params) for p in error.each),
                   {"error": type(error).__name__})


def handle_csrf(error: CSRFError) -> Response:
    db.session.rollback()
    message = gettext("The form has expired or was not sent from this site. "
                      "Please reload the page and try again.")
    return _answer(400, message, {"error": "csrf"})


def handle_http(error: HTTPException) -> Response:
    status = error.code or 500
    response = _answer(status, _translated(status), {"error": error.name})
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_api_error(error: ApiHTTPError) -> Response:
    extra: dict[str, object] = {"error": "invalid" if error.status_code == 422 else "error"}
    if error.detail:
        extra["detail"] = error.detail
    message = error.message or _translated(error.status_code)
    response = _answer(error.status_code, message, extra)
    response.headers.update(error.headers or {})
    return response


def handle_database_unavailable(error: SQLAlchemyError) -> Response:
    """The database does not answer (down, restarting, out of connections): a 503 that
    renders without it, as anonymous, so that the page, the session cookie and the
    security headers need nothing from the database. The pool checks each connection
    before use (pool_pre_ping), so the next request after the database is back succeeds
    without a restart."""
    from flask import current_app, g

    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.close()
    g._login_user = login_manager.anonymous_user()  # do not ask the database who it is
    current_app.logger.error("database unavailable: %s", type(error).__name__)
    response = _answer(503, _translated(503) + " " + gettext(
        "The database cannot be reached; please try again in a minute."),
        {"error": "unavailable"})
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def handle_unexpected(error: Exception) -> Response:
    from flask import current_app

    db.session.rollback()
    current_app.logger.exception("unhandled error")
    return _answer(500, _translated(500), {"error": "internal"})


def init_app(app: Flask) -> None:
    from trainhub.core import inputs

    inputs.init_app(app)  # type: ignore[arg-type]  # NUL, JSON, integers: 400 before views
    for unavailable in UNAVAILABLE:
        app.register_error_handler(unavailable, handle_database_unavailable)
    app.register_error_handler(PermissionDenied, handle_permission_denied)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(ApiHTTPError, handle_api_error)
    app.register_error_handler(HTTPException, handle_http)
    if not app.debug and not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
