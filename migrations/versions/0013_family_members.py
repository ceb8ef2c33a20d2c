"""training: a batch may be open to family members of people with disabilities, and an
enrolment records a seat taken as one (the relation and the relative's certificate number)

Revision ID: 0013_family_members
Revises: 0012_training_invitations
Create Date: 2026-12-08 09:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0013_family_members'
down_revision = '0012_training_invitations'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('training_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_to_family_members', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('training_enrolments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('family_relation', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('family_cert_number', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('training_enrolments', schema=None) as batch_op:
        batch_op.drop_column('family_cert_number')
        batch_op.drop_column('family_relation')
    with op.batch_alter_table('training_batches', schema=None) as batch_op:
        batch_op.drop_column('open_to_family_members')
