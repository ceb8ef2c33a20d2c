"""Forms of the second step, enrolment, turning it off, and an administrator's reset."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from trainhub.core.forms import BaseForm


def _code_field() -> StringField:
    return StringField(
        _l("6-digit code"), validators=[DataRequired(), Length(max=12)],
        description=_l("The code your authenticator app shows for TrainHub."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "spellcheck": "false"})


class CodeForm(BaseForm):
    code = _code_field()
    remember = BooleanField(_l("Remember this device for 12 hours"),
                            description=_l("Only on a device nobody else uses."))


class RecoveryForm(BaseForm):
    recovery_code = StringField(
        _l("Recovery code"), validators=[DataRequired(), Length(max=24)],
        description=_l("One of the ten codes you kept when you set up the app, e.g. "
                       "ABCDE-FGH23. Each works once."),
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters",
                   "spellcheck": "false"})


class EnrolForm(BaseForm):
    code = _code_field()


class ResetSecondFactorForm(BaseForm):
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=500)],
        description=_l("Recorded in the audit log, e.g. the phone was lost, and how you "
                       "checked the person's identity."))
