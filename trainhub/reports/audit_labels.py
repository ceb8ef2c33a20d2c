"""Names of the plan report's audit codes (core.audit.labels)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from trainhub.core.audit import labels

labels.register(
    group=_l("Plan reports"),
    actions={"reports.plan_submit": _l("Plan report submitted"),
             "reports.plan_export": _l("Plan report exported")},
    object_types={"plan_report": _l("Plan report")},
    keys={"year": _l("Year"), "format": _l("Format")},
)
