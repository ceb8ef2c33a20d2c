"""Training pages. One blueprint; a module per audience: demands (enterprises), batches
and their running (institutions and officers), courses (trainees and the public)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash
from flask_babel import gettext

from trainhub.core.errors import DomainError
from trainhub.extensions import db

bp = Blueprint("training", __name__, url_prefix="/training")


def fail(error: DomainError, form: Any = None) -> None:
    """Undo the request's changes and show the rule that was not met."""
    db.session.rollback()
    message = gettext(error.message, **error.params)
    if form is not None:
        form.form_errors.append(message)
    else:
        flash(message, "error")


def form_problems(form: Any) -> str:
    return "; ".join(f"{form[name].label.text}: {errors[0]}"
                     for name, errors in form.errors.items() if name in form._fields)
