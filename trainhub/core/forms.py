"""Form base: CSRF from Flask-WTF, built-in messages in the user's language."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_wtf import FlaskForm


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> Any:
            from wtforms.i18n import get_translations

            locale = str(get_locale() or "zh_Hans_CN")
            languages = ["zh_CN", "zh"] if locale.startswith("zh") else ["en"]
            return get_translations(languages)
