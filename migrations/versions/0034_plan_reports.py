"""reports: the yearly plan reports (落实情况) the cities submit, their figures frozen as JSON

Revision ID: 0034_plan_reports
Revises: 0033_competition_selections
Create Date: 2026-12-07 17:50:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0034_plan_reports"
down_revision = "0033_competition_selections"
branch_labels = None
depends_on = None

JSONValue = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    op.create_table(
        "plan_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("figures", JSONValue, nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"],
                                name=op.f("fk_plan_reports_region_code_regions")),
        sa.ForeignKeyConstraint(["submitted_by_id"], ["users.id"],
                                name=op.f("fk_plan_reports_submitted_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_reports")),
        sa.UniqueConstraint("year", "region_code", name=op.f("uq_plan_reports_year")),
    )
    op.create_index(op.f("ix_plan_reports_region_code"), "plan_reports", ["region_code"])


def downgrade():
    op.drop_index(op.f("ix_plan_reports_region_code"), table_name="plan_reports")
    op.drop_table("plan_reports")
