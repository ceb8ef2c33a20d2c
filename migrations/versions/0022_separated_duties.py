"""accounts: 三员分立 (the security and audit administrator roles beside the system
administrator, which existing `admin` accounts stay), security parameters set in the
application, remembered password hashes, and API tokens that always expire (existing tokens
without an expiry get 90 days from now) and record why they were revoked

Revision ID: 0022_separated_duties
Revises: 0021_second_factor
Create Date: 2026-12-07 15:30:00

"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa

revision = '0022_separated_duties'
down_revision = '0021_second_factor'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
OLD_ROLES = ("admin", "federation_officer", "institution_staff", "enterprise_contact",
             "trainee", "judge", "chief_judge")
NEW_ROLES = OLD_ROLES[:1] + ("security_admin", "audit_admin") + OLD_ROLES[1:]


def _roles_check(roles):
    return "role IN ('" + "','".join(roles) + "')"


def _replace_roles_check(roles):
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_role_known'), type_='check')
        batch_op.create_check_constraint('role_known', _roles_check(roles))


def upgrade():
    _replace_roles_check(NEW_ROLES)
    op.create_table(
        'password_history',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('password_hash', sa.String(length=200), nullable=False),
        sa.Column('replaced_at', TS, nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_password_history_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_password_history')),
    )
    with op.batch_alter_table('password_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_history_user_id'), ['user_id'],
                              unique=False)
    op.create_table(
        'security_parameters',
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.Column('updated_at', TS, nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                name=op.f('fk_security_parameters_updated_by_id_users')),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_security_parameters')),
    )
    tokens = sa.table('api_tokens', sa.column('expires_at', TS))
    op.execute(tokens.update().where(tokens.c.expires_at.is_(None))
               .values(expires_at=datetime.now(UTC) + timedelta(days=90)))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_reason', sa.String(length=32), nullable=True))
        batch_op.alter_column('expires_at', existing_type=TS, nullable=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=TS, nullable=True)
        batch_op.drop_column('revoked_reason')
    op.drop_table('security_parameters')
    with op.batch_alter_table('password_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_history_user_id'))
    op.drop_table('password_history')
    users = sa.table('users', sa.column('role', sa.String))
    # The split roles have no place in the old schema: they fall back to the one admin.
    op.execute(users.update().where(users.c.role.in_(["security_admin", "audit_admin"]))
               .values(role="admin"))
    _replace_roles_check(OLD_ROLES)
