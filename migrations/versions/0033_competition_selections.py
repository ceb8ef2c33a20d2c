"""competitions: contestants selected, after publication, for a national or international
competition (选拔优秀选手参加国内国际竞赛), with the reason and who selected them

Revision ID: 0033_competition_selections
Revises: 0032_notifications
Create Date: 2026-12-07 17:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0033_competition_selections"
down_revision = "0032_notifications"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "competition_selections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("selected_by_id", sa.Integer(), nullable=False),
        sa.Column("selected_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level IN ('national', 'international')",
                           name=op.f("ck_competition_selections_level_known")),
        sa.ForeignKeyConstraint(["event_id"], ["competition_events.id"],
                                name=op.f("fk_competition_selections_event_id_competition_events")),
        sa.ForeignKeyConstraint(["result_id"], ["competition_results.id"],
                                name=op.f("fk_competition_selections_result_id_competition_results")),
        sa.ForeignKeyConstraint(["selected_by_id"], ["users.id"],
                                name=op.f("fk_competition_selections_selected_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_selections")),
        sa.UniqueConstraint("result_id", name=op.f("uq_competition_selections_result_id")),
    )
    op.create_index(op.f("ix_competition_selections_event_id"), "competition_selections",
                    ["event_id"])


def downgrade():
    op.drop_index(op.f("ix_competition_selections_event_id"),
                  table_name="competition_selections")
    op.drop_table("competition_selections")
