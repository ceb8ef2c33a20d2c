"""subsidies: the approval queue is read from one index: a status's decisions in the order
served (submitted_at, id), carrying the region, institution, batch and kind its scope and
filters read, so PostgreSQL counts a queue, lists its first page's ids and the choices of
its filters without visiting the decisions themselves (SQLite: the key columns only)

Revision ID: 0019_decision_queue_index
Revises: 0018_audit_chain
Create Date: 2026-12-07 15:00:00

"""
from alembic import op

revision = '0019_decision_queue_index'
down_revision = '0018_audit_chain'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_subsidy_decisions_queue', 'subsidy_decisions',
                    ['status', 'submitted_at', 'id'],
                    postgresql_include=['region_code', 'institution_id', 'batch_id', 'kind'])


def downgrade():
    op.drop_index('ix_subsidy_decisions_queue', table_name='subsidy_decisions')
