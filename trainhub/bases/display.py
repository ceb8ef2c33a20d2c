"""Names of the domain's codes, translated for the reader (and frozen in Chinese on
certificates, whose legal language is Chinese)."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainhub.bases import criteria

KIND_LABELS = {"training": _l("Training base"), "incubator": _l("Incubation base")}
LEVEL_LABELS = {"county": _l("County level"), "city": _l("City level"),
                "province": _l("Province level")}
SPECIALTY_LABELS = {
    "massage": _l("Blind massage"), "intangible_heritage": _l("Intangible cultural heritage"),
    "ecommerce": _l("E-commerce"), "livestreaming": _l("Livestreaming"),
    "handicraft": _l("Handicrafts"), "agriculture": _l("Modern agriculture"),
    "general": _l("General vocational skills"),
}
APPLICATION_STATUS_LABELS = {
    "draft": _l("Draft"), "in_review": _l("In review"), "returned": _l("Returned for changes"),
    "rejected": _l("Rejected"), "notice": _l("Under public notice"),
    "certified": _l("Certified"), "withdrawn": _l("Withdrawn"),
}
DECISION_LABELS = {"recommend": _l("Recommend"), "return": _l("Return for changes"),
                   "reject": _l("Reject")}
BASE_STATUS_LABELS = {"valid": _l("Valid"), "suspended": _l("Suspended"),
                      "revoked": _l("Revoked"), "superseded": _l("Replaced by a renewal"),
                      "expired": _l("Expired")}
OUTCOME_LABELS = {"pass": _l("Pass"), "rectify": _l("Rectify by a deadline"),
                  "revoke": _l("Revoke")}


def specialty_names(codes: Iterable[str]) -> str:
    return "、".join(str(SPECIALTY_LABELS.get(c, c)) for c in codes)



def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        base_kind=lambda code: KIND_LABELS.get(code, code),
        base_level=lambda code: LEVEL_LABELS.get(code, code),
        specialties=specialty_names,
        # each criterion's answer against its threshold (bases.criteria.judge)
        criteria_results=criteria.judge,
    )
