"""training: an import job records when its worker last reported (claim and progress), so
that a job whose worker was killed shows as interrupted and can be run again

Revision ID: 0020_import_job_heartbeat
Revises: 0019_decision_queue_index
Create Date: 2026-12-07 15:10:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0020_import_job_heartbeat'
down_revision = '0019_decision_queue_index'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('training_import_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('training_import_jobs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
