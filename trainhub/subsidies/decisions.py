"""Decisions: computed from a completed batch, submitted by the institution (the claim),
approved or rejected by the federation against the budget, and paid once. Approved and paid
decisions are frozen; open ones (computed, submitted) are recomputed when asked.
Services flush and audit, never commit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import fields, is_dataclass
from datetime import date
from typing import cast

from flask_babel import force_locale, gettext
from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import make_transient_to_detached, selectinload

from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, Conflict, DomainError, Phrase
from trainhub.core.i18n import local_date
from trainhub.core.parameters import service as parameters
from trainhub.core.parameters.models import ParameterValue
from trainhub.core.people.models import Person
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.subsidies import (
    budgets,
    claims,
    engine,
    explain,
    notices,
    signals,
    stored,
    vouchers,
)
from trainhub.subsidies.models import ClaimInputs, Decision, Payment
from trainhub.training.catalog import BatchStatus, EnrolmentStatus
from trainhub.training.models import Batch, Enrolment

Status = engine.DecisionStatus
OPEN = (Status.COMPUTED, Status.SUBMITTED)
FROZEN = (Status.APPROVED, Status.PAID)
COMPUTABLE_BATCH = (BatchStatus.COMPLETED, BatchStatus.SETTLED)
STATUS_WORDS = {Status.COMPUTED.value: N_("Computed, not yet claimed"),
                Status.SUBMITTED.value: N_("Claimed, awaiting approval"),
                Status.APPROVED.value: N_("Approved, awaiting payment"),
                Status.PAID.value: N_("Paid"),
                Status.REJECTED.value: N_("Rejected by the federation")}


def _audit(action: str, decision: Decision, **details: object) -> None:
    record(action, object_type="subsidy_decision", object_id=decision.id,
           region_code=decision.region_code,
           details={"kind": decision.kind, "amount_fen": decision.amount_fen, **details})


def chinese_explanation(result: engine.SubsidyResult) -> str:
    """Stored in Chinese, the language of the notice; shown translated from the trace."""
    with force_locale("zh_Hans_CN"):
        return explain.explain(result, gettext, local_date).text


def _enrolments(batch: Batch) -> list[Enrolment]:
    return list(db.session.scalars(
        select(Enrolment).where(Enrolment.batch_id == batch.id,
                                Enrolment.status.in_([EnrolmentStatus.ADMITTED.value,
                                                      EnrolmentStatus.WITHDRAWN.value]))
        .options(selectinload(Enrolment.person), selectinload(Enrolment.completion))
        .order_by(Enrolment.id)))


def _lock_people(person_ids: Iterable[int]) -> None:
    # Two institutions computing for the same person at once are decided one after the
    # other on PostgreSQL, so the caps across institutions hold.
    ids = sorted(set(person_ids))
    if ids:
        db.session.execute(select(Person.id).where(Person.id.in_(ids))
                           .order_by(Person.id).with_for_update())


def _values(enrolment: Enrolment, result: engine.SubsidyResult, claim: engine.Claim,
            inputs_id: int) -> dict[str, object]:
    """What a (re)computation stores of a decision: the inputs by reference (shared by the
    claim's two decisions), the parameter versions once and the compact trace; the
    explanation is rendered when shown."""
    batch, completion = enrolment.batch, enrolment.completion
    versions = result.parameter_versions()
    return {"eligible": result.eligible, "amount_fen": result.amount,
            "payee": result.payee.value, "reasons": [r.value for r in result.reasons],
            "inputs_id": inputs_id, "parameters": [p.as_dict() for p in versions],
            "steps": stored.encode(result, versions), "stored_explanation": None,
            "occupation": batch.occupation, "batch_end_date": batch.end_date,
            "certificate_level": completion.certificate_level if completion else None,
            "certificate_date": completion.certificate_date if completion else None,
            "claim_date": claim.claim_date, "computed_at": utcnow()}


def _new_row(enrolment: Enrolment, result: engine.SubsidyResult, claim: engine.Claim,
             inputs_id: int) -> dict[str, object]:
    batch = enrolment.batch
    return {"enrolment_id": enrolment.id, "person_id": enrolment.person_id,
            "batch_id": batch.id, "institution_id": batch.institution_id,
            "region_code": batch.region_code, "kind": result.kind.value,
            "status": Status.COMPUTED.value, "rejection_reason": "",
            **_values(enrolment, result, claim, inputs_id)}


class _Writes:
    """The decisions of a computation, written together: the claims' inputs and the new
    decisions each by one bulk INSERT … RETURNING, the open ones updated in place."""

    def __init__(self) -> None:
        self.inputs: list[dict[str, object]] = []
        self.pending: list[tuple[Enrolment, engine.SubsidyResult, engine.Claim, int,
                                 Decision | None]] = []
        self.shared: dict[int, object] = {}  # see _plain; the claims in pending keep them

    def claim(self, enrolment: Enrolment, claim: engine.Claim) -> int:
        """The claim's inputs, to be stored once for its decisions; their number here."""
        self.inputs.append({"enrolment_id": enrolment.id,
                            "inputs": inputs_snapshot(claim, self.shared)})
        return len(self.inputs) - 1

    def add(self, current: Decision | None, enrolment: Enrolment,
            result: engine.SubsidyResult, claim: engine.Claim, inputs: int) -> None:
        self.pending.append((enrolment, result, claim, inputs, current))

    def write(self) -> list[Decision]:
        if not self.pending:
            return []
        ids = _inputs_ids(self.inputs)
        new = [_new_row(e, r, c, ids[i]) for e, r, c, i, current in self.pending
               if current is None]
        made = _inserted(new)
        written = []
        for enrolment, result, claim, inputs, current in self.pending:
            if current is None:
                written.append(made[(enrolment.id, result.kind.value)])
                continue
            for name, value in _values(enrolment, result, claim, ids[inputs]).items():
                setattr(current, name, value)
            written.append(current)
        if len(new) < len(self.pending):
            _forget_unused_inputs({e.id for e, *_ in self.pending})
        return written


def _inputs_ids(rows: list[dict[str, object]]) -> list[int]:
    """The ids of the claims' inputs, inserted together, in the order of `rows`. RETURNING
    names each row's enrolment; an enrolment's rows (two, when both of its decisions are
    revised elsewhere) were numbered in the order they were given."""
    by_enrolment: dict[object, list[int]] = defaultdict(list)
    for row_id, enrolment_id in db.session.execute(
            insert(ClaimInputs).returning(ClaimInputs.id, ClaimInputs.enrolment_id), rows):
        by_enrolment[enrolment_id].append(row_id)
    for found in by_enrolment.values():
        found.sort(reverse=True)
    return [by_enrolment[row["enrolment_id"]].pop() for row in rows]


# What a new decision holds besides what `_new_row` gives it.
_UNSET = {"submitted_at": None, "decided_at": None, "decided_by_id": None, "budget_year": None,
          "verification_code": None}


def _inserted(rows: list[dict[str, object]]) -> dict[tuple[int, str], Decision]:
    """New decisions by one multi-row INSERT, by (enrolment, kind): RETURNING gives each
    row's id and unique (enrolment, kind), in whatever order (SQLite has no sentinel to sort
    them by). Each becomes the session's object of that row, holding the values just
    written, without reading them back."""
    if not rows:
        return {}
    table = cast(Table, Decision.__table__)
    names = {a.key: a.columns[0].name for a in Decision.__mapper__.column_attrs}
    ids = {(enrolment_id, kind): row_id for row_id, enrolment_id, kind in db.session.execute(
        insert(table).returning(table.c.id, table.c.enrolment_id, table.c.kind),
        [{names[key]: value for key, value in row.items()} for row in rows])}
    made: dict[tuple[int, str], Decision] = {}
    manager = Decision.__mapper__.class_manager
    for row in rows:
        key = cast(tuple[int, str], (row["enrolment_id"], row["kind"]))
        # As a query loads a row: its values straight into the instance, no change events.
        decision = manager.new_instance()
        vars(decision).update(row, id=ids[key], **_UNSET)
        make_transient_to_detached(decision)
        made[key] = decision
    db.session.add_all(made.values())
    return made


def _forget_unused_inputs(enrolment_ids: set[int]) -> None:
    """Inputs no decision points to any more (its open decisions were recomputed)."""
    db.session.flush()
    used = select(Decision.id).where(Decision.inputs_id == ClaimInputs.id).exists()
    db.session.execute(delete(ClaimInputs).where(
        ClaimInputs.enrolment_id.in_(sorted(enrolment_ids)), ~used))


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value: object, shared: dict[int, object] | None = None) -> object:
    """JSON-ready values of the engine's frozen dataclasses (no deep copy: they are frozen).
    Plain values first, and each dataclass's field names looked up once: a claim holds
    dozens of sessions. `shared`: the JSON of the engine's batches already turned, by
    identity (the claims of a batch share its object; the caller keeps them alive)."""
    if value is None or isinstance(value, str | int):  # bool is an int; enum codes are str
        return value
    if shared is not None and isinstance(value, engine.Batch):
        done = shared.get(id(value))
        if done is None:
            done = shared[id(value)] = _plain(value)
        return done
    names = _FIELDS.get(type(value))
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[type(value)] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name), shared) for name in names}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def inputs_snapshot(claim: engine.Claim,
                    shared: dict[int, object] | None = None) -> dict[str, object]:
    """What the engine was given, as JSON: enough to recompute by hand. `shared`: see
    `_plain` (the snapshots then share their batch's part, to be written, not changed)."""
    snapshot = _plain(claim, shared)
    assert isinstance(snapshot, dict)
    return snapshot


