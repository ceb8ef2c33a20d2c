from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Regexp,
)

from trainhub.core.accounts.credentials import TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS
from trainhub.core.forms import BaseForm
from trainhub.core.privacy.forms import GuardianFields, consent_field


class LoginForm(BaseForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                      render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(max=256)],
        description=_l("At least 12 characters, mixing three of: lower-case letters, "
                       "upper-case letters, digits and symbols; not containing your username."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class TokenForm(BaseForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("What the token is for, e.g. the system that uses it."))
    lifetime_days = IntegerField(
        _l("Valid for (days)"), default=TOKEN_DEFAULT_DAYS,
        validators=[InputRequired(), NumberRange(
            min=1, max=TOKEN_MAX_DAYS, message=_l("A token lasts from 1 to 365 days."))],
        description=_l("90 days unless you need otherwise; at most 365."),
        render_kw={"inputmode": "numeric", "min": 1, "max": TOKEN_MAX_DAYS})


# --- trainee accounts: registration and activation -------------------------------------

USERNAME_RULE = Regexp(r"^[A-Za-z0-9._-]+$",
                       message=_l("Use letters, digits, dots, hyphens or underscores."))
PASSWORD_HINT = _l("At least 12 characters, mixing three of: lower-case letters, upper-case "
                   "letters, digits and symbols; not containing your username.")


def _new_username() -> StringField:
    return StringField(
        _l("Username"), validators=[DataRequired(), Length(min=3, max=64), USERNAME_RULE],
        description=_l("You sign in with it. 3 to 64 characters: letters, digits, dots, "
                       "hyphens or underscores."),
        render_kw={"autocomplete": "username", "autocapitalize": "none",
                   "spellcheck": "false"})


def _new_password() -> PasswordField:
    return PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                         description=PASSWORD_HINT, render_kw={"autocomplete": "new-password"})


def _confirmation() -> PasswordField:
    return PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"})


def _id_number() -> StringField:
    return StringField(
        _l("Resident ID number"), validators=[DataRequired(), Length(max=24)],
        description=_l("18 characters, as on your resident ID card; the last may be X."),
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"})


class RegistrationForm(BaseForm, GuardianFields):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64)],
                       description=_l("As on your resident ID card."),
                       render_kw={"autocomplete": "name"})
    id_number = _id_number()
    cert_number = StringField(
        _l("Disability certificate number"), validators=[DataRequired(), Length(max=26)],
        description=_l("20 characters, as on your disability certificate: your resident ID "
                       "number followed by two digits."),
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"})
    household_region_code = SelectField(
        _l("County of household registration"), validators=[DataRequired()],
        description=_l("The county (district, county-level city) of your hukou in Jiangxi."))
    username = _new_username()
    password = _new_password()
    confirm_password = _confirmation()
    consent = consent_field()  # PIPL 单独同意: the notice is shown beside it


class ActivationForm(BaseForm, GuardianFields):
    code = StringField(
        _l("Activation code"), validators=[DataRequired(), Length(max=40)],
        description=_l("12 letters and digits from the slip your training institution gave "
                       "you, e.g. ABCD-EFGH-JKMN. Hyphens and spaces do not matter."),
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false",
                   "autocapitalize": "characters"})
    id_number = _id_number()
    username = _new_username()
    password = _new_password()
    confirm_password = _confirmation()
    consent = consent_field()  # PIPL 单独同意: the notice is shown beside it
