from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from trainhub.core import cells, idnumbers
from trainhub.core.forms import BaseForm
from trainhub.core.people.models import EmploymentStatus
from trainhub.core.privacy.forms import GuardianFields, consent_field

EMPLOYMENT_LABELS = {
    EmploymentStatus.UNEMPLOYED: _l("Not employed"),
    EmploymentStatus.EMPLOYED: _l("Employed"),
    EmploymentStatus.SELF_EMPLOYED: _l("Self-employed"),
    EmploymentStatus.STUDENT: _l("Student"),
}

NEED_LABELS = {
    "needs_braille": _l("Braille materials"),
    "needs_large_print": _l("Large-print materials"),
    "needs_sign_language": _l("Sign-language interpreter"),
    "needs_wheelchair_access": _l("Step-free (wheelchair) access"),
    "needs_screen_reader": _l("Screen-reader-ready materials"),
}


class PersonForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64)],
                       render_kw={"autocomplete": "off"})
    id_number = StringField(
        _l("Resident ID number"), validators=[DataRequired(), Length(max=24)],
        description=_l("18 characters; the last may be X. Sex and birth date are taken from it."),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    cert_number = StringField(
        _l("Disability certificate number"), validators=[Optional(), Length(max=26)],
        description=_l("20 characters: the resident ID number, then the category (1–7) and "
                       "the grade (1–4)."),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    phone = StringField(_l("Mobile phone"), validators=[
        Optional(), Regexp(r"^1\d{10}$", message=_l("Enter an 11-digit mobile number."))],
        render_kw={"autocomplete": "off", "inputmode": "tel"})
    household_region_code = SelectField(_l("Household registration"),
                                        validators=[DataRequired()])
    employment_status = SelectField(
        _l("Employment status"),
        choices=[SelectChoice(k.value, v) for k, v in EMPLOYMENT_LABELS.items()],
    )
    needs_braille = BooleanField(NEED_LABELS["needs_braille"])
    needs_large_print = BooleanField(NEED_LABELS["needs_large_print"])
    needs_sign_language = BooleanField(NEED_LABELS["needs_sign_language"])
    needs_wheelchair_access = BooleanField(NEED_LABELS["needs_wheelchair_access"])
    needs_screen_reader = BooleanField(NEED_LABELS["needs_screen_reader"])


class NewPersonForm(PersonForm, GuardianFields):
    """Registering a person records their consent (PIPL 单独同意), signed on paper."""

    consent = consent_field(paper=True)


class PeopleFilter(BaseForm):
    """The list's search by name and by the last characters of the masked ID number: a GET
    form, kept in the URL (issue 16). A full number is never asked here: it would stay in
    the address, the logs and the history (IdSearchForm posts it)."""

    class Meta:
        csrf = False

    name = StringField(_l("Name contains"), validators=[Optional(), Length(max=64)],
                       filters=[lambda v: cells.name(v) if v else v],
                       render_kw={"autocomplete": "off"})
    tail = StringField(
        _l("Last 4 characters of the ID number"),
        validators=[Optional(), Regexp(r"^[0-9]{3}[0-9X]$", message=_l(
            "Type the last 4 characters of the ID number, as the masked number shows them: "
            "4 digits, the last may be X. For a whole number use the search by number."))],
        filters=[lambda v: idnumbers.normalize(v) if v else v],
        render_kw={"autocomplete": "off", "spellcheck": "false", "maxlength": 4,
                   "inputmode": "text"},
    )

    def validate_name(self, field: StringField) -> None:
        if field.data and any(ch.isdigit() for ch in field.data):
            raise ValidationError(_l("A name has no digits. To find someone by number, use "
                                     "the last 4 characters or the search by number."))


class IdSearchForm(BaseForm):
    number = StringField(_l("Resident ID or certificate number"),
                         validators=[DataRequired(), Length(max=26)],
                         render_kw={"autocomplete": "off", "spellcheck": "false"})

    def validate_number(self, field: StringField) -> None:
        """Digits of another length than a whole number or its last 4 characters: a slip
        said on the field, not a search for nobody."""
        typed = idnumbers.normalize(field.data or "")
        if typed and all(ch.isdigit() or ch == "X" for ch in typed) \
                and len(typed) not in (4, 18, 20):
            raise ValidationError(_l(
                "Type the whole number (18 characters for an ID, 20 for a certificate) "
                "or its last 4 characters."))


class UnmaskForm(BaseForm):
    purpose = StringField(_l("Why do you need the full numbers?"),
                          validators=[DataRequired(), Length(max=200)])