def compute_batch(batch: Batch, by: User, today: date) -> list[Decision]:
    """Compute (or recompute) the open decisions of a completed batch, claimed on `today`;
    frozen ones stay as they are. The parameter values used are marked used (they can no
    longer be edited)."""
    return _compute(batch, today, keep_claim_dates=False)


def recompute_batch(batch: Batch, today: date) -> list[Decision]:
    """After a parameter change: the open decisions again, each on its own claim date."""
    return _compute(batch, today, keep_claim_dates=True)


def _compute(batch: Batch, today: date, keep_claim_dates: bool) -> list[Decision]:
    if batch.status not in COMPUTABLE_BATCH:
        raise Conflict(N_("Subsidies are computed once the batch is completed."))
    # The batch's claims, results, rows and objects are all kept until written: the
    # collector would only rescan them (a batch's worth of memory, freed by the caller).
    with engine.collection_paused():
        return _computed(batch, today, keep_claim_dates)


def _computed(batch: Batch, today: date, keep_claim_dates: bool) -> list[Decision]:
    enrolments = _enrolments(batch)
    _lock_people(e.person_id for e in enrolments)
    earlier = claims.earlier_of(e.person_id for e in enrolments)
    found = {(d.enrolment_id, d.kind): d for rows in earlier.values() for d in rows}
    claim_dates = {}
    for enrolment in enrolments:
        mine = [found.get((enrolment.id, kind.value)) for kind in engine.SubsidyKind]
        claim_dates[enrolment.id] = next((d.claim_date for d in mine if d is not None), today) \
            if keep_claim_dates else today
    # Each person's open claims in other batches are decided with these, in turn.
    answers = claims.in_turn(enrolments, earlier, claim_dates)
    writes = _Writes()
    for enrolment in enrolments:
        claim, result = answers[enrolment.id]
        inputs: int | None = None  # stored once for both subsidies of the claim
        for outcome in (result.fee, result.living):
            current = found.get((enrolment.id, outcome.kind.value))
            if current is not None and current.status not in OPEN:
                continue
            inputs = writes.claim(enrolment, claim) if inputs is None else inputs
            writes.add(current, enrolment, outcome, claim, inputs)
    decisions = writes.write()
    revised = _revise_elsewhere(batch, answers, found)
    db.session.flush()
    _mark_used([*decisions, *revised])
    vouchers.settle([*decisions, *revised])
    notices.revise([*decisions, *revised])
    record("subsidy.compute", object_type="training_batch", object_id=batch.id,
           region_code=batch.region_code, details={"decisions": len(decisions)})
    for other in sorted({d.batch_id for d in revised}):
        first = next(d for d in revised if d.batch_id == other)
        record("subsidy.compute", object_type="training_batch", object_id=other,
               region_code=first.region_code,
               details={"decisions": sum(1 for d in revised if d.batch_id == other),
                        "after_batch": batch.id})
    return decisions


