"""training: QR check-in to a session (issue 16 item 4): when a session's check-in was
opened (null: off), and the trainees' check-ins awaiting or given staff confirmation

Revision ID: 0036_training_checkins
Revises: 0035_reward_budgets
Create Date: 2026-12-07 17:40:00

"""

import sqlalchemy as sa
from alembic import op

TS = sa.DateTime(timezone=True)

revision = "0036_training_checkins"
down_revision = "0035_reward_budgets"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("training_sessions") as batch_op:
        batch_op.add_column(sa.Column("checkin_opened_at", TS, nullable=True))
    op.create_table(
        "training_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("checked_in_at", TS, nullable=False),
        sa.Column("confirmed_at", TS, nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["training_sessions.id"],
                                name=op.f("fk_training_checkins_session_id_training_sessions")),
        sa.ForeignKeyConstraint(["enrolment_id"], ["training_enrolments.id"],
                                name=op.f("fk_training_checkins_enrolment_id_training_enrolments")),
        sa.ForeignKeyConstraint(["confirmed_by_id"], ["users.id"],
                                name=op.f("fk_training_checkins_confirmed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_checkins")),
        sa.UniqueConstraint("session_id", "enrolment_id",
                            name=op.f("uq_training_checkins_session_id")),
    )
    op.create_index(op.f("ix_training_checkins_session_id"), "training_checkins",
                    ["session_id"])
    op.create_index(op.f("ix_training_checkins_enrolment_id"), "training_checkins",
                    ["enrolment_id"])


def downgrade():
    op.drop_index(op.f("ix_training_checkins_enrolment_id"), table_name="training_checkins")
    op.drop_index(op.f("ix_training_checkins_session_id"), table_name="training_checkins")
    op.drop_table("training_checkins")
    with op.batch_alter_table("training_sessions") as batch_op:
        batch_op.drop_column("checkin_opened_at")
