"""audit: a hash chain over audit_entries (trainhub/core/audit/chain.py), its head in
audit_chain_head, TRUNCATE refused on PostgreSQL, and the application's role kept to
SELECT and INSERT on the log (trainhub/core/audit/roles.py) when TRAINHUB_DB_APP_ROLE
names it: run this migration as the schema's owner.

The rows already present are chained here, in id order. SQLite loses audit_entries'
triggers when this migration recreates it (NOT NULL): they are created again here, and a
later migration that recreates the table must call create_sqlite_triggers() again.

Revision ID: 0018_audit_chain
Revises: 0017_subsidy_decision_versions
Create Date: 2026-12-07 16:00:00

"""
import sqlalchemy as sa
from alembic import op

from trainhub.core.audit import chain, roles
from trainhub.core.types import UTCDateTime

revision = '0018_audit_chain'
down_revision = '0017_subsidy_decision_versions'
branch_labels = None
depends_on = None

PAGE = 5000

# As 0001 made them, plus: a row must link to the head (unless it lies behind it, as
# when a dump is restored), and the head follows every row.
SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END",
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END",
    "CREATE TRIGGER audit_entries_chain_link BEFORE INSERT ON audit_entries "
    "WHEN NEW.id > (SELECT last_id FROM audit_chain_head WHERE id = 1) AND NEW.prev_hash "
    "IS NOT (SELECT last_hash FROM audit_chain_head WHERE id = 1) "
    "BEGIN SELECT RAISE(ABORT, 'audit chain: a new row must link to the head'); END",
    "CREATE TRIGGER audit_entries_chain_head AFTER INSERT ON audit_entries "
    "BEGIN UPDATE audit_chain_head SET last_id = NEW.id, last_hash = NEW.row_hash "
    "WHERE id = 1 AND NEW.id > last_id; END",
]

# SECURITY DEFINER: the application's role appends through these without any right on
# the head itself. search_path is pinned, as every definer function's must be.
PG_FUNCTIONS = """
CREATE FUNCTION audit_chain_take(n integer, OUT prev_hash varchar, OUT ids integer[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
  SELECT h.last_hash INTO prev_hash FROM audit_chain_head h WHERE h.id = 1 FOR UPDATE;
  ids := ARRAY(SELECT nextval('audit_entries_id_seq')::integer FROM generate_series(1, n));
END $$;
REVOKE ALL ON FUNCTION audit_chain_take(integer) FROM PUBLIC;

CREATE FUNCTION audit_chain_follow() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
  head audit_chain_head%ROWTYPE;
  first_row record;
BEGIN
  SELECT * INTO head FROM audit_chain_head WHERE id = 1;
  SELECT id, prev_hash INTO first_row FROM new_rows ORDER BY id LIMIT 1;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF first_row.id > head.last_id AND first_row.prev_hash IS DISTINCT FROM head.last_hash THEN
    RAISE EXCEPTION 'audit chain: a new row must link to the head (row %)', first_row.id;
  END IF;
  UPDATE audit_chain_head h SET last_id = n.id, last_hash = n.row_hash
    FROM (SELECT id, row_hash FROM new_rows ORDER BY id DESC LIMIT 1) n
   WHERE h.id = 1 AND n.id > h.last_id;
  RETURN NULL;
END $$;
CREATE TRIGGER audit_entries_chain_head AFTER INSERT ON audit_entries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_follow();
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();
"""

ENTRIES = sa.table(
    "audit_entries", *(sa.column(name) for name in chain.HASHED
                       if name not in ("occurred_at", "details")),
    sa.column("occurred_at", UTCDateTime()), sa.column("details", sa.JSON()),
    sa.column("prev_hash"), sa.column("row_hash"))


def create_sqlite_triggers():
    for statement in SQLITE_TRIGGERS:
        op.execute(statement)


def _chain_existing_rows(bind):
    """Link the rows present, page by page in id order; the last id and hash."""
    last_id, prev = 0, chain.GENESIS
    update = ENTRIES.update().where(ENTRIES.c.id == sa.bindparam("_id")).values(
        prev_hash=sa.bindparam("_prev"), row_hash=sa.bindparam("_hash"))
    while True:
        page = bind.execute(sa.select(*(ENTRIES.c[name] for name in chain.HASHED))
                            .where(ENTRIES.c.id > last_id).order_by(ENTRIES.c.id)
                            .limit(PAGE)).mappings().all()
        if not page:
            return last_id, prev
        links = []
        for row in page:
            digest = chain.row_hash(prev, row)
            links.append({"_id": row["id"], "_prev": prev, "_hash": digest})
            prev = digest
        bind.execute(update, links)
        last_id = page[-1]["id"]


def _add_chain(bind, postgresql):
    op.add_column("audit_entries", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("audit_entries", sa.Column("row_hash", sa.String(64), nullable=True))
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_chain_head_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")))
    # 0001's guard refuses the UPDATE that links the existing rows.
    if postgresql:
        op.execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
    last_id, last_hash = _chain_existing_rows(bind)
    bind.execute(sa.text("INSERT INTO audit_chain_head (id, last_id, last_hash) "
                         "VALUES (1, :id, :hash)"), {"id": last_id, "hash": last_hash})
    if postgresql:
        op.execute("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(64), nullable=False)
        batch_op.alter_column("row_hash", existing_type=sa.String(64), nullable=False)


def upgrade():
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    _add_chain(bind, postgresql)
    if not postgresql:
        create_sqlite_triggers()
        return
    schema = bind.dialect.identifier_preparer.quote(
        bind.execute(sa.text("SELECT current_schema()")).scalar_one())
    op.execute(PG_FUNCTIONS.format(schema=schema))
    app_role = roles.configured_app_role()
    if app_role:
        roles.grant_app_role(bind, app_role)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_chain_head ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS audit_chain_follow()")
        op.execute("DROP FUNCTION IF EXISTS audit_chain_take(integer)")
    else:
        for name in ("no_update", "no_delete", "chain_link", "chain_head"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_entries_{name}")
    op.drop_table("audit_chain_head")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_column("row_hash")
        batch_op.drop_column("prev_hash")
    if bind.dialect.name != "postgresql":
        for statement in SQLITE_TRIGGERS[:2]:  # 0001's guard, lost with the table
            op.execute(statement)
