"""subsidies: an officer cancels an unused voucher, with the reason the holder reads

Revision ID: 0008_voucher_cancellation
Revises: 0007_competitions
Create Date: 2026-12-01 23:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0008_voucher_cancellation'
down_revision = '0007_competitions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('subsidy_vouchers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancelled_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_subsidy_vouchers_cancelled_by_id_users'),
                                    'users', ['cancelled_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('subsidy_vouchers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_subsidy_vouchers_cancelled_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_by_id')
        batch_op.drop_column('cancelled_at')
