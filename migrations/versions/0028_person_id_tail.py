"""people: a keyed index of the last four characters of the resident ID (id_tail_index),
for the search by the digits a masked number shows (issue 16)

The data step decrypts each number once, here, so that no search ever has to: records
already anonymised keep no number and get none.

Revision ID: 0028_person_id_tail
Revises: 0027_consent_guardian
Create Date: 2026-12-07 17:25:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0028_person_id_tail"
down_revision = "0027_consent_guardian"
branch_labels = None
depends_on = None

CHUNK = 1000


def _fill(bind):
    from trainhub.core.people.services import tail_index
    from trainhub.core.types import EncryptedText

    people = sa.table("people", sa.column("id", sa.Integer),
                      sa.column("id_number", EncryptedText("people.id_number")),
                      sa.column("anonymised_at", sa.DateTime),
                      sa.column("id_tail_index", sa.String))
    rows = bind.execute(sa.select(people.c.id, people.c.id_number)
                        .where(people.c.anonymised_at.is_(None)).order_by(people.c.id)).all()
    fill = (sa.update(people).where(people.c.id == sa.bindparam("b_id"))
            .values(id_tail_index=sa.bindparam("b_tail")))
    for start in range(0, len(rows), CHUNK):
        values = [{"b_id": person_id, "b_tail": tail_index(number)}
                  for person_id, number in rows[start:start + CHUNK] if number]
        if values:
            bind.execute(fill, values)


# Plain ALTER TABLE, not batch mode: recreating the people table on SQLite trips the
# foreign keys of every table that points at it, and SQLite adds and drops a column itself.
def upgrade():
    op.add_column("people", sa.Column("id_tail_index", sa.String(length=32), nullable=True))
    op.create_index(op.f("ix_people_id_tail_index"), "people", ["id_tail_index"])
    _fill(op.get_bind())


def downgrade():
    op.drop_index(op.f("ix_people_id_tail_index"), table_name="people")
    op.drop_column("people", "id_tail_index")
