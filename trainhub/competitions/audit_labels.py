"""Names of the competitions domain's audit codes (core.audit.labels)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from trainhub.competitions.display import ENTRY_STATUS_LABELS, EVENT_STATUS_LABELS
from trainhub.core.audit import labels

labels.register(
    group=_l("Competitions"),
    actions={
        "competition.appeal": _l("Appeal lodged"),
        "competition.appeal_decided": _l("Appeal decided"),
        "competition.arbitrator_add": _l("Arbitrator added"),
        "competition.arbitrator_remove": _l("Arbitrator removed"),
        "competition.assign": _l("Judge assigned"),
        "competition.confirm": _l("Entry confirmed"),
        "competition.contestant_lookup": _l("Contestant looked up by ID number"),
        "competition.correction_approved": _l("Correction approved"),
        "competition.correction_refused": _l("Correction refused"),
        "competition.correction_request": _l("Correction requested"),
        "competition.create": _l("Competition created"),
        "competition.draw": _l("Draw made"),
        "competition.event_add": _l("Event added"),
        "competition.event_cancel": _l("Event cancelled"),
        "competition.event_end": _l("Event ended"),
        "competition.event_update": _l("Event edited"),
        "competition.flag_resolve": _l("Flag resolved"),
        "competition.judge_register": _l("Judge registered"),
        "competition.lock": _l("Marks locked"),
        "competition.marks_save": _l("Marks saved as a draft"),
        "competition.marks_submit": _l("Marks submitted"),
        "competition.publish": _l("Results published"),
        "competition.refuse": _l("Entry refused"),
        "competition.select": _l("Contestants selected for a higher competition"),
        "competition.select_withdraw": _l("Selection withdrawn"),
        "competition.register": _l("Entry registered"),
        "competition.substitute": _l("Entrant substituted"),
        "competition.unassign": _l("Judge unassigned"),
        "competition.update": _l("Competition edited"),
        "competition.withdraw": _l("Entry withdrawn"),
    },
    object_types={"competition": _l("Competition"), "competition_event": _l("Event"),
                  "competition_judge": _l("Judge"), "competition_entry": _l("Entry"),
                  "competition_delegation": _l("Delegation")},
    keys={"appeal": _l("Appeal"), "aspect": _l("Aspect"), "aspects": _l("Aspects"),
          "correction": _l("Correction"), "entries": _l("Entries"), "entry": _l("Entry"),
          "event": _l("Event"), "judge": _l("Judge"), "marks": _l("Marks"),
          "seed": _l("Seed"), "sheet": _l("Marking sheet"), "chief": _l("Chief judge"),
          "corrections": _l("Corrections"), "found": _l("Found")},
    values={"status": {**EVENT_STATUS_LABELS, **ENTRY_STATUS_LABELS}},
)
