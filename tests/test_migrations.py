"""Models and migrations agree: autogenerate finds nothing to add on this database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from trainhub.extensions import db


def test_models_match_migrations(ctx):
    connection = db.session.connection()
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    assert compare_metadata(context, db.metadata) == []


def test_reference_regions_are_loaded(ctx):
    from sqlalchemy import func, select

    from trainhub.core.regions import Region

    counts = dict(db.session.execute(
        select(Region.level, func.count()).group_by(Region.level)).all())
    assert counts == {"province": 1, "city": 11, "county": 100}
