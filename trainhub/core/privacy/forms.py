"""The consent checkbox, on its own or added to another form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from trainhub.core.forms import BaseForm
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


class ConsentForm(BaseForm):
    consent = consent_field()


class WithdrawForm(BaseForm):
    """Only the CSRF token: the button says what it does."""
