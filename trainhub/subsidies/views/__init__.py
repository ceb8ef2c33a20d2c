"""Subsidy pages. One blueprint; a module per audience: decisions (institutions claim,
officers approve and pay), budgets and reports (officers), vouchers, and "我的补贴"
(trainees)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("subsidies", __name__, url_prefix="/subsidies")
