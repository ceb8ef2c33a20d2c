"""documents: a verifiable document names the authority in whose name it is issued (a
county-level base certificate is the county federation's, not the province's)

Revision ID: 0011_verification_issuer
Revises: 0010_batch_household_condition
Create Date: 2026-12-07 09:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0011_verification_issuer'
down_revision = '0010_batch_household_condition'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('verifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issuer', sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table('verifications', schema=None) as batch_op:
        batch_op.drop_column('issuer')
