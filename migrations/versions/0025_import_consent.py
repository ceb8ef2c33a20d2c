"""training: the notice version whose signed paper consents the uploader of an Excel
enrolment file confirmed (recorded for every person the import enrols)

Revision ID: 0025_import_consent
Revises: 0024_privacy_consents
Create Date: 2026-12-07 17:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0025_import_consent"
down_revision = "0024_privacy_consents"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("training_import_jobs") as batch:
        batch.add_column(sa.Column("consent_notice_version", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("training_import_jobs") as batch:
        batch.drop_column("consent_notice_version")
