"""Names of the privacy audit codes (core.audit.labels)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from trainhub.core.audit import labels
from trainhub.core.privacy.models import SENSITIVE_TRAINING

labels.register(
    group=_l("Personal information"),
    actions={"privacy.consent_give": _l("Consent given"),
             "privacy.consent_withdraw": _l("Consent withdrawn"),
             "privacy.copy_download": _l("Copy of personal data downloaded"),
             "privacy.anonymise": _l("People anonymised after retention")},
    keys={"consent": _l("Consent"), "notice_version": _l("Notice version"),
          "method": _l("Method"), "recorded_by": _l("Recorded by"), "format": _l("Format"),
          "count": _l("Count"), "dry_run": _l("Dry run"), "cutoffs": _l("Last use before"),
          "reward_employees": _l("Employees declared for a reward")},
    values={
        # `method` is also how a sign-in passed its second step (core.accounts.signin_flow)
        "method": {"online": _l("Given online by the person"),
                   "paper": _l("Signed paper notice, recorded by staff"),
                   "remembered_device": _l("Remembered device")},
        "consent": {SENSITIVE_TRAINING: _l("Disability and ID data for training and "
                                           "subsidies")},
        "format": {"json": _l("Machine-readable file (JSON)"),
                   "summary": _l("Page to read or print")},
    },
)
