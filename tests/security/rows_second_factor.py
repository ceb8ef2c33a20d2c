"""Permission-matrix rows of the second factor: the two sign-in steps are public (they serve
only a browser whose password was just accepted; anyone else is sent to /login), the account
page belongs to each signed-in user, and the reset to the administrator of accounts."""

from __future__ import annotations

from tests.security.matrix import ACTORS, EVERYONE, Row

ROWS: dict[str, Row] = {
    "accounts.second_step": Row("GET", lambda ids: "/login/code", set(ACTORS), public=True),
    "accounts.enrol_pending": Row("GET", lambda ids: "/login/enrol", set(ACTORS),
                                  public=True),
    "accounts.second_factor": Row("GET", lambda ids: "/account/second-factor", EVERYONE),
    "accounts.disable_second_factor": Row(
        "POST", lambda ids: "/account/second-factor/disable", EVERYONE),
    "accounts.regenerate_recovery_codes": Row(
        "POST", lambda ids: "/account/second-factor/recovery-codes", EVERYONE),
    "accounts.reset_second_factor": Row(
        "GET", lambda ids: f"/admin/users/{ids['other_user']}/second-factor", {"admin"}),
}
