"""Form base: CSRF from Flask-WTF, built-in messages in the user's language."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Generic, TypeVar

from flask import flash
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField as WtfDecimalField
from wtforms import (
    FieldList,
    FileField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from trainhub.core.errors import DomainError, Problems
from trainhub.core.i18n import translate
from trainhub.core.inputs import DB_INT_MAX
from trainhub.extensions import db

T = TypeVar("T")


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> Any:
            from wtforms.i18n import get_translations

            locale = str(get_locale() or "zh_Hans_CN")
            languages = ["zh_CN", "zh"] if locale.startswith("zh") else ["en"]
            return get_translations(languages)


PLAIN_DECIMAL = re.compile(r"-?[0-9]{1,15}(?:\.([0-9]+))?")


class DecimalField(WtfDecimalField):
    """A number as people type it: digits and at most `places` decimals (every form uses
    this one, tests/security/test_form_fuzz.py checks). WTForms' own takes whatever
    Decimal() reads — 1e10, NaN (whose comparison in NumberRange raised: a 500), Infinity,
    twenty thousand digits — and its `places` only rounds the value shown again, so
    100.005 yuan was kept as 100.00 without a word."""

    data: Any  # a Decimal once posted; views may set a float to show a stored value

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        self.data = None
        text = str(valuelist[0]).strip()
        match = PLAIN_DECIMAL.fullmatch(text)
        if match is None:
            raise ValueError(gettext("Enter a number with digits and a decimal point only, "
                                     "such as 1250.50."))
        if self.places is not None and len(match.group(1) or "") > self.places:
            raise ValueError(gettext("Enter at most %(places)s decimals.", places=self.places))
        self.data = Decimal(text)


class ReasonForm(BaseForm):
    """The reason of a refusal, suspension, cancellation…: required, read by those it
    concerns."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes (render it inside a fieldset with a legend)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class Chosen:
    """The person made the choice: a consequential choice has no default, so not making
    it is an error on the field (not a silent first option)."""

    field_flags = {"required": True}

    def __init__(self, message: str | None = None) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if field.data in (None, "", []):
            raise StopValidation(self.message or _l("Choose one of the options."))


class DecisionSelectField(SelectField):
    """A consequential choice (a decision, a verdict, an outcome) in a select: its first
    option is an empty "Please choose", so nothing is chosen for the officer and a form
    sent without a choice gets a field error."""

    def __init__(self, label: Any = None, validators: Any = None, *,
                 choices: list[SelectChoice], message: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(label, [Chosen(message), *(validators or [])],
                         choices=[SelectChoice("", _l("Please choose")), *choices],
                         **kwargs)

    def offer(self, choices: list[SelectChoice]) -> None:
        """Choices known only with the object (a team's members), after the empty one."""
        self.choices = [SelectChoice("", _l("Please choose")), *choices]


def database_id(value: Any) -> int:
    """The coercion of a choice of row ids that is not checked against the choices offered
    (validate_choice=False): a number beyond a 32-bit id is refused as not an id (WTForms'
    message), not sent to the database (an integer overflow there)."""
    number = int(value)
    if not 0 < number <= DB_INT_MAX:
        raise ValueError(value)
    return number


def int_or_blank(value: Any) -> int | str:
    """The coercion of a DecisionSelectField over ids: blank stays blank (not chosen)."""
    return "" if value in (None, "") else int(value)


class DecisionRadioField(RadioField):
    """A consequential choice as radio buttons: none is checked until the person picks
    one, and a form sent without a choice gets a field error."""

    def __init__(self, label: Any = None, validators: Any = None, *,
                 choices: list[SelectChoice], message: str | None = None,
                 **kwargs: Any) -> None:
        kwargs.pop("default", None)
        super().__init__(label, [Chosen(message), *(validators or [])], choices=choices,
                         **kwargs)

    def pre_validate(self, form: Any) -> None:
        if self.data in (None, ""):
            return  # Chosen says so, once
        super().pre_validate(form)


def choices(labels: Mapping[str, object]) -> list[SelectChoice]:
    """Select choices from a code → label table; labels stay lazy until rendered."""
    return [SelectChoice(code, label) for code, label in labels.items()]


def refuse(error: DomainError, form: Any = None) -> None:
    """Undo the request's changes and show every rule that was not met: on the form when
    the page is shown again (each on the field it names, if the form has it), as flash
    messages when the view redirects."""
    db.session.rollback()
    for problem in error.each:
        message = translate(problem.message, **problem.params)
        if form is None:
            flash(message, "error")
            continue
        field = form_field(form, problem.field)
        if field is None:
            form.form_errors.append(message)
            continue
        field.errors = [*field.errors, message]
        listed = getattr(form, (problem.field or "").rpartition("-")[0], None)
        if isinstance(listed, FieldList) and field is not listed:
            listed.errors = [entry.errors for entry in listed]  # the list shows its entries'


def form_field(form: Any, name: str | None) -> Any:
    """The field a problem names: a field of the form, or one entry of a list of fields
    ("numbers-1", the second of `numbers`); None when the form has no such field."""
    field = getattr(form, name or "", None)
    if field is not None or not name:
        return field
    listed, _, index = name.rpartition("-")
    entries = getattr(form, listed, None)
    if isinstance(entries, FieldList) and index.isdigit() and int(index) < len(entries):
        return entries[int(index)]
    return None


def validate_all(form: Any, rules: Callable[[], object] | None = None) -> bool:
    """Check a posted form in one round: its fields, and the service's rules (`rules`
    raises a DomainError with every problem) on what was given even when some fields
    failed, so the person sees every problem at once. A rule about a field that already
    shows an error is left out (the field's own error says it first). True when nothing
    is wrong."""
    valid = form.validate_on_submit()
    if rules is None:
        return valid
    try:
        rules()
    except DomainError as error:
        left = [problem for problem in error.each
                if not getattr(form_field(form, problem.field), "errors", None)]
        if left:
            refuse(Problems(left), form)
        return False
    return valid


CHOOSE_AGAIN = _l("Choose the file again: a browser does not keep a chosen file when the "
                  "page comes back.")


def choose_files_again(form: T) -> T:
    """A refused form with uploads comes back with every other value as sent, but no
    browser refills a file input: each one that held a file says so beside it (its hint),
    before its own hint."""
    for field in form:  # type: ignore[attr-defined]
        if not isinstance(field, (FileField, MultipleFileField)):
            continue
        sent = field.data if isinstance(field.data, list) else [field.data]
        if any(sent):
            own = str(field.description or "")
            field.description = f"{CHOOSE_AGAIN} {own}".strip()
    return form


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
