"""subsidies: an institution's decisions are found by (institution_id, status), which replaces
the index on institution_id alone: the staff home page counts its institution's decisions by
status from the index alone instead of reading each decision (rows of several KB) for its
status; every lookup by institution is served by the new index's first column (issue 13)

Revision ID: 0038_decision_institution_status
Revises: 0037_decision_queue_covering
Create Date: 2026-12-07 18:05:00

"""
from alembic import op

revision = '0038_decision_institution_status'
down_revision = '0037_decision_queue_covering'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_subsidy_decisions_institution_status', 'subsidy_decisions',
                    ['institution_id', 'status'])
    op.drop_index('ix_subsidy_decisions_institution_id', table_name='subsidy_decisions')


def downgrade():
    op.create_index('ix_subsidy_decisions_institution_id', 'subsidy_decisions',
                    ['institution_id'])
    op.drop_index('ix_subsidy_decisions_institution_status', table_name='subsidy_decisions')
