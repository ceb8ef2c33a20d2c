"""Labels of the reward declarations' codes, for pages and the audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from trainhub.rewards.models import DeclarationStatus, ReviewDecision, ReviewLevel

STATUS_LABELS = {
    DeclarationStatus.DRAFT.value: _l("Draft"),
    DeclarationStatus.SUBMITTED.value: _l("Waiting for the county"),
    DeclarationStatus.COUNTY_REVIEWED.value: _l("Waiting for the city"),
    DeclarationStatus.CITY_REVIEWED.value: _l("Passed by the city"),
    DeclarationStatus.IN_NOTICE.value: _l("Under public notice"),
    DeclarationStatus.APPROVED.value: _l("Approved"),
    DeclarationStatus.PAID.value: _l("Paid"),
    DeclarationStatus.RETURNED.value: _l("Returned"),
}
LEVEL_LABELS = {ReviewLevel.COUNTY.value: _l("County"), ReviewLevel.CITY.value: _l("City")}
DECISION_LABELS = {ReviewDecision.PASS.value: _l("Pass on"),
                   ReviewDecision.RETURN.value: _l("Return to the enterprise")}
