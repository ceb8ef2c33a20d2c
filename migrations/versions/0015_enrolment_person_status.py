"""training: enrolments are found by person and status (a person's seats, the overlap
check of an application or an import), not by scanning every enrolment of a status

Revision ID: 0015_enrolment_person_status
Revises: 0014_competition_marks_version
Create Date: 2026-12-07 14:30:00

"""
from alembic import op

revision = '0015_enrolment_person_status'
down_revision = '0014_competition_marks_version'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_training_enrolments_person_status', 'training_enrolments',
                    ['person_id', 'status'])


def downgrade():
    op.drop_index('ix_training_enrolments_person_status', table_name='training_enrolments')
