"""Liveness for load balancers: answers ok only when the database answers."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from trainhub.core.policy import public
from trainhub.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz() -> Response:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("health check: database unreachable")
        response = jsonify(status="unavailable", database="unreachable")
        response.status_code = 503
        return response
    return jsonify(status="ok")
