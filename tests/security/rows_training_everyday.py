"""Permission-matrix rows of everyday staff work on a batch (issue 16 item 4): all present,
enrolling one trainee by hand, QR check-in, the session calendars. The batch belongs to an
institution none of the actors works for, so its running is nobody's here."""

from __future__ import annotations

from tests.security.rows_training import IN_SCOPE_AND_ADMIN, NOBODY, TRAINEES, _row

B = "/training/batches/{%s}"
ROWS = {
    "training.batch_calendar": _row("GET", B % "enrolling" + "/sessions.ics", IN_SCOPE_AND_ADMIN,
                                    "enrolling"),
    "training.my_calendar": _row("GET", "/training/mine/sessions.ics", TRAINEES),
    "training.enrol_one": _row("GET", B % "enrolling" + "/enrol", NOBODY, "enrolling"),
    "training.all_present": _row("POST", B % "completed" + "/sessions/{ran_session}"
                                 "/attendance/all-present", NOBODY, "completed"),
}
