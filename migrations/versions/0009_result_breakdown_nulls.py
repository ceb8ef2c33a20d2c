"""competitions: a published result's breakdown holds null, not the text "None", for an
aspect without a mark

Revision ID: 0009_result_breakdown_nulls
Revises: 0008_voucher_cancellation
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0009_result_breakdown_nulls'
down_revision = '0008_voucher_cancellation'
branch_labels = None
depends_on = None

results = sa.table('competition_results', sa.column('id', sa.Integer),
                   sa.column('breakdown', sa.JSON))


def upgrade():
    connection = op.get_bind()
    for id_, breakdown in connection.execute(sa.select(results.c.id, results.c.breakdown)).all():
        if breakdown and 'None' in breakdown.values():
            connection.execute(results.update().where(results.c.id == id_).values(
                breakdown={code: None if mark == 'None' else mark
                           for code, mark in breakdown.items()}))


def downgrade():
    # Nothing to undo: the readers before this revision took null as well as "None".
    pass
