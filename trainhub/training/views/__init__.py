"""Training pages. One blueprint; a module per audience: demands (enterprises), batches
and their running (institutions and officers), courses (trainees and the public)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("training", __name__, url_prefix="/training")
