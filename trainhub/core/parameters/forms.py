"""The form for a dated value, and the labels the parameter pages show."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from trainhub.core.forms import BaseForm
from trainhub.core.parameters.models import Parameter
from trainhub.core.parameters.values import MAX_TEXT

DOMAIN_LABELS = {
    "core": _l("General"),
    "bases": _l("Base certification"),
    "training": _l("Training"),
    "subsidies": _l("Subsidies"),
    "competitions": _l("Skills competitions"),
    "rewards": _l("Over-quota employment reward"),
}
DOMAIN_ORDER = tuple(DOMAIN_LABELS)

UNIT_LABELS = {
    "days": _l("days"), "months": _l("months"), "years": _l("years"),
    "age": _l("years of age"), "hours": _l("hours"), "points": _l("points"),
    "fen": _l("yuan (stored in fen)"), "percent": _l("percent"), "count": _l("number"),
    "mb": _l("megabytes"),
}

UNIT_HINTS = {
    "days": _l("A whole number of days."), "months": _l("A whole number of months."),
    "years": _l("A whole number of years."), "age": _l("An age in completed years."),
    "hours": _l("A whole number of hours."), "points": _l("A number of points."),
    "percent": _l("A number from 0 to 100, such as 80 or 62.5."),
    "count": _l("A whole number."), "mb": _l("A whole number of megabytes."),
    "fen": _l("In yuan, with at most two decimals, such as 1200 or 1200.50."),
}

KEY_LABELS = {
    "item": _l("Item"), "max_points": _l("Points"), "code": _l("Code"),
    "question": _l("Question"), "kind": _l("Answer"), "unit": _l("Unit"),
    "min": _l("Minimum"), "max": _l("Maximum"), "min_entries": _l("Entries from"),
    "max_entries": _l("Entries up to"), "awards": _l("Awards"),
    "at_least": _l("Threshold: at least"), "at_most": _l("Threshold: at most"),
    "tier": _l("Minimum wage tier"), "counties": _l("Counties (codes)"),
}
KIND_LABELS = {"number": _l("number"), "boolean": _l("yes or no"), "text": _l("text")}


class ValueForm(BaseForm):
    value = StringField(_l("Value"), validators=[DataRequired(), Length(max=MAX_TEXT)],
                        render_kw={"autocomplete": "off", "spellcheck": "false"})
    effective_from = DateField(
        _l("Effective from"), validators=[DataRequired()],
        description=_l("The value applies from this date until the next dated value of the "
                       "same scope."))
    region_code = SelectField(
        _l("Applies to"), validators=[DataRequired()],
        description=_l("A city value overrides the province-wide value in that city."))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)],
                       description=_l("For example the document that sets this value."))


class JsonValueForm(ValueForm):
    value = TextAreaField(_l("Value (JSON)"), validators=[DataRequired(), Length(max=MAX_TEXT)],
                          render_kw={"rows": 14, "spellcheck": "false"})


def value_form(parameter: Parameter, **kwargs: object) -> ValueForm:
    """The form for this parameter: a text area for JSON, yuan for amounts, hints by unit."""
    form = (JsonValueForm if parameter.value_type == "json" else ValueForm)(**kwargs)
    hints = [str(UNIT_HINTS[parameter.unit])] if parameter.unit in UNIT_HINTS else []
    if parameter.value_type == "json" and parameter.description_msgid:
        hints.append(gettext(parameter.description_msgid))
    limits = parameter.constraints or {}
    if "min" in limits and parameter.unit != "fen":
        hints.append(gettext("At least %(min)s.", min=limits["min"]))
    if "max" in limits and parameter.unit != "fen":
        hints.append(gettext("At most %(max)s.", max=limits["max"]))
    form.value.description = " ".join(hints)
    if parameter.unit == "fen":
        form.value.label.text = gettext("Amount in yuan")
        form.value.render_kw = dict(form.value.render_kw or {}, inputmode="decimal")
    return form