def _revise_elsewhere(batch: Batch, answers: dict[int, tuple[engine.Claim, engine.Subsidies]],
                      found: dict[tuple[int, str], Decision]) -> list[Decision]:
    """The people's open decisions in other batches whose answer, decided in turn with this
    batch's, changed (a batch that ended earlier now takes a once-only subsidy): stored
    again at once, so that no out-of-date grant awaits approval."""
    writes = _Writes()
    for (enrolment_id, kind), current in found.items():
        if current.batch_id == batch.id or current.status not in OPEN \
                or enrolment_id not in answers:
            continue
        claim, result = answers[enrolment_id]
        outcome = result.fee if kind == engine.SubsidyKind.FEE else result.living
        if (current.eligible, current.amount_fen, current.reasons) == (
                outcome.eligible, outcome.amount, [r.value for r in outcome.reasons]):
            continue
        writes.add(current, current.enrolment, outcome, claim,
                   writes.claim(current.enrolment, claim))
    return writes.write()


def _mark_used(decisions: Sequence[Decision]) -> None:
    versions = {int(p["version"]) for d in decisions for p in d.parameters}
    fresh = db.session.scalars(select(ParameterValue.id).where(
        ParameterValue.id.in_(versions), ParameterValue.first_used_at.is_(None))).all() \
        if versions else []
    for version in sorted(fresh):  # one query when every value is already frozen
        parameters.mark_used(version)


