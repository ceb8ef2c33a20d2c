"""privacy: consent records (who agreed to which notice version, how, recorded by whom,
withdrawn when) and the date a person's record was anonymised after retention

Revision ID: 0024_privacy_consents
Revises: 0023_password_reset
Create Date: 2026-12-08 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0024_privacy_consents'
down_revision = '0023_password_reset'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        'privacy_consents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=32), nullable=False),
        sa.Column('notice_version', sa.String(length=16), nullable=False),
        sa.Column('method', sa.String(length=8), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('given_at', TS, nullable=False),
        sa.Column('withdrawn_at', TS, nullable=True),
        sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("method IN ('online', 'paper')",
                           name=op.f('ck_privacy_consents_method_known')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'],
                                name=op.f('fk_privacy_consents_person_id_people')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                                name=op.f('fk_privacy_consents_recorded_by_id_users')),
        sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'],
                                name=op.f('fk_privacy_consents_withdrawn_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_consents')),
    )
    op.create_index('ix_privacy_consents_person_purpose', 'privacy_consents',
                    ['person_id', 'purpose'], unique=False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', TS, nullable=True))


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
    op.drop_index('ix_privacy_consents_person_purpose', table_name='privacy_consents')
    op.drop_table('privacy_consents')
