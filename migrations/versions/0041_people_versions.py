"""people: each county's people carry a version, moved by the database's own triggers on
every change whatever writes the rows (as migrations 0017 and 0039 do for subsidy decisions
and training), so an officer's count of the people of their region can be kept until one of
them changes (trainhub/core/people/versions.py)

PostgreSQL: one trigger per statement, numbers from a sequence. SQLite: a trigger per row;
its writers take turns, so one more than the largest is unique. SQLite loses a table's
triggers when a later migration recreates that table (batch_alter_table in "recreate"
mode): such a migration must call create_triggers() again.

Revision ID: 0041_people_versions
Revises: 0040_batch_region_status
Create Date: 2026-12-07 18:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0041_people_versions'
down_revision = '0040_batch_region_status'
branch_labels = None
depends_on = None

TABLE = "people"
SEQUENCE = "people_version_seq"
BUMP = f"""
    INSERT INTO people_versions (region_code, version)
    SELECT code, nextval('{SEQUENCE}') FROM (SELECT DISTINCT unnest(codes) AS code
                                            ORDER BY 1) AS changed
    WHERE code IS NOT NULL
    ON CONFLICT (region_code) DO UPDATE SET version = EXCLUDED.version"""
CHANGED = {"INSERT": "SELECT household_region_code FROM new_rows",
           "UPDATE": ("SELECT household_region_code FROM new_rows "
                      "UNION SELECT household_region_code FROM old_rows"),
           "DELETE": "SELECT household_region_code FROM old_rows"}
REFERENCING = {"INSERT": "NEW TABLE AS new_rows",
               "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
               "DELETE": "OLD TABLE AS old_rows"}
SQLITE_BUMP = ("INSERT INTO people_versions (region_code, version) "
               "SELECT code, (SELECT coalesce(max(version), 0) + 1 FROM people_versions) "
               "FROM (SELECT {row}.household_region_code AS code) WHERE code IS NOT NULL "
               "ON CONFLICT (region_code) DO UPDATE SET version = excluded.version;")
SQLITE_ROWS = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}


def _postgresql_triggers():
    op.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
    op.execute(f"""
        CREATE FUNCTION people_version_bump(codes text[]) RETURNS void
        LANGUAGE sql AS $$ {BUMP} $$""")
    for when, changed in CHANGED.items():
        op.execute(f"""
            CREATE FUNCTION {TABLE}_version_{when.lower()}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM people_version_bump(ARRAY(SELECT DISTINCT household_region_code
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
        'people_versions',
        sa.Column('region_code', sa.String(length=6), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('region_code', name=op.f('pk_people_versions')))
    create_triggers()


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for when in CHANGED:
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_version_{when.lower()}"
                   + (f" ON {TABLE}" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION IF EXISTS {TABLE}_version_{when.lower()}()")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS people_version_bump(text[])")
        op.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
    op.drop_table('people_versions')
