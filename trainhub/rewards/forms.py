"""Forms of the reward declaration pages. Money is typed in yuan and kept in fen."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from trainhub.core.forms import BaseForm, DecimalField, DecisionRadioField, choices
from trainhub.rewards.display import DECISION_LABELS


def fen(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount * 100)


class StaffForm(BaseForm):
    staff_count = DecimalField(
        _l("Average staff count"), places=2, validators=[InputRequired()],
        description=_l("The year's average number of staff (在职职工年平均人数), up to two "
                       "decimals."))


class DeclarationForm(StaffForm):
    year = IntegerField(_l("Year declared"), validators=[InputRequired(),
                                                         NumberRange(min=2000, max=2100)],
                        description=_l("A year can be declared once it has ended."))


class EmployeeForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64)])
    id_number = StringField(_l("ID number"), validators=[DataRequired(), Length(max=40)])
    cert_number = StringField(_l("Disability certificate number"),
                              validators=[DataRequired(), Length(max=40)],
                              description=_l("20 characters: the ID number, the category "
                                             "and the grade."))
    certificate_valid_from = DateField(_l("Certificate valid from"),
                                       validators=[InputRequired()])
    certificate_valid_until = DateField(_l("Certificate valid until"), validators=[Optional()],
                                        description=_l("Leave empty for a certificate "
                                                       "without a time limit."))
    contract_start = DateField(_l("Labour contract from"), validators=[InputRequired()])
    contract_end = DateField(_l("Labour contract until"), validators=[Optional()],
                             description=_l("Leave empty for a contract without a fixed "
                                            "term."))
    insurance_months = IntegerField(_l("Months of social insurance paid in the year"),
                                    validators=[InputRequired()])
    monthly_wage = DecimalField(_l("Monthly wage (yuan)"), places=2,
                                validators=[InputRequired()])


class EvidenceForm(BaseForm):
    file = FileField(_l("Evidence file (PDF, JPEG or PNG)"), validators=[FileRequired()])


class ReviewForm(BaseForm):
    decision = DecisionRadioField(_l("Decision"), choices=choices(DECISION_LABELS))
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)],
                           description=_l("Required when you return the declaration."))


class ImportForm(BaseForm):
    file = FileField(_l("Excel workbook of the employees (.xlsx)"), validators=[FileRequired()])


class ObjectionForm(BaseForm):
    received_on = DateField(_l("Received on"), validators=[InputRequired()])
    raised_by = StringField(_l("Raised by (optional)"), validators=[Length(max=100)])
    content = TextAreaField(_l("Objection"), validators=[DataRequired(), Length(max=4000)])


class ResolveObjectionForm(BaseForm):
    upheld = BooleanField(_l("The objection is upheld (the declaration goes back to the "
                             "enterprise)"))
    resolution = TextAreaField(_l("Resolution"), validators=[DataRequired(), Length(max=4000)])


class PaymentForm(BaseForm):
    reference = StringField(_l("Payment reference"), validators=[DataRequired(), Length(max=64)],
                            description=_l("The bank transfer's reference number."))


class BudgetForm(BaseForm):
    region_code = SelectField(_l("Region"), choices=[])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000,
                                                                             max=2100)])
    amount = DecimalField(_l("Budget (yuan)"), places=2,
                          validators=[InputRequired(), NumberRange(min=0, max=10**9)],
                          description=_l("A budget can be raised, or lowered down to what is "
                                         "already committed."))
