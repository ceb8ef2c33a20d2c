"""rewards: over-quota reward declarations, their declared employees (ID and certificate
numbers encrypted, the ID's blind index), evidence files, review steps, and the claims that
keep a person at one enterprise a year

Revision ID: 0029_reward_declarations
Revises: 0028_person_id_tail
Create Date: 2026-12-07 17:20:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0029_reward_declarations"
down_revision = "0028_person_id_tail"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
JSONValue = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    op.create_table(
        "reward_declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("staff_count", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("return_reason", sa.Text(), nullable=False),
        sa.Column("inputs", JSONValue, nullable=True),
        sa.Column("amount_fen", sa.Integer(), nullable=True),
        sa.Column("rewarded_persons", sa.Integer(), nullable=True),
        sa.Column("result", JSONValue, nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("submitted_at", TS, nullable=True),
        sa.Column("computed_at", TS, nullable=True),
        sa.CheckConstraint("amount_fen IS NULL OR amount_fen >= 0",
                           name=op.f("ck_reward_declarations_amount_not_negative")),
        sa.CheckConstraint("staff_count > 0", name=op.f("ck_reward_declarations_staff_positive")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_reward_declarations_created_by_id_users")),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprises.id"],
                                name=op.f("fk_reward_declarations_enterprise_id_enterprises")),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"],
                                name=op.f("fk_reward_declarations_region_code_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_declarations")),
        sa.UniqueConstraint("enterprise_id", "year",
                            name=op.f("uq_reward_declarations_enterprise_id")),
    )
    for column in ("enterprise_id", "region_code", "status", "year"):
        op.create_index(op.f(f"ix_reward_declarations_{column}"), "reward_declarations",
                        [column], unique=False)
    op.create_table(
        "reward_employees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("id_number", sa.Text(), nullable=False),
        sa.Column("id_number_index", sa.String(length=64), nullable=False),
        sa.Column("cert_number", sa.Text(), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("certificate_valid_from", sa.Date(), nullable=False),
        sa.Column("certificate_valid_until", sa.Date(), nullable=True),
        sa.Column("contract_start", sa.Date(), nullable=False),
        sa.Column("contract_end", sa.Date(), nullable=True),
        sa.Column("insurance_months", sa.Integer(), nullable=False),
        sa.Column("monthly_wage_fen", sa.Integer(), nullable=False),
        sa.CheckConstraint("grade BETWEEN 1 AND 4", name=op.f("ck_reward_employees_grade_range")),
        sa.CheckConstraint("insurance_months BETWEEN 0 AND 12",
                           name=op.f("ck_reward_employees_insurance_months_range")),
        sa.CheckConstraint("monthly_wage_fen >= 0",
                           name=op.f("ck_reward_employees_wage_not_negative")),
        sa.CheckConstraint("sex IN ('M', 'F')", name=op.f("ck_reward_employees_sex_known")),
        sa.ForeignKeyConstraint(["declaration_id"], ["reward_declarations.id"],
                                name=op.f("fk_reward_employees_declaration_id_reward_declarations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_employees")),
    )
    op.create_index(op.f("ix_reward_employees_declaration_id"), "reward_employees",
                    ["declaration_id"], unique=False)
    op.create_index(op.f("ix_reward_employees_id_number_index"), "reward_employees",
                    ["id_number_index"], unique=False)
    op.create_table(
        "reward_person_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("id_number_index", sa.String(length=64), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"], ["reward_declarations.id"],
            name=op.f("fk_reward_person_claims_declaration_id_reward_declarations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_person_claims")),
        sa.UniqueConstraint("year", "id_number_index",
                            name=op.f("uq_reward_person_claims_year")),
    )
    op.create_index(op.f("ix_reward_person_claims_declaration_id"), "reward_person_claims",
                    ["declaration_id"], unique=False)
    op.create_table(
        "reward_evidence_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"], ["reward_declarations.id"],
            name=op.f("fk_reward_evidence_files_declaration_id_reward_declarations")),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"],
                                name=op.f("fk_reward_evidence_files_uploaded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_evidence_files")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_reward_evidence_files_storage_key")),
    )
    op.create_index(op.f("ix_reward_evidence_files_declaration_id"), "reward_evidence_files",
                    ["declaration_id"], unique=False)
    op.create_table(
        "reward_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["declaration_id"], ["reward_declarations.id"],
                                name=op.f("fk_reward_reviews_declaration_id_reward_declarations")),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"],
                                name=op.f("fk_reward_reviews_reviewer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_reviews")),
    )
    op.create_index(op.f("ix_reward_reviews_declaration_id"), "reward_reviews",
                    ["declaration_id"], unique=False)


def downgrade():
    op.drop_table("reward_reviews")
    op.drop_table("reward_evidence_files")
    op.drop_table("reward_person_claims")
    op.drop_table("reward_employees")
    op.drop_table("reward_declarations")
