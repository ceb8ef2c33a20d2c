"""training: a batch may admit only people with a Jiangxi household registration

Revision ID: 0010_batch_household_condition
Revises: 0009_result_breakdown_nulls
Create Date: 2026-12-07 09:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0010_batch_household_condition'
down_revision = '0009_result_breakdown_nulls'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('training_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('jiangxi_household_only', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('training_batches', schema=None) as batch_op:
        batch_op.drop_column('jiangxi_household_only')
