"""Competition pages. One blueprint; a module per audience: organisers (competitions,
events, judges, draw, publication), delegations (registration), judges (marking), chief
judges and the arbitration group, and the public (results, medal table)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("competitions", __name__, url_prefix="/competitions")
