"""Static files under content-versioned URLs, which browsers keep for a year.

Every `url_for('static', filename=...)` carries `?v=` and the first 12 hex digits of the
file's SHA-256: a changed file gets a new URL, so a browser may keep each one without asking
again. Without it every page a phone opened re-asked for the stylesheets and scripts (a
304 each, a round trip each on a slow county network). A URL without `v`, or with a `v`
that is not the file's, is served as before, with the configured (short) lifetime.
nginx serves the same URLs with the same lifetime (deploy/nginx/trainhub.conf)."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask.wrappers import Response

YEAR = 365 * 24 * 3600


@lru_cache(maxsize=512)
def _digest(path: str, modified_ns: int) -> str:
    # Keyed by the modification time too: a file edited while the server runs (flask run
    # in development) gets its new version at once.
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def version(folder: str, filename: str) -> str | None:
    """The version of `filename` under `folder`, or None when there is no such file."""
    path = os.path.join(folder, filename)
    try:
        modified_ns = os.stat(path).st_mtime_ns
    except (OSError, ValueError):
        return None
    return _digest(path, modified_ns)


def init_app(app: Flask) -> None:
    folder = app.static_folder
    if folder is None:
        return

    @app.url_defaults
    def _add_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            found = version(folder, values["filename"])
            if found:
                values["v"] = found

    @app.after_request
    def _keep_versioned(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        asked = request.args.get("v")
        if asked and asked == version(folder, (request.view_args or {}).get("filename", "")):
            response.cache_control.no_cache = None  # send_file's, for files without a lifetime
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response
