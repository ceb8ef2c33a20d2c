"""Permission-matrix row of the larger-text switch in the header (core.view_mode): anyone,
signed in or not, may turn the mode on or off (a preference, kept in a cookie and, when
signed in, on the account)."""

from __future__ import annotations

from tests.security.matrix import ACTORS, Row

ROWS: dict[str, Row] = {
    "view_mode.set_mode": Row(
        "POST", lambda ids: "/view-mode", set(ACTORS), data={"mode": "large"}, public=True
    ),
}
