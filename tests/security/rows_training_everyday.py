"""Permission-matrix rows of everyday staff work on a batch (issue 16 item 4): all present,
enrolling one trainee by hand, QR check-in, the session calendars. The batch belongs to an
institution none of the actors works for, so its running is nobody's here."""

from __future__ import annotations

from tests.security.rows_training import NOBODY, _row

B = "/training/batches/{%s}"
ROWS = {
    "training.enrol_one": _row("GET", B % "enrolling" + "/enrol", NOBODY, "enrolling"),
    "training.all_present": _row("POST", B % "completed" + "/sessions/{ran_session}"
                                 "/attendance/all-present", NOBODY, "completed"),
}
