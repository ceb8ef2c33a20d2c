"""Forms of the voucher pages. Money is typed in yuan and kept in fen; ID numbers travel
only in POST bodies."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from trainhub.core.forms import BaseForm, CheckboxesField, DecimalField
from trainhub.core.forms import choices as _choices
from trainhub.subsidies import plain, vouchers
from trainhub.training.display import CATEGORY_LABELS

MAX_YUAN = Decimal(vouchers.MAX_FACE_VALUE_FEN) / 100
# A certificate number has 20 characters; a little room for spaces typed around it.
MAX_NUMBERS_TEXT = vouchers.MAX_PEOPLE * 24


def fen(amount: Decimal | None) -> int:
    """Yuan with at most two decimals → integer fen (exact)."""
    return int((amount or Decimal(0)) * 100)


class IssueForm(BaseForm):
    numbers = TextAreaField(
        _l("Resident ID or disability certificate numbers"),
        validators=[DataRequired(), Length(max=MAX_NUMBERS_TEXT)],
        description=_l("One number per line, at most %(max)s. Each person must be registered "
                       "in your region.", max=vouchers.MAX_PEOPLE),
        render_kw={"rows": 4, "autocomplete": "off", "spellcheck": "false"})
    face_value = DecimalField(
        _l("Face value (yuan)"), places=2,
        validators=[InputRequired(), NumberRange(min=Decimal("0.01"), max=MAX_YUAN)],
        description=_l("At completion the voucher is settled against the training-fee "
                       "subsidy, up to this amount."))
    valid_from = DateField(_l("First valid day"), validators=[DataRequired()])
    valid_until = DateField(_l("Last valid day"), validators=[DataRequired()],
                            description=_l("After this day an unused voucher has expired."))
    categories = CheckboxesField(_l("Allowed training categories"),
                                 choices=_choices(CATEGORY_LABELS),
                                 description=_l("None ticked: any category."))
    institutions = CheckboxesField(_l("Allowed training institutions"), coerce=int, choices=[],
                                   description=_l("None ticked: any institution."))

    def numbers_list(self) -> list[str]:
        return [line.strip() for line in (self.numbers.data or "").splitlines() if line.strip()]


STATUS_FILTER = [SelectChoice("", _l("Any status")), *_choices(plain.VOUCHER_STATUS_LABELS)]


class VoucherFilter(BaseForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    status = SelectField(_l("Status"), choices=STATUS_FILTER, default="")


class UseForm(BaseForm):
    enrolment = SelectField(_l("Use it for"), coerce=int, choices=[])
