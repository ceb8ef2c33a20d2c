"""The state of a region's decisions, read by several processes from the database: a change
committed after a later-numbered one must still move it (the reconciliation report is kept
per process under this version, and would otherwise stay stale for good)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from trainhub.extensions import db
from trainhub.subsidies import versions

# What the triggers of migration 0017 run on PostgreSQL for each county a change touches.
BUMP = sa.text("INSERT INTO subsidy_decision_versions (region_code, version) "
               "VALUES (:county, nextval('subsidy_decision_version_seq')) "
               "ON CONFLICT (region_code) DO UPDATE SET version = EXCLUDED.version")


@pytest.mark.postgres_only
def test_a_change_committed_out_of_order_moves_the_version(app):
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() != "postgresql":  # SQLite's writers take turns: no overlap
        pytest.skip("overlapping writers need PostgreSQL")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as slow, engine.connect() as fast:
            slow.execute(BUMP, {"county": "360102"})  # takes the smaller number...
            fast.execute(BUMP, {"county": "360103"})
            fast.commit()
            seen = _version(engine)
            slow.commit()  # ...and commits last
            assert _version(engine) != seen
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM subsidy_decision_versions "
                                 "WHERE region_code IN ('360102', '360103')"))
        engine.dispose()


def _version(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(versions.region_version_query("36")) or 0)
