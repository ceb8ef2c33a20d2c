"""Permission-matrix rows of the trainee account pages: registration and activation are
public (a signed-in visitor is sent to the home page)."""

from __future__ import annotations

from tests.security.matrix import ACTORS, Row

ROWS: dict[str, Row] = {
    "accounts.register": Row("GET", lambda ids: "/register", set(ACTORS), public=True),
    "accounts.activate": Row("GET", lambda ids: "/activate", set(ACTORS), public=True),
}
