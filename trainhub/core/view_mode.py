"""The larger-text, high-contrast mode (长者模式 / 无障碍模式): a switch in the header, kept
on the account of a signed-in user and in a cookie for anonymous visitors.

The page carries the mode as `data-mode="large"` on <html>; static/css/app.css enlarges
the text to 150 % and raises the contrast there."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from trainhub.core.policy import public
from trainhub.core.redirects import safe_target
from trainhub.extensions import db

MODE_COOKIE = "trainhub_mode"
LARGE = "large"
NORMAL = "normal"
MODES = (NORMAL, LARGE)

bp = Blueprint("view_mode", __name__)


def view_mode() -> str:
    """The reader's mode: the account's choice when signed in, else the cookie's."""
    if current_user.is_authenticated:
        return LARGE if current_user.large_text else NORMAL
    return LARGE if request.cookies.get(MODE_COOKIE) == LARGE else NORMAL


@bp.post("/view-mode")
@public
def set_mode() -> Response:
    """Turn the larger-text mode on or off, then go back to the page (same-site only)."""
    mode = request.form.get("mode", "")
    target = safe_target(request.form.get("next")) or url_for("home.index")
    response = redirect(target)
    if mode in MODES:
        if current_user.is_authenticated and current_user.large_text != (mode == LARGE):
            current_user.large_text = mode == LARGE
            db.session.commit()
        response.set_cookie(
            MODE_COOKIE,
            mode,
            max_age=3600 * 24 * 365,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
        )
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(view_mode=view_mode)
