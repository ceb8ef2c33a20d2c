"""The subsidies' answer to a new parameter value (core.parameters.impact): refuse it when
it would change an approved or paid decision; show what it would change in open decisions;
recompute those once it is added.

A value applies to a decision when it is the one in force on the decision's batch start
date for the batch's city (DESIGN §5): a value dated after the start date changes nothing,
and a province value changes nothing where a city override is in force."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainhub.core.errors import N_, Conflict
from trainhub.core.parameters import impact
from trainhub.core.parameters.models import PROVINCE
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import claims, decisions, engine
from trainhub.subsidies.models import Decision
from trainhub.training.models import Batch, Enrolment

PREFIX = "subsidies."


def _candidates(change: impact.Change) -> list[Decision]:
    """Decisions whose batch started on or after the new value's date, in its scope."""
    stmt = (select(Decision).join(Batch, Batch.id == Decision.batch_id)
            .where(Batch.start_date >= change.effective_from)
            .options(selectinload(Decision.batch)))
    if change.scope != PROVINCE:
        stmt = stmt.where(Decision.region_code.startswith(change.scope))
    return list(db.session.scalars(stmt))


def _would_apply(decision: Decision, change: impact.Change) -> bool:
    """The new value replaces the version this decision used for the key."""
    used = next((p for p in decision.parameters if p["key"] == change.key), None)
    if used is None:
        return False  # the rule that reads the key did not apply to this decision
    if Decimal(used["value"]) == Decimal(str(change.value)):
        return False
    used_from = date.fromisoformat(used["effective_from"])
    if change.scope == used["scope"]:
        return change.effective_from >= used_from
    return change.scope != PROVINCE  # a city override beats the province value


class SubsidyImpact:
    def _affected(self, change: impact.Change) -> list[Decision]:
        if not change.key.startswith(PREFIX):
            return []
        return [d for d in _candidates(change) if _would_apply(d, change)]

    def check(self, change: impact.Change) -> None:
        frozen = [d for d in self._affected(change) if d.status in decisions.FROZEN]
        if frozen:
            raise Conflict(N_("This value would change %(count)s approved or paid subsidy "
                              "decisions, which are final. Choose an effective date after "
                              "the start of their batches (%(latest)s)."), count=len(frozen),
                           latest=max(d.batch.start_date for d in frozen))

    def preview(self, change: impact.Change) -> list[impact.ImpactRow]:
        return [impact.ImpactRow(f"{d.person.name} · {d.batch.title}",
                                 engine.format_yuan(d.amount_fen), engine.format_yuan(new))
                for d, new in open_changes(change)]

    def apply(self, change: impact.Change) -> int:
        open_ones = [d for d in self._affected(change) if d.status in decisions.OPEN]
        by_batch = sorted({d.batch_id for d in open_ones})
        for batch_id in by_batch:
            batch = db.session.get(Batch, batch_id)
            assert batch is not None
            decisions.recompute_batch(batch, local_today())
        return len(open_ones)


def open_changes(change: impact.Change) -> list[tuple[Decision, int]]:
    """The open decisions whose amount the value would change, each with its new amount in
    fen (nothing is stored): the preview, in figures (the API answers them)."""
    open_ones = [d for d in SubsidyImpact()._affected(change) if d.status in decisions.OPEN]
    if not open_ones:
        return []
    new_amounts = _recomputed(open_ones, change)
    return [(d, new_amounts[d.id]) for d in open_ones if new_amounts[d.id] != d.amount_fen]


def _with(rules: engine.Parameters, change: impact.Change) -> engine.Parameters:
    added = engine.DatedValue(change.effective_from, change.value, "proposed")  # type: ignore[arg-type]
    if change.scope == PROVINCE:
        province = dict(rules.province)
        province[change.key] = [*province.get(change.key, ()), added]
        return engine.Parameters(province, rules.cities)
    cities = {city: dict(table) for city, table in rules.cities.items()}
    table = cities.setdefault(change.scope, {})
    table[change.key] = [*table.get(change.key, ()), added]
    return engine.Parameters(rules.province, cities)


def _recomputed(rows: Iterable[Decision], change: impact.Change) -> dict[int, int]:
    """What the engine would answer with the proposed value, without storing anything."""
    rows = list(rows)
    enrolments = {e.id: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.id.in_({d.enrolment_id for d in rows}))
        .options(selectinload(Enrolment.person), selectinload(Enrolment.attendance),
                 selectinload(Enrolment.completion),
                 selectinload(Enrolment.batch).selectinload(Batch.sessions)))}
    earlier = claims.earlier_of(d.person_id for d in rows)
    answers = claims.in_turn(list(enrolments.values()), earlier,
                             {d.enrolment_id: d.claim_date for d in rows},
                             lambda rules: _with(rules, change))
    amounts = {}
    for decision in rows:
        _, result = answers[decision.enrolment_id]
        outcome = result.fee if decision.kind == engine.SubsidyKind.FEE else result.living
        amounts[decision.id] = outcome.amount
    return amounts


def register() -> None:
    impact.register(SubsidyImpact())
