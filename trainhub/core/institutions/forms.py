from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from trainhub.core.forms import BaseForm

ORG_TYPE_LABELS = {"school": _l("Training school"), "company": _l("Company"),
                   "ngo": _l("Social organisation (NGO)")}


class InstitutionForm(BaseForm):
    name = StringField(_l("Institution name"), validators=[DataRequired(), Length(max=120)])
    credit_code = StringField(
        _l("Unified social credit code"), validators=[DataRequired(), Length(max=24)],
        description=_l("18 characters, as on the business licence or registration "
                       "certificate."), render_kw={"autocomplete": "off", "spellcheck": "false"})
    org_type = SelectField(_l("Kind of institution"),
                           choices=[SelectChoice(k, v) for k, v in ORG_TYPE_LABELS.items()])
    region_code = SelectField(_l("County"), validators=[DataRequired()])
    registered_on = DateField(_l("Registered on (optional)"), validators=[Optional()])
    address = StringField(_l("Address"), validators=[Length(max=200)])
    contact_name = StringField(_l("Contact person"), validators=[Length(max=64)])
    contact_phone = StringField(_l("Contact telephone"), validators=[
        Optional(), Regexp(r"^[0-9+\- ]{7,20}$", message=_l("Enter a telephone number."))])


class StaffAccountForm(BaseForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(min=3, max=64),
                    Regexp(r"^[A-Za-z0-9._-]+$",
                           message=_l("Use letters, digits, dots, hyphens or underscores."))],
        render_kw={"autocomplete": "off"})
    display_name = StringField(_l("Name shown"), validators=[DataRequired(), Length(max=64)])
