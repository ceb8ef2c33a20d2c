"""Retention of the employees declared for an over-quota reward (PIPL Art. 19, 47).

They are rows of their own, not people records, so core.privacy.anonymise does not reach
them through a person: a declaration's employees are anonymised once its year ended longer
ago than the retention period of the declaration's region (the same
privacy.retention_years as people). Kept: the grade, the sex, the birth year, the contract
and insurance figures and the wage, which the stored result and the plan report's counts
rest on. Cleared: the name, the ID and certificate numbers with the blind index (here and
in the year's claims of persons), and the exact birth date, also in the declaration's
input snapshot. Set-based: one UPDATE per table; the snapshots, whose persons are a JSON
list, are rewritten in one executemany.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, String, cast, func, literal, select, update

from trainhub.extensions import db
from trainhub.rewards.models import DeclaredEmployee, PersonClaim, RewardDeclaration

ANONYMISED_NAME = "已匿名"


def _ended_before(cutoff: date, region: ColumnElement[bool]) -> Any:
    """Declarations of the region whose year ended before `cutoff`."""
    return select(RewardDeclaration.id).where(RewardDeclaration.year < cutoff.year, region)


def _birth_year(dialect: str) -> Any:
    if dialect == "postgresql":
        return cast(func.date_trunc("year", DeclaredEmployee.birth_date), Date)
    return func.date(DeclaredEmployee.birth_date, "start of year")


def _pending(declarations: Any) -> Any:
    return (DeclaredEmployee.declaration_id.in_(declarations)
            & (DeclaredEmployee.name != ANONYMISED_NAME))


def count(cutoff: date, region: ColumnElement[bool]) -> int:
    """How many declared employees the run would anonymise (a dry run)."""
    return int(db.session.scalar(select(func.count()).select_from(DeclaredEmployee).where(
        _pending(_ended_before(cutoff, region)))) or 0)


def anonymise(cutoff: date, region: ColumnElement[bool]) -> int:
    """Anonymise the employees of the declarations whose year ended before `cutoff` in the
    region; returns how many. Run again, it finds none."""
    declarations = _ended_before(cutoff, region)
    touched = list(db.session.scalars(select(DeclaredEmployee.declaration_id).where(
        _pending(declarations)).distinct()))
    if not touched:
        return 0
    db.session.execute(update(PersonClaim).where(PersonClaim.declaration_id.in_(touched))
                       .values(id_number_index=literal("anonymised-", String)
                               + cast(PersonClaim.id, String)),
                       execution_options={"synchronize_session": False})
    _cut_snapshots(touched)
    dialect = db.session.get_bind().dialect.name
    result = db.session.execute(
        update(DeclaredEmployee).where(DeclaredEmployee.declaration_id.in_(touched),
                                       DeclaredEmployee.name != ANONYMISED_NAME)
        .values(name=ANONYMISED_NAME, id_number="", cert_number="",
                id_number_index=literal("anonymised-", String)
                + cast(DeclaredEmployee.id, String),
                birth_date=_birth_year(dialect)),
        execution_options={"synchronize_session": False})
    return int(result.rowcount)  # type: ignore[attr-defined]


def _cut_snapshots(declaration_ids: list[int]) -> None:
    """Each person's birth date in the input snapshots cut to 1 January of its year."""
    rows = db.session.execute(select(RewardDeclaration.id, RewardDeclaration.inputs).where(
        RewardDeclaration.id.in_(declaration_ids), RewardDeclaration.inputs.is_not(None)))
    changed = []
    for declaration_id, inputs in rows:
        persons = [dict(p, birth_date=f"{str(p['birth_date'])[:4]}-01-01")
                   if p.get("birth_date") else p for p in inputs.get("persons", [])]
        changed.append({"id": declaration_id, "inputs": dict(inputs, persons=persons)})
    if changed:
        db.session.execute(update(RewardDeclaration), changed)
