"""rewards: yearly reward budgets per region, in a table of their own (the subsidies'
budgets are summed against subsidy decisions only)

Revision ID: 0035_reward_budgets
Revises: 0034_plan_reports
Create Date: 2026-12-07 17:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0035_reward_budgets"
down_revision = "0034_plan_reports"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reward_budgets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_fen >= 0", name=op.f("ck_reward_budgets_amount_not_negative")),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"],
                                name=op.f("fk_reward_budgets_region_code_regions")),
        sa.ForeignKeyConstraint(["set_by_id"], ["users.id"],
                                name=op.f("fk_reward_budgets_set_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_budgets")),
        sa.UniqueConstraint("region_code", "year", name=op.f("uq_reward_budgets_region_code")),
    )
    op.create_index(op.f("ix_reward_budgets_region_code"), "reward_budgets", ["region_code"],
                    unique=False)


def downgrade():
    op.drop_table("reward_budgets")
