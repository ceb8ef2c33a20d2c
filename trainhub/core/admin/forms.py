from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from trainhub.core.forms import BaseForm


class NewAccountForm(BaseForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(min=3, max=64),
                    Regexp(r"^[A-Za-z0-9._-]+$",
                           message=_l("Use letters, digits, dots, hyphens or underscores."))],
        render_kw={"autocomplete": "off"},
    )
    display_name = StringField(_l("Name shown"), validators=[DataRequired(), Length(max=64)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    region_code = SelectField(_l("Region (officers)"), validators=[Optional()],
                              description=_l("The officer sees this region and everything below."))
    institution_id = SelectField(_l("Institution (institution staff)"), validators=[Optional()],
                                 coerce=str)
    enterprise_id = SelectField(_l("Enterprise (enterprise contacts)"), validators=[Optional()],
                                coerce=str)
    person_number = StringField(
        _l("Resident ID number (trainees)"), validators=[Optional(), Length(max=24)],
        description=_l("The trainee must already be registered as a person."),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    expires_on = DateField(_l("Account expires on (optional)"), validators=[Optional()],
                           description=_l("For judges and temporary staff."))
