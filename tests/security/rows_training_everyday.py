"""Permission-matrix rows of everyday staff work on a batch (issue 16 item 4): all present,
enrolling one trainee by hand, QR check-in, the session calendars. The batch belongs to an
institution none of the actors works for, so its running is nobody's here."""

from __future__ import annotations

from tests.security.rows_training import IN_SCOPE_AND_ADMIN, NOBODY, TRAINEES, _row

B = "/training/batches/{%s}"
S = B % "completed" + "/sessions/{ran_session}/checkin"
ROWS = {
    # QR check-in: the batch's staff run it (no actor); any trainee may open a code's link,
    # which refuses a code that is not good (a seat in the batch is checked on POST).
    "training.checkin_page": _row("GET", S, NOBODY, "completed"),
    "training.open_checkin": _row("POST", S + "/open", NOBODY, "completed"),
    "training.close_checkin": _row("POST", S + "/close", NOBODY, "completed"),
    "training.confirm_checkins": _row("POST", S + "/confirm", NOBODY, "completed"),
    "training.close_batch_checkin": _row("POST", B % "completed" + "/checkin/close", NOBODY,
                                         "completed"),
    "training.check_in": _row("GET", "/training/checkin/not-a-code", TRAINEES),
    "training.batch_calendar": _row("GET", B % "enrolling" + "/sessions.ics", IN_SCOPE_AND_ADMIN,
                                    "enrolling"),
    "training.my_calendar": _row("GET", "/training/mine/sessions.ics", TRAINEES),
    "training.enrol_one": _row("GET", B % "enrolling" + "/enrol", NOBODY, "enrolling"),
    "training.all_present": _row("POST", B % "completed" + "/sessions/{ran_session}"
                                 "/attendance/all-present", NOBODY, "completed"),
}
