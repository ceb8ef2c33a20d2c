"""privacy: the parent or guardian who consented for a person under 18 (name, relation)

Revision ID: 0027_consent_guardian
Revises: 0026_large_text
Create Date: 2026-12-07 17:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0027_consent_guardian"
down_revision = "0026_large_text"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("privacy_consents") as batch:
        batch.add_column(sa.Column("guardian_name", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("guardian_relation", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("privacy_consents") as batch:
        batch.drop_column("guardian_relation")
        batch.drop_column("guardian_name")
