"""Form base: CSRF from Flask-WTF, built-in messages in the user's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

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

T = TypeVar("T")


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
    page is shown again (on the field the error names, if the form has it), as a flash
    message when the view redirects."""
    db.session.rollback()
    message = gettext(error.message, **error.params)
    if form is None:
        flash(message, "error")
        return
    field = getattr(form, getattr(error, "field", None) or "", None)
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)


def form_problems(form: Any) -> str:
    """Each invalid field with its first error, for a one-line message."""
    return "; ".join(f"{form[name].label.text}: {errors[0]}"
                     for name, errors in form.errors.items() if name in form._fields)


class Done(Generic[T]):
    """A successful attempt(): always true, carries what the operation returned."""

    __slots__ = ("result",)

    def __init__(self, result: T) -> None:
        self.result = result


def attempt(operation: Callable[[], T], success: str | None = None, *, form: Any = None,
            undo: Callable[[], object] | None = None, **params: object) -> Done[T] | None:
    """Run a service call as the request's one transaction, the one way views write:
    commit and say `success` (a msgid, formatted with `params`; None when the view says
    it itself), or roll back, call `undo` (e.g. discard files stored on the way) and show
    the rule that was not met — on `form` when given (the page is shown again), else as a
    flash message. Returns Done(result) when it was done, None when refused."""
    try:
        result = operation()
        db.session.commit()
    except DomainError as error:
        if undo is not None:
            undo()
        refuse(error, form)
        return None
    if success is not None:
        flash(gettext(success, **params), "success")
    return Done(result)
