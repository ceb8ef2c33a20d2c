"""Names of the training domain's audit codes (core.audit.labels)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from trainhub.core.audit import labels
from trainhub.training.display import (
    BATCH_STATUS_LABELS,
    CERTIFICATE_LEVEL_LABELS,
    CERTIFICATE_TYPE_LABELS,
    DEMAND_STATUS_LABELS,
    ENROLMENT_STATUS_LABELS,
)

labels.register(
    actions={
        "training_attendance.mark": _l("Attendance marked"),
        "training_batch.approve": _l("Batch approved"),
        "training_batch.cancel": _l("Batch cancelled"),
        "training_batch.capacity": _l("Batch capacity changed"),
        "training_batch.complete": _l("Batch completed"),
        "training_batch.create": _l("Batch created"),
        "training_batch.export_full": _l("Roster exported with full numbers"),
        "training_batch.open_enrolment": _l("Enrolment opened"),
        "training_batch.reject": _l("Batch rejected"),
        "training_batch.return": _l("Batch returned for changes"),
        "training_batch.session_add": _l("Session added"),
        "training_batch.session_remove": _l("Session removed"),
        "training_batch.settle": _l("Batch settled"),
        "training_batch.start": _l("Batch started"),
        "training_batch.submit": _l("Batch submitted for approval"),
        "training_batch.update": _l("Batch edited"),
        "training_completion.correct": _l("Result corrected"),
        "training_completion.record": _l("Result recorded"),
        "training_demand.close": _l("Demand closed"),
        "training_demand.post": _l("Demand posted"),
        "training_demand.update": _l("Demand edited"),
        "training_enrolment.admit": _l("Trainee admitted"),
        "training_enrolment.apply": _l("Trainee applied"),
        "training_enrolment.decline": _l("Application declined"),
        "training_enrolment.promote": _l("Promoted from the waiting list"),
        "training_enrolment.remove": _l("Removed from the batch by the institution"),
        "training_enrolment.wait": _l("Put on the waiting list"),
        "training_enrolment.withdraw": _l("Trainee withdrew"),
        "training_followup.record": _l("Employment follow-up recorded"),
        "training_import.run": _l("Excel enrolment imported"),
    },
    object_types={"training_batch": _l("Batch"), "training_demand": _l("Demand"),
                  "training_enrolment": _l("Enrolment"), "training_session": _l("Session"),
                  "training_import_job": _l("Excel import")},
    keys={"batch": _l("Batch"), "commitment": _l("Hiring commitment"),
          "declined": _l("Declined"), "demand": _l("Demand"), "head_count": _l("Head count"),
          "hours": _l("Hours"), "session": _l("Session"), "starts_at": _l("Starts at"),
          "marked": _l("Marked"), "rows": _l("Rows"), "imported": _l("Imported"),
          "errors": _l("Errors"), "employed": _l("Employed"), "form": _l("Form of employment"),
          "sessions_ended": _l("Sessions ended"), "left": _l("Left"),
          "joined": _l("Joined"), "automatic": _l("Automatic"), "ends_at": _l("Ends at"),
          "certificate_type": _l("Certificate type"),
          "certificate_level": _l("Certificate level")},
    values={"source": {"self": _l("the trainee applied"),
                       "staff": _l("enrolled by the institution"),
                       "import": _l("Excel enrolment")},
            "certificate_type": dict(CERTIFICATE_TYPE_LABELS),
            "certificate_level": dict(CERTIFICATE_LEVEL_LABELS),
            "status": {**BATCH_STATUS_LABELS, **DEMAND_STATUS_LABELS,
                       **ENROLMENT_STATUS_LABELS}},
)
