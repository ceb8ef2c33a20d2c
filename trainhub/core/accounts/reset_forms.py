"""Forms of the self-service password reset and of the account's contact details."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from trainhub.core.accounts.contact import MOBILE, normalise_phone
from trainhub.core.accounts.forms import PASSWORD_HINT
from trainhub.core.forms import BaseForm

CHANNEL_LABELS = {"email": _l("By e-mail"), "sms": _l("By text message (SMS)")}


class ForgotPasswordForm(BaseForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none",
                                      "spellcheck": "false"})
    channel = RadioField(_l("Send the link"), validators=[DataRequired()])


class ResetPasswordForm(BaseForm):
    new_password = PasswordField(_l("New password"), validators=[DataRequired(),
                                                                   Length(max=256)],
                                 description=PASSWORD_HINT,
                                 render_kw={"autocomplete": "new-password"})
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"})


class ContactForm(BaseForm):
    email = StringField(
        _l("E-mail address"),
        validators=[Optional(), Length(max=254),
                    Email(message=_l("Enter an e-mail address such as name@example.cn."),
                          check_deliverability=False)],
        description=_l("Optional. A password reset link can be sent here."),
        render_kw={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"})
    phone = StringField(
        _l("Mobile number"),
        filters=[lambda value: normalise_phone(value) if value else value],
        validators=[Optional(), Regexp(MOBILE.pattern, message=_l(
            "Enter an 11-digit mainland mobile number, e.g. 13800001234."))],
        description=_l("Optional. 11 digits. A password reset link can be sent here by SMS."),
        render_kw={"autocomplete": "tel", "inputmode": "tel"})
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=256)],
        description=_l("To confirm that it is you: these addresses can reset your password."),
        render_kw={"autocomplete": "current-password"})
