"""Consent rows for tests that are about something else (an application needs one)."""

from __future__ import annotations

from trainhub.core.privacy.models import SENSITIVE_TRAINING, Consent, Method
from trainhub.core.privacy.notice import CURRENT
from trainhub.extensions import db


def consented(person_id: int, method: Method = Method.PAPER) -> Consent:
    """A consent in force to the current notice (flushed, not committed)."""
    row = Consent(person_id=person_id, purpose=SENSITIVE_TRAINING,
                  notice_version=CURRENT.version, method=method.value)
    db.session.add(row)
    db.session.flush()
    return row
