"""Forms of the institution and officer subsidy pages. Money is typed in yuan and kept in
fen."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from trainhub.core.forms import BaseForm, DecimalField, database_id
from trainhub.core.forms import choices as _choices
from trainhub.subsidies.budgets import MAX_BUDGET_FEN
from trainhub.subsidies.display import KIND_LABELS

MAX_BUDGET_YUAN = MAX_BUDGET_FEN // 100  # the service's and the API's bound
FIRST_YEAR, LAST_YEAR = 2020, 2100


class RejectForm(BaseForm):
    reason = TextAreaField(_l("Reason for the rejection"),
                           validators=[DataRequired(), Length(max=2000)],
                           description=_l("The institution and the trainee will read it."))


class ApprovalForm(BaseForm):
    """The claims ticked in the approval queue, by id (the queue draws the checkboxes)."""

    decision = SelectMultipleField(_l("Claims to approve"), coerce=database_id, choices=[],
                                   validate_choice=False,
                                   validators=[DataRequired(_l("Tick the claims to approve."))])


class PaymentForm(BaseForm):
    paid_on = DateField(_l("Date paid"), validators=[DataRequired()])
    reference = StringField(_l("Payment reference"), validators=[DataRequired(),
                                                                 Length(max=64)],
                            description=_l("The voucher or bank transfer number."))


class BudgetForm(BaseForm):
    region_code = SelectField(_l("Region"), choices=[])
    year = IntegerField(_l("Year"), validators=[InputRequired(),
                                                NumberRange(min=FIRST_YEAR, max=LAST_YEAR)])
    kind = SelectField(_l("Kind of subsidy"), choices=_choices(KIND_LABELS))
    amount = DecimalField(_l("Budget (yuan)"), places=2,
                          validators=[InputRequired(), NumberRange(min=0,
                                                                   max=MAX_BUDGET_YUAN)],
                          description=_l("A budget can be raised, or lowered down to what is "
                                         "already committed."))
