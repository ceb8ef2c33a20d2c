"""Matrix rows of the coverage dashboard: officers of every level (each sees their own
region) and the admin (the province); nobody else."""

from __future__ import annotations

from tests.security.matrix import ALL_OFFICERS, Row

COVERAGE_VIEWERS = ALL_OFFICERS | {"admin"}

ROWS: dict[str, Row] = {
    "bases.coverage": Row("GET", lambda ids: "/bases/coverage?kind=training",
                          COVERAGE_VIEWERS),
    "bases.coverage_xlsx": Row("GET", lambda ids: "/bases/coverage.xlsx", COVERAGE_VIEWERS),
    "bases.coverage_map": Row("GET", lambda ids: "/bases/coverage/map.json",
                              COVERAGE_VIEWERS),
}
