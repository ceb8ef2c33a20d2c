"""Form base: CSRF from Flask-WTF, built-in messages in the user's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> Any:
            from wtforms.i18n import get_translations

            locale = str(get_locale() or "zh_Hans_CN")
            languages = ["zh_CN", "zh"] if locale.startswith("zh") else ["en"]
            return get_translations(languages)


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes (render it inside a fieldset with a legend)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def choices(labels: Mapping[str, object]) -> list[SelectChoice]:
    """Select choices from a code → label table; labels stay lazy until rendered."""
    return [SelectChoice(code, label) for code, label in labels.items()]
