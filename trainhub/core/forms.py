"""Form base: CSRF from Flask-WTF, built-in messages in the user's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import flash
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from trainhub.core.errors import DomainError
from trainhub.extensions import db


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> Any:
            from wtforms.i18n import get_translations

            locale = str(get_locale() or "zh_Hans_CN")
            languages = ["zh_CN", "zh"] if locale.startswith("zh") else ["en"]
            return get_translations(languages)


class ReasonForm(BaseForm):
    """The reason of a refusal, suspension, cancellation…: required, read by those it
    concerns."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes (render it inside a fieldset with a legend)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def choices(labels: Mapping[str, object]) -> list[SelectChoice]:
    """Select choices from a code → label table; labels stay lazy until rendered."""
    return [SelectChoice(code, label) for code, label in labels.items()]


def refuse(error: DomainError, form: Any = None) -> None:
    """Undo the request's changes and show the rule that was not met: on the form when the
    page is shown again, as a flash message when the view redirects."""
    db.session.rollback()
    message = gettext(error.message, **error.params)
    if form is not None:
        form.form_errors.append(message)
    else:
        flash(message, "error")


def form_problems(form: Any) -> str:
    """Each invalid field with its first error, for a one-line message."""
    return "; ".join(f"{form[name].label.text}: {errors[0]}"
                     for name, errors in form.errors.items() if name in form._fields)


def attempt(operation: Callable[[], object], success: str, **params: object) -> bool:
    """Run a service call as the request's one transaction: commit and say `success` (a
    msgid), or roll back and say which rule was not met. True when it was done."""
    try:
        operation()
        db.session.commit()
    except DomainError as error:
        refuse(error)
        return False
    flash(gettext(success, **params), "success")
    return True
