"""Permission matrix rows for the public front door's other pages (trainhub.public, routed
by core.home); `/` itself is home.index, in matrix.py."""

from __future__ import annotations

from tests.security.matrix import ACTORS, Row

ROWS: dict[str, Row] = {
    "home.guide": Row("GET", lambda ids: "/guide", set(ACTORS), public=True),
}
