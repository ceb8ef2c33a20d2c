"""What the organisers' and delegations' pages share: how a refused action is shown, and the
template filters of the competition codes."""

from __future__ import annotations

from typing import Any

from flask import flash
from flask_babel import gettext

from trainhub.competitions import display
from trainhub.competitions.views import bp
from trainhub.core.errors import DomainError
from trainhub.extensions import db

for _name, _filter in display.FILTERS.items():
    bp.add_app_template_filter(_filter, _name)


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