def _move(decision: Decision, from_states: Sequence[Status], to: Status,
          **values: object) -> None:
    """A conditional UPDATE: the second of two simultaneous clicks finds nothing to move."""
    stmt = (update(Decision).where(Decision.id == decision.id,
                                   Decision.status.in_([s.value for s in from_states]))
            .values(status=to.value, **values))
    if db.session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
        db.session.refresh(decision)
        raise Conflict(N_("This decision's status is now “%(status)s”; nothing was changed."),
                       status=Phrase(STATUS_WORDS.get(decision.status, decision.status)))
    db.session.refresh(decision)
    notices.revise([decision])


def submit(decisions: Sequence[Decision], by: User, today: date) -> int:
    """The institution claims: the open decisions are recomputed on the claim date (the
    12-month deadline runs to it); those still granting an amount go for approval, refusals
    stay as computed, with their reason. Returns how many were submitted."""
    for batch_id in sorted({d.batch_id for d in decisions}):
        batch = db.session.get(Batch, batch_id)
        assert batch is not None
        compute_batch(batch, by, today)
    submitted = 0
    for decision in decisions:
        db.session.refresh(decision)
        if not decision.eligible:
            continue
        _move(decision, (Status.COMPUTED,), Status.SUBMITTED, submitted_at=utcnow())
        _audit("subsidy.submit", decision)
        submitted += 1
    return submitted


def approve(decisions: Sequence[Decision], by: User, today: date) -> None:
    """All or nothing: the approvals must fit every budget that covers them."""
    refused = [d for d in decisions if d.status != Status.SUBMITTED or not d.eligible]
    if refused:
        raise Conflict(N_("Only submitted decisions can be approved; %(count)s of those "
                          "chosen are not."), count=len(refused))
    budgets.reserve(decisions, today)
    for decision in decisions:
        _move(decision, (Status.SUBMITTED,), Status.APPROVED, decided_at=utcnow(),
              decided_by_id=by.id, budget_year=today.year)
        _audit("subsidy.approve", decision)
    signals.decisions_approved.send(None, decisions=list(decisions))


def reject(decision: Decision, by: User, reason: str) -> None:
    if not reason.strip():
        raise DomainError(N_("Give the reason for the rejection; the trainee will read it."))
    _move(decision, OPEN, Status.REJECTED, decided_at=utcnow(), decided_by_id=by.id,
          rejection_reason=reason.strip())
    _audit("subsidy.reject", decision, reason=reason.strip())
    signals.decision_rejected.send(decision)


def check_payment(paid_on: date | None, reference: str, today: date) -> None:
    """The payment's rules, raised together, each on the payment form's field (a date not
    given is not compared: the form says so)."""
    checks = Checks()
    if not reference.strip():
        checks.add(N_("Give the payment reference."), field="reference")
    if paid_on is not None and paid_on > today:
        checks.add(N_("A payment cannot be dated in the future."), field="paid_on")
    checks.done()


def pay(decision: Decision, by: User, paid_on: date, reference: str, today: date) -> Payment:
    check_payment(paid_on, reference, today)
    _move(decision, (Status.APPROVED,), Status.PAID)
    payment = Payment(decision_id=decision.id, amount_fen=decision.amount_fen,
                      paid_on=paid_on, reference=reference.strip(),
                      payee_name=payee_name(decision), recorded_by_id=by.id)
    db.session.add(payment)
    db.session.flush()  # the unique decision_id is the last guard against a second payment
    _audit("subsidy.pay", decision, reference=reference.strip())
    signals.decision_paid.send(decision)
    return payment


def payee_name(decision: Decision) -> str:
    if decision.payee == engine.Payee.INSTITUTION:
        return decision.institution.name
    return decision.person.name
