"""rewards: the public notice of a declaration (its days), its objections, the approval
charged to a budget year, and the payment

Revision ID: 0030_reward_notice_payment
Revises: 0029_reward_declarations
Create Date: 2026-12-07 17:25:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0030_reward_notice_payment"
down_revision = "0029_reward_declarations"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade():
    with op.batch_alter_table("reward_declarations") as batch:
        batch.add_column(sa.Column("notice_starts_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("notice_ends_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("budget_year", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("approved_at", TS, nullable=True))
        batch.add_column(sa.Column("approved_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("paid_at", TS, nullable=True))
        batch.add_column(sa.Column("paid_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("payment_reference", sa.String(length=64), nullable=False,
                                   server_default=""))
        batch.create_index(batch.f("ix_reward_declarations_budget_year"), ["budget_year"],
                           unique=False)
        batch.create_foreign_key(batch.f("fk_reward_declarations_approved_by_id_users"),
                                 "users", ["approved_by_id"], ["id"])
        batch.create_foreign_key(batch.f("fk_reward_declarations_paid_by_id_users"),
                                 "users", ["paid_by_id"], ["id"])
    with op.batch_alter_table("reward_declarations") as batch:
        batch.alter_column("payment_reference", server_default=None)
    op.create_table(
        "reward_objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("raised_by", sa.String(length=100), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("upheld", sa.Boolean(), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["declaration_id"], ["reward_declarations.id"],
            name=op.f("fk_reward_objections_declaration_id_reward_declarations")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"],
                                name=op.f("fk_reward_objections_recorded_by_id_users")),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["users.id"],
                                name=op.f("fk_reward_objections_resolved_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_objections")),
    )
    op.create_index(op.f("ix_reward_objections_declaration_id"), "reward_objections",
                    ["declaration_id"], unique=False)


def downgrade():
    op.drop_table("reward_objections")
    with op.batch_alter_table("reward_declarations") as batch:
        batch.drop_constraint(batch.f("fk_reward_declarations_paid_by_id_users"),
                              type_="foreignkey")
        batch.drop_constraint(batch.f("fk_reward_declarations_approved_by_id_users"),
                              type_="foreignkey")
        batch.drop_index(batch.f("ix_reward_declarations_budget_year"))
        for column in ("payment_reference", "paid_by_id", "paid_at", "approved_by_id",
                       "approved_at", "budget_year", "notice_ends_on", "notice_starts_on"):
            batch.drop_column(column)
