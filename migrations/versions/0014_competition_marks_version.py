"""competitions: an event counts every change to what its standings and review are computed
from (marks, entries, resolutions, judge assignments), kept by the database's own triggers
whatever writes the rows, so the live scoreboard can be cached until one of them changes

SQLite loses a table's triggers when a later migration recreates that table
(batch_alter_table in "recreate" mode): such a migration must call create_triggers() again.

Revision ID: 0014_competition_marks_version
Revises: 0013_family_members
Create Date: 2026-12-07 12:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0014_competition_marks_version'
down_revision = '0013_family_members'
branch_labels = None
depends_on = None

BUMP = "UPDATE competition_events SET marks_version = marks_version + 1 WHERE id"
# table → how a changed row names its event (NEW / OLD row), in SQL
EVENT_OF = {
    "competition_marks": "(SELECT event_id FROM competition_entries WHERE id = {row}.entry_id)",
    "competition_resolutions":
        "(SELECT event_id FROM competition_entries WHERE id = {row}.entry_id)",
    "competition_entries": "{row}.event_id",
    "competition_assignments": "{row}.event_id",
}


def _sqlite_triggers():
    for table, event_of in EVENT_OF.items():
        for when, rows in (("INSERT", ("NEW",)), ("UPDATE", ("NEW", "OLD")),
                           ("DELETE", ("OLD",))):
            ids = ", ".join(event_of.format(row=row) for row in rows)
            op.execute(f"CREATE TRIGGER {table}_version_{when.lower()} AFTER {when} ON {table} "
                       f"BEGIN {BUMP} IN ({ids}); END")


def _postgresql_triggers():
    for table, event_of in EVENT_OF.items():
        op.execute(f"""
            CREATE FUNCTION {table}_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    {BUMP} = {event_of.format(row='NEW')};
                END IF;
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    {BUMP} = {event_of.format(row='OLD')};
                END IF;
                RETURN NULL;
            END $$""")
        op.execute(f"CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {table}_version()")


def create_triggers():
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def upgrade():
    with op.batch_alter_table('competition_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('marks_version', sa.Integer(), nullable=False,
                                      server_default='0'))
    create_triggers()


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in EVENT_OF:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_version()")
        else:
            for when in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_version_{when}")
    with op.batch_alter_table('competition_events', schema=None) as batch_op:
        batch_op.drop_column('marks_version')
