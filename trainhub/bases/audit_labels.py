"""Names of the bases domain's audit codes (core.audit.labels)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from trainhub.bases.display import (
    APPLICATION_STATUS_LABELS,
    BASE_STATUS_LABELS,
    DECISION_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    OUTCOME_LABELS,
)
from trainhub.core.audit import labels

labels.register(
    group=_l("Bases"),
    actions={
        "base.annual_review": _l("Yearly review recorded"),
        "base.certificate_number": _l("Certificate number given"),
        "base.certify": _l("Base certified"),
        "base.reinstate": _l("Base reinstated"),
        "base.renewal_start": _l("Renewal started"),
        "base.resident_save": _l("Incubated enterprise saved"),
        "base.revoked": _l("Base revoked"),
        "base.supersede": _l("Base replaced by its renewal"),
        "base.superseded": _l("Base replaced by its renewal"),
        "base.suspended": _l("Base suspended"),
        "base_application.create": _l("Base application created"),
        "base_application.evidence_add": _l("Evidence added"),
        "base_application.evidence_remove": _l("Evidence removed"),
        "base_application.notice_open": _l("Public notice opened"),
        "base_application.objection": _l("Objection raised"),
        "base_application.objection_resolved": _l("Objection resolved"),
        "base_application.review": _l("Application reviewed"),
        "base_application.submit": _l("Application submitted"),
        "base_application.update": _l("Application edited"),
        "base_application.withdraw": _l("Application withdrawn"),
        "bases.coverage_export": _l("Coverage exported"),
    },
    object_types={"base": _l("Base"), "base_application": _l("Base application"),
                  "coverage": _l("Base coverage")},
    keys={"application": _l("Application"), "base": _l("Base"),
          "certificate_number": _l("Certificate number"), "comment": _l("Comment"),
          "decision": _l("Decision"), "ends_on": _l("Ends on"), "file": _l("File"),
          "level": _l("Level"), "objection": _l("Objection"), "resident": _l("Enterprise"),
          "review": _l("Review"), "replaced": _l("Replaced"), "upheld": _l("Upheld"),
          "resolution": _l("Resolution"), "institutions": _l("Institutions"),
          "size": _l("Size (bytes)"), "passed": _l("Passed")},
    values={"level": dict(LEVEL_LABELS), "decision": dict(DECISION_LABELS),
            "kind": dict(KIND_LABELS), "outcome": dict(OUTCOME_LABELS),
            "status": {**APPLICATION_STATUS_LABELS, **BASE_STATUS_LABELS}},
)
