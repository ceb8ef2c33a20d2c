"""subsidies: each county's decisions carry a version, moved by the database's own triggers
on every change whatever writes the rows, so the reconciliation report can be kept until a
decision of its region changes (trainhub/subsidies/versions.py)

PostgreSQL: one trigger per statement (a bulk write of 20,000 decisions moves each county
once), numbers from a sequence, which a rollback does not give back. SQLite: a trigger per
row (it has no other); its writers take turns, so one more than the largest is unique.
SQLite loses a table's triggers when a later migration recreates that table
(batch_alter_table in "recreate" mode): such a migration must call create_triggers() again.

Revision ID: 0017_subsidy_decision_versions
Revises: 0016_decision_inputs_once
Create Date: 2026-12-07 14:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0017_subsidy_decision_versions'
down_revision = '0016_decision_inputs_once'
branch_labels = None
depends_on = None

TABLE = "subsidy_decisions"
SEQUENCE = "subsidy_decision_version_seq"
# PostgreSQL: the counties of the rows a statement changed, each given a new number (in
# county order, so two writers never wait for each other's counties crosswise)
BUMP = f"""
    INSERT INTO subsidy_decision_versions (region_code, version)
    SELECT code, nextval('{SEQUENCE}') FROM (SELECT DISTINCT unnest(codes) AS code
                                            ORDER BY 1) AS changed
    ON CONFLICT (region_code) DO UPDATE SET version = EXCLUDED.version"""
# transition tables a statement trigger reads, per operation
CHANGED = {"INSERT": "SELECT region_code FROM new_rows",
           "UPDATE": "SELECT region_code FROM new_rows UNION SELECT region_code FROM old_rows",
           "DELETE": "SELECT region_code FROM old_rows"}
REFERENCING = {"INSERT": "NEW TABLE AS new_rows",
               "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
               "DELETE": "OLD TABLE AS old_rows"}
SQLITE_BUMP = ("INSERT INTO subsidy_decision_versions (region_code, version) VALUES "
               "({row}.region_code, (SELECT coalesce(max(version), 0) + 1 "
               "FROM subsidy_decision_versions)) "
               "ON CONFLICT (region_code) DO UPDATE SET version = excluded.version;")
SQLITE_ROWS = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}


def _postgresql_triggers():
    op.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
    op.execute(f"""
        CREATE FUNCTION subsidy_decision_bump(codes text[]) RETURNS void
        LANGUAGE sql AS $$ {BUMP} $$""")
    for when, changed in CHANGED.items():
        op.execute(f"""
            CREATE FUNCTION {TABLE}_version_{when.lower()}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM subsidy_decision_bump(ARRAY(SELECT DISTINCT region_code
                                                    FROM ({changed}) AS rows));
                RETURN NULL;
            END $$""")
        op.execute(f"CREATE TRIGGER {TABLE}_version_{when.lower()} AFTER {when} ON {TABLE} "
                   f"REFERENCING {REFERENCING[when]} FOR EACH STATEMENT "
                   f"EXECUTE FUNCTION {TABLE}_version_{when.lower()}()")


def _sqlite_triggers():
    for when, rows in SQLITE_ROWS.items():
        body = " ".join(SQLITE_BUMP.format(row=row) for row in rows)
        op.execute(f"CREATE TRIGGER {TABLE}_version_{when.lower()} AFTER {when} ON {TABLE} "
                   f"BEGIN {body} END")


def create_triggers():
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def upgrade():
    op.create_table(
        'subsidy_decision_versions',
        sa.Column('region_code', sa.String(length=6), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('region_code', name=op.f('pk_subsidy_decision_versions')))
    create_triggers()


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for when in CHANGED:
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_version_{when.lower()}"
                   + (f" ON {TABLE}" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION IF EXISTS {TABLE}_version_{when.lower()}()")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS subsidy_decision_bump(text[])")
        op.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
    op.drop_table('subsidy_decision_versions')
