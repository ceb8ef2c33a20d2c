"""training: staff enrolling a person by ID number ask them to confirm (an invitation the
person answers on their own page)

Revision ID: 0012_training_invitations
Revises: 0011_verification_issuer
Create Date: 2026-12-07 09:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0012_training_invitations'
down_revision = '0011_verification_issuer'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'training_invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['batch_id'], ['training_batches.id'],
                                name=op.f('fk_training_invitations_batch_id_training_batches')),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'],
                                name=op.f('fk_training_invitations_invited_by_id_users')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'],
                                name=op.f('fk_training_invitations_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_training_invitations')),
        sa.UniqueConstraint('batch_id', 'person_id',
                            name=op.f('uq_training_invitations_batch_id')),
    )
    with op.batch_alter_table('training_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_invitations_batch_id'), ['batch_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_training_invitations_person_id'), ['person_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_training_invitations_status'), ['status'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('training_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_invitations_status'))
        batch_op.drop_index(batch_op.f('ix_training_invitations_person_id'))
        batch_op.drop_index(batch_op.f('ix_training_invitations_batch_id'))
    op.drop_table('training_invitations')
