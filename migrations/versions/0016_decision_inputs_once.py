"""subsidies: a claim's inputs are stored once for its two decisions (subsidy_claim_inputs),
the trace compactly, and the explanation rendered when shown; jsonb on PostgreSQL

Existing decisions keep their traces (each step in full, still read) and the Chinese text
they stored; their inputs move to the new table, one row per enrolment and distinct
snapshot, and each decision points to its own.

Revision ID: 0016_decision_inputs_once
Revises: 0015_enrolment_person_status
Create Date: 2026-12-07 15:00:00

"""
import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0016_decision_inputs_once'
down_revision = '0015_enrolment_person_status'
branch_labels = None
depends_on = None

JSON_COLUMNS = ('reasons', 'parameters', 'trace')
CHUNK = 1000


def _json():
    return sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def _move_inputs_out(bind):
    """One inputs row per enrolment and distinct snapshot; each decision points to it."""
    decisions = sa.table('subsidy_decisions', sa.column('id', sa.Integer),
                         sa.column('enrolment_id', sa.Integer), sa.column('inputs', sa.JSON),
                         sa.column('inputs_id', sa.Integer))
    inputs = sa.table('subsidy_claim_inputs', sa.column('id', sa.Integer),
                      sa.column('enrolment_id', sa.Integer), sa.column('inputs', _json()))
    rows = bind.execute(sa.select(decisions.c.id, decisions.c.enrolment_id, decisions.c.inputs)
                        .order_by(decisions.c.id)).all()
    made: dict[tuple[int, str], int] = {}
    links = []
    for decision_id, enrolment_id, snapshot in rows:
        key = (enrolment_id, json.dumps(snapshot or {}, sort_keys=True))
        if key not in made:
            made[key] = bind.execute(
                sa.insert(inputs).values(enrolment_id=enrolment_id, inputs=snapshot or {})
                .returning(inputs.c.id)).scalar_one()
        links.append({'b_decision': decision_id, 'b_inputs': made[key]})
    link = sa.update(decisions).where(decisions.c.id == sa.bindparam('b_decision')) \
        .values(inputs_id=sa.bindparam('b_inputs'))
    for start in range(0, len(links), CHUNK):
        bind.execute(link, links[start:start + CHUNK])


def upgrade():
    bind = op.get_bind()
    op.create_table(
        'subsidy_claim_inputs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('enrolment_id', sa.Integer(), nullable=False),
        sa.Column('inputs', _json(), nullable=False),
        sa.ForeignKeyConstraint(['enrolment_id'], ['training_enrolments.id'],
                                name=op.f('fk_subsidy_claim_inputs_enrolment_id_training_enrolments')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_claim_inputs')))
    op.create_index(op.f('ix_subsidy_claim_inputs_enrolment_id'), 'subsidy_claim_inputs',
                    ['enrolment_id'])
    with op.batch_alter_table('subsidy_decisions') as batch:
        batch.add_column(sa.Column('inputs_id', sa.Integer(), nullable=True))
    _move_inputs_out(bind)
    with op.batch_alter_table('subsidy_decisions') as batch:
        batch.alter_column('inputs_id', existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(op.f('fk_subsidy_decisions_inputs_id_subsidy_claim_inputs'),
                                 'subsidy_claim_inputs', ['inputs_id'], ['id'])
        batch.create_index(op.f('ix_subsidy_decisions_inputs_id'), ['inputs_id'])
        batch.drop_column('inputs')
        batch.alter_column('explanation', existing_type=sa.Text(), nullable=True)
    if bind.dialect.name == 'postgresql':
        for column in JSON_COLUMNS:
            op.execute(f'ALTER TABLE subsidy_decisions ALTER COLUMN {column} '
                       f'TYPE jsonb USING {column}::jsonb')


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        for column in JSON_COLUMNS:
            op.execute(f'ALTER TABLE subsidy_decisions ALTER COLUMN {column} '
                       f'TYPE json USING {column}::json')
    with op.batch_alter_table('subsidy_decisions') as batch:
        batch.add_column(sa.Column('inputs', sa.JSON(), nullable=True))
    op.execute('UPDATE subsidy_decisions SET inputs = (SELECT i.inputs FROM subsidy_claim_inputs i '
               'WHERE i.id = subsidy_decisions.inputs_id)')
    # A decision computed since stored no text: the trace renders it, which this version reads.
    op.execute("UPDATE subsidy_decisions SET explanation = '' WHERE explanation IS NULL")
    with op.batch_alter_table('subsidy_decisions') as batch:
        batch.drop_index(op.f('ix_subsidy_decisions_inputs_id'))
        batch.drop_constraint(op.f('fk_subsidy_decisions_inputs_id_subsidy_claim_inputs'),
                              type_='foreignkey')
        batch.drop_column('inputs_id')
        batch.alter_column('explanation', existing_type=sa.Text(), nullable=False)
    op.drop_index(op.f('ix_subsidy_claim_inputs_enrolment_id'), table_name='subsidy_claim_inputs')
    op.drop_table('subsidy_claim_inputs')
