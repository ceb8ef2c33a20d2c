"""Hired versus committed, per batch, institution and enterprise, as charts with the same
figures in tables beside them."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from trainhub.core import policy
from trainhub.training import followup, loaders
from trainhub.training.views import bp


@bp.get("/outcomes")
@policy.permission("training.outcomes")
def outcomes() -> str:
    rows = followup.batch_outcomes(loaders.outcome_batches(current_user))
    return render_template("training/outcomes.html", batches=rows,
                           institutions=followup.institution_outcomes(rows),
                           enterprises=followup.enterprise_outcomes(current_user))
