"""subsidies: the approval queue's index carries its region, institution, batch and kind as
key columns on every database, instead of as PostgreSQL's INCLUDE columns: SQLite, which has
no INCLUDE, held only (status, submitted_at, id) and read each of a province's ~10,700
submitted decisions (rows of several KB) to test its region when it counted the queue; now
both count a queue, list a page's ids and the choices of its filters from the index alone
(issue 13)

Revision ID: 0037_decision_queue_covering
Revises: 0036_training_checkins
Create Date: 2026-12-07 18:00:00

"""
from alembic import op

revision = '0037_decision_queue_covering'
down_revision = '0036_training_checkins'
branch_labels = None
depends_on = None

COLUMNS = ['status', 'submitted_at', 'id', 'region_code', 'institution_id', 'batch_id', 'kind']


def upgrade():
    op.drop_index('ix_subsidy_decisions_queue', table_name='subsidy_decisions')
    op.create_index('ix_subsidy_decisions_queue', 'subsidy_decisions', COLUMNS)


def downgrade():
    op.drop_index('ix_subsidy_decisions_queue', table_name='subsidy_decisions')
    op.create_index('ix_subsidy_decisions_queue', 'subsidy_decisions',
                    ['status', 'submitted_at', 'id'],
                    postgresql_include=['region_code', 'institution_id', 'batch_id', 'kind'])
