"""Documents handed out (PDF certificates, notices and result sheets; stored evidence files
and photos): each account may fetch only so many, counted together on every page and API
operation that hands one out, and each one handed out leaves an audit row naming it
(SECURITY §1 安全审计 "exports and downloads", §3 V2.2.1 anti-automation; issue 15 item 6).
A PDF is rendered on each request, so the limit also keeps one account from tying up the
workers. The spreadsheet exports have their own audit rows (with the purpose).

Decorate the view under its permission:

    @bp.get("/<int:base_id>/certificate.pdf")
    @policy.permission("bases.view")
    @downloads.document("base_certificate", "base_id", _l("Base certificate"))
    def certificate(base_id): ...
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from flask import current_app, make_response, request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from trainhub.core.audit import labels
from trainhub.core.audit.service import record
from trainhub.core.throttle import per_user
from trainhub.extensions import db, limiter

SCOPE = "document-download"
ACTION = "document.download"
_FILENAME = re.compile(r"filename\*=UTF-8''([^;]+)|filename=\"?([^\";]+)")


labels.register(group=_l("Certificates"), actions={ACTION: _l("Document downloaded")},
                keys={"file": _l("File"), "path": _l("Address")})


def _limit() -> str:
    return str(current_app.config["DOWNLOAD_RATE_LIMIT"])


def _file_name(response: Response) -> str:
    match = _FILENAME.search(response.headers.get("Content-Disposition", ""))
    if match is None:
        return request.path.rsplit("/", 1)[-1]
    return unquote(match.group(1) or match.group(2))


def document(kind: str, id_arg: str,
             label: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view answering one document: `kind` is the audit row's object type (shown on the
    log page as `label`) and the view argument `id_arg` its id; the file name sent goes
    into the row's details. Only a document actually sent is recorded (a refusal is
    audited, or not, as it already was)."""
    labels.register(object_types={kind: label})

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            response = make_response(view(*args, **kwargs))
            if response.status_code == 200:
                record(ACTION, object_type=kind, object_id=kwargs.get(id_arg, ""),
                       details={"file": _file_name(response), "path": request.path})
                db.session.commit()
            return response

        wrapper.downloads_document = kind  # type: ignore[attr-defined]
        return limiter.shared_limit(_limit, scope=SCOPE, key_func=per_user)(wrapper)

    return decorate


def is_document(view: Any) -> bool:
    return getattr(view, "downloads_document", None) is not None
