"""accounts: the second factor (TOTP secret encrypted, recovery code hashes) and sign-in
failures counted per (account, address)

Revision ID: 0021_second_factor
Revises: 0020_import_job_heartbeat
Create Date: 2026-12-07 14:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0021_second_factor'
down_revision = '0020_import_job_heartbeat'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        'second_factors',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('secret', sa.Text(), nullable=False),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('confirmed_at', TS, nullable=True),
        sa.Column('last_step', sa.Integer(), nullable=False),
        sa.Column('failed_codes', sa.Integer(), nullable=False),
        sa.Column('locked_until', TS, nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_second_factors_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_second_factors')),
        sa.UniqueConstraint('user_id', name=op.f('uq_second_factors_user_id')),
    )
    op.create_table(
        'recovery_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=200), nullable=False),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('used_at', TS, nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_recovery_codes_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    )
    op.create_index(op.f('ix_recovery_codes_user_id'), 'recovery_codes', ['user_id'])
    op.create_table(
        'login_throttles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('client_address', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('locked_until', TS, nullable=True),
        sa.Column('updated_at', TS, nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_login_throttles_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_throttles')),
        sa.UniqueConstraint('user_id', 'client_address',
                            name=op.f('uq_login_throttles_user_id')),
    )
    op.create_index(op.f('ix_login_throttles_user_id'), 'login_throttles', ['user_id'])


def downgrade():
    op.drop_index(op.f('ix_login_throttles_user_id'), table_name='login_throttles')
    op.drop_table('login_throttles')
    op.drop_index(op.f('ix_recovery_codes_user_id'), table_name='recovery_codes')
    op.drop_table('recovery_codes')
    op.drop_table('second_factors')
