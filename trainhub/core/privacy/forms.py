"""The consent checkbox, on its own or added to another form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from trainhub.core.forms import BaseForm
from trainhub.core.privacy.consent import GUARDIAN_RELATIONS
from trainhub.core.privacy.notice import CURRENT


def consent_field(paper: bool = False) -> Any:
    """Unticked by default and never required by the browser: the service decides (an
    active consent makes a new tick unnecessary)."""
    if paper:
        label = _l("The person has read the notice (version %(version)s) and signed their "
                   "consent on paper; I keep the signed copy.", version=CURRENT.version)
    else:
        label = _l("I have read the notice above (version %(version)s) and agree to the "
                   "processing of my sensitive personal information for training and "
                   "subsidies.", version=CURRENT.version)
    return BooleanField(label, default=False)


def guardian_name_field() -> Any:
    return StringField(_l("Name of the parent or guardian"), validators=[Length(max=64)],
                       description=_l("Only for a person under 18: the parent or guardian "
                                      "who agrees on their behalf."),
                       render_kw={"autocomplete": "off"})


def guardian_relation_field() -> Any:
    return SelectField(_l("The guardian is the person's"), validate_choice=False,
                       choices=[SelectChoice("", _l("Choose…")),
                                *(SelectChoice(k, _l(v)) for k, v in GUARDIAN_RELATIONS.items())])


class GuardianFields:
    """Asked beside the consent box: required by the service for a person under 18."""

    guardian_name = guardian_name_field()
    guardian_relation = guardian_relation_field()


class ConsentForm(BaseForm, GuardianFields):
    consent = consent_field()


class WithdrawForm(BaseForm):
    """Only the CSRF token: the button says what it does."""
