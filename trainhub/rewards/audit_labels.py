"""Names of the reward domain's audit codes (core.audit.labels)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from trainhub.core.audit import labels
from trainhub.rewards.display import DECISION_LABELS, LEVEL_LABELS

labels.register(
    group=_l("Over-quota rewards"),
    actions={
        "reward_declaration.create": _l("Reward declaration created"),
        "reward_declaration.update": _l("Reward declaration edited"),
        "reward_declaration.employee_add": _l("Employee declared"),
        "reward_declaration.employee_remove": _l("Declared employee removed"),
        "reward_declaration.evidence_add": _l("Evidence added"),
        "reward_declaration.evidence_remove": _l("Evidence removed"),
        "reward_declaration.submit": _l("Reward declaration submitted"),
        "reward_declaration.review": _l("Reward declaration reviewed"),
        "reward_declaration.notice_open": _l("Reward notice opened"),
        "reward_declaration.objection": _l("Objection to a reward recorded"),
        "reward_declaration.objection_resolved": _l("Objection to a reward resolved"),
        "reward_declaration.approve": _l("Reward approved"),
        "reward_declaration.pay": _l("Reward paid"),
        "reward.budget": _l("Reward budget set"),
    },
    object_types={"reward_declaration": _l("Reward declaration"),
                  "reward_budget": _l("Reward budget")},
    keys={"staff": _l("Average staff count"), "employee": _l("Employee"),
          "amount": _l("Amount (fen)"), "rewarded": _l("Rewarded persons"),
          "counted": _l("Persons counted")},
    values={"level": dict(LEVEL_LABELS), "decision": dict(DECISION_LABELS)},
)
