"""accounts: the larger-text, high-contrast mode chosen by a user (core.view_mode)

Revision ID: 0026_large_text
Revises: 0025_import_consent
Create Date: 2026-12-07 17:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0026_large_text'
down_revision = '0025_import_consent'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('large_text', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('large_text')
