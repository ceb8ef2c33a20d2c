"""Names of the subsidies domain's audit codes (core.audit.labels)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from trainhub.core.audit import labels
from trainhub.subsidies.display import KIND_LABELS, REASON_LABELS, STATUS_LABELS

labels.register(
    group=_l("Subsidies"),
    actions={
        "subsidy.approve": _l("Subsidy approved"),
        "subsidy.budget": _l("Budget set"),
        "subsidy.compute": _l("Subsidy computed"),
        "subsidy.pay": _l("Subsidy paid"),
        "subsidy.reject": _l("Subsidy rejected"),
        "subsidy.report_export": _l("Reconciliation exported"),
        "subsidy.submit": _l("Subsidy claimed"),
        "subsidy_voucher.cancel": _l("Voucher cancelled"),
        "subsidy_voucher.claim": _l("Voucher claimed"),
        "subsidy_voucher.issue": _l("Voucher issued"),
        "subsidy_voucher.redeem": _l("Voucher redeemed"),
        "subsidy_voucher.release": _l("Voucher given back"),
        "subsidy_voucher.settle": _l("Voucher settled"),
    },
    object_types={"subsidy_decision": _l("Subsidy decision"),
                  "subsidy_voucher": _l("Training voucher"),
                  "subsidy_budget": _l("Budget"), "subsidy_report": _l("Reconciliation")},
    keys={"amount_fen": _l("Amount"), "face_value_fen": _l("Face value"),
          "settled_fen": _l("Settled amount"), "categories": _l("Categories"),
          "decisions": _l("Decisions"), "recomputed": _l("Recomputed")},
    values={"kind": dict(KIND_LABELS), "status": dict(STATUS_LABELS),
            "reason": dict(REASON_LABELS)},
)
