"""Forms of the chief judge's, the arbitration group's and the results pages. The judges'
marking form is built from the event's aspects (trainhub.competitions.sheets)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from trainhub.core.forms import BaseForm, DecisionRadioField

REASON = [Length(max=2000)]


class ResolveFlagForm(BaseForm):
    """One flag: confirm the marks with a reason, or reopen them for the judges."""

    entry_id = HiddenField()
    aspect = HiddenField()
    action = DecisionRadioField(_l("Decision"), choices=[
        SelectChoice("confirm", _l("Confirm the marks (a reason is required)")),
        SelectChoice("remark", _l("Reopen the aspect: its judges mark it again"))],
        message=_l("Choose confirm or reopen."))
    reason = TextAreaField(_l("Reason"), validators=REASON,
                           description=_l("Recorded with the marks you saw."))


class CorrectionForm(BaseForm):
    mark_id = SelectField(_l("Mark to correct"), coerce=int, choices=[],
                          validators=[InputRequired()])
    new_value = StringField(_l("Corrected mark"), validators=[DataRequired()],
                            render_kw={"inputmode": "decimal", "autocomplete": "off"})
    reason = TextAreaField(_l("Reason for the correction"),
                           validators=[DataRequired(), *REASON],
                           description=_l("Shown in the public corrections log."))


class AppealForm(BaseForm):
    entry_id = SelectField(_l("Entry appealed about"), coerce=int, choices=[],
                           validators=[InputRequired()])
    content = TextAreaField(_l("The appeal"), validators=[DataRequired(), *REASON],
                            description=_l("What is contested and why."))


class AppealDecisionForm(BaseForm):
    decision = DecisionRadioField(_l("Decision of the arbitration group"), choices=[
        SelectChoice("dismissed", _l("Dismiss the appeal")),
        SelectChoice("upheld", _l("Uphold the appeal"))],
        message=_l("Choose a decision."))
    note = TextAreaField(_l("Reasons"), validators=[DataRequired(), *REASON])


class EventEndForm(BaseForm):
    day = DateField(_l("Day the event ends"), validators=[DataRequired()])
    at = TimeField(_l("Time it ends (Beijing time)"), validators=[DataRequired()],
                   description=_l("Appeals are received from then for the hours the "
                                  "parameter sets."))


class SelectionForm(BaseForm):
    """Select a published result's contestants for a national or international competition;
    the result's choices are the event's frozen ranking (set by the view)."""

    result_id = SelectField(_l("Contestant, by rank"), coerce=int,
                            validators=[DataRequired()])
    level = DecisionRadioField(_l("Selected for"), choices=[
        SelectChoice("national", _l("National competition")),
        SelectChoice("international", _l("International competition"))])
    reason = TextAreaField(_l("Reason for the selection"),
                           validators=[DataRequired(), Length(max=500)])


class WithdrawSelectionForm(BaseForm):
    reason = TextAreaField(_l("Reason for withdrawing"),
                           validators=[DataRequired(), Length(max=500)])
