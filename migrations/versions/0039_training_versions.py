"""training: each county's batches and enrolments carry a version, moved by the database's
own triggers on every change whatever writes the rows (as migration 0017 does for subsidy
decisions), so an officer's figures of their region's training can be kept until a batch
or an enrolment in it changes (trainhub/training/versions.py)

PostgreSQL: one trigger per statement (a bulk import of 10,000 enrolments moves each county
once), numbers from a sequence, which a rollback does not give back. SQLite: a trigger per
row; its writers take turns, so one more than the largest is unique. SQLite loses a table's
triggers when a later migration recreates that table (batch_alter_table in "recreate"
mode): such a migration must call create_triggers() again.

Revision ID: 0039_training_versions
Revises: 0038_decision_institution_status
Create Date: 2026-12-07 18:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0039_training_versions'
down_revision = '0038_decision_institution_status'
branch_labels = None
depends_on = None

SEQUENCE = "training_version_seq"
BUMP = f"""
    INSERT INTO training_versions (region_code, version)
    SELECT code, nextval('{SEQUENCE}') FROM (SELECT DISTINCT unnest(codes) AS code
                                            ORDER BY 1) AS changed
    WHERE code IS NOT NULL
    ON CONFLICT (region_code) DO UPDATE SET version = EXCLUDED.version"""
REFERENCING = {"INSERT": "NEW TABLE AS new_rows",
               "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
               "DELETE": "OLD TABLE AS old_rows"}
ROWS = {"INSERT": ("new_rows",), "UPDATE": ("new_rows", "old_rows"), "DELETE": ("old_rows",)}
# the county of each changed row: a batch's own, an enrolment's batch's
COUNTY = {"training_batches": "SELECT region_code FROM {rows}",
          "training_enrolments": ("SELECT b.region_code FROM {rows} AS r "
                                  "JOIN training_batches AS b ON b.id = r.batch_id")}
SQLITE_COUNTY = {"training_batches": "{row}.region_code",
                 "training_enrolments": ("(SELECT region_code FROM training_batches "
                                         "WHERE id = {row}.batch_id)")}
SQLITE_BUMP = ("INSERT INTO training_versions (region_code, version) "
               "SELECT code, (SELECT coalesce(max(version), 0) + 1 FROM training_versions) "
               "FROM (SELECT {county} AS code) WHERE code IS NOT NULL "
               "ON CONFLICT (region_code) DO UPDATE SET version = excluded.version;")
SQLITE_ROWS = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}


def _name(table, when):
    return f"{table}_version_{when.lower()}"


def _postgresql_triggers():
    op.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
    op.execute(f"""
        CREATE FUNCTION training_version_bump(codes text[]) RETURNS void
        LANGUAGE sql AS $$ {BUMP} $$""")
    for table, county in COUNTY.items():
        for when, rows in ROWS.items():
            changed = " UNION ".join(county.format(rows=r) for r in rows)
            op.execute(f"""
                CREATE FUNCTION {_name(table, when)}() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM training_version_bump(ARRAY(SELECT DISTINCT region_code
                                                        FROM ({changed}) AS rows));
                    RETURN NULL;
                END $$""")
            op.execute(f"CREATE TRIGGER {_name(table, when)} AFTER {when} ON {table} "
                       f"REFERENCING {REFERENCING[when]} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION {_name(table, when)}()")


def _sqlite_triggers():
    for table, county in SQLITE_COUNTY.items():
        for when, rows in SQLITE_ROWS.items():
            body = " ".join(SQLITE_BUMP.format(county=county.format(row=row)) for row in rows)
            op.execute(f"CREATE TRIGGER {_name(table, when)} AFTER {when} ON {table} "
                       f"BEGIN {body} END")


def create_triggers():
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def upgrade():
    op.create_table(
        'training_versions',
        sa.Column('region_code', sa.String(length=6), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('region_code', name=op.f('pk_training_versions')))
    create_triggers()


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in COUNTY:
        for when in ROWS:
            op.execute(f"DROP TRIGGER IF EXISTS {_name(table, when)}"
                       + (f" ON {table}" if postgresql else ""))
            if postgresql:
                op.execute(f"DROP FUNCTION IF EXISTS {_name(table, when)}()")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS training_version_bump(text[])")
        op.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
    op.drop_table('training_versions')
