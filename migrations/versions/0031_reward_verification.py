"""rewards: the verification code of a reward's notice (core.documents), issued when approved

Revision ID: 0031_reward_verification
Revises: 0030_reward_notice_payment
Create Date: 2026-12-07 17:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0031_reward_verification"
down_revision = "0030_reward_notice_payment"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("reward_declarations") as batch:
        batch.add_column(sa.Column("verification_code", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(
            batch.f("uq_reward_declarations_verification_code"), ["verification_code"])


def downgrade():
    with op.batch_alter_table("reward_declarations") as batch:
        batch.drop_constraint(batch.f("uq_reward_declarations_verification_code"),
                              type_="unique")
        batch.drop_column("verification_code")
