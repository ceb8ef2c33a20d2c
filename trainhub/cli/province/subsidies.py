"""Subsidy decisions (政府买单) of the completed batches, computed by the app's own engine
(`subsidies.engine.compute`, the dated parameters of `subsidies.claims.load_parameters`):
the stored inputs (once per claim), parameter versions and compact trace are what
`subsidies.decisions` stores. A person's claims are decided in turn, earliest batch first,
each seeing the person's earlier granted subsidies with their status, as
`engine.compute_in_turn` does. Their lifecycle follows the calendar: computed after the
batch, submitted by the institution, approved by the federation (against budgets set
afterwards to cover every approval), paid; a few rejected. Refusals stay computed."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, update

from trainhub.cli.province import names
from trainhub.cli.province.accounts import Accounts
from trainhub.cli.province.bulk import CHUNK, Bulk
from trainhub.cli.province.compat import FAMILY_SEATS
from trainhub.cli.province.world import MARK_CODES, BatchRec, EnrolRec, World
from trainhub.core.parameters.models import ParameterValue
from trainhub.subsidies import claims, engine, stored
from trainhub.subsidies.models import Budget, ClaimInputs, Decision, Payment

Status = engine.DecisionStatus
GRANTED_STATES = (Status.APPROVED.value, Status.PAID.value)


def snapshot(claim: engine.Claim, sessions: list[dict[str, Any]]) -> dict[str, Any]:
    """decisions.inputs_snapshot(claim), built directly (the generic walk over the
    dataclasses costs a millisecond a claim); `sessions` are the claim's sessions as JSON."""
    person, batch, completion = claim.person, claim.batch, claim.completion
    return {
        "person": {"key": person.key, "sex": person.sex,
                   "birth_date": person.birth_date.isoformat(),
                   "has_valid_certificate": person.has_valid_certificate,
                   "household_in_jiangxi": person.household_in_jiangxi,
                   "employed_at_enrolment": person.employed_at_enrolment,
                   **({"family_member": person.family_member} if FAMILY_SEATS else {})},
        "batch": {"start_date": batch.start_date.isoformat(),
                  "end_date": batch.end_date.isoformat(), "region_code": batch.region_code,
                  "training_type": batch.training_type, "occupation": batch.occupation,
                  "fee_charged": batch.fee_charged, "planned_hours": str(batch.planned_hours),
                  "institution_id": batch.institution_id},
        "attendance": {"sessions": sessions, "withdrew": claim.attendance.withdrew},
        "completion": {"passed": completion.passed,
                       "certificate_type": completion.certificate_type,
                       "level": completion.level,
                       "certificate_date": None if completion.certificate_date is None
                       else completion.certificate_date.isoformat()},
        "claim_date": claim.claim_date.isoformat(),
        "earlier": [{"kind": e.kind, "occupation": e.occupation, "level": e.level,
                     "certificate_date": None if e.certificate_date is None
                     else e.certificate_date.isoformat(),
                     "batch_end_date": e.batch_end_date.isoformat(), "status": e.status,
                     "granted": e.granted} for e in claim.earlier],
    }


class _BatchView:
    """A batch as the engine reads it, built once: its sessions in every status."""

    def __init__(self, batch: BatchRec) -> None:
        self.batch = engine.Batch(
            start_date=batch.start, end_date=batch.end, region_code=batch.region,
            training_type=engine.TrainingType(batch.training_type),
            occupation=batch.occupation, fee_charged=batch.fee_fen,
            planned_hours=batch.planned_hours, institution_id=str(batch.institution_id))
        self.sessions = [
            {code: engine.Session(date=s.day, hours=s.hours, in_person=s.mode == "in_person",
                                  status=engine.AttendanceStatus(MARK_CODES.get(code, "absent")))
             for code in range(5)} for s in batch.sessions]
        self.json = [{code: {"date": s.day.isoformat(), "hours": str(s.hours),
                             "in_person": s.mode == "in_person",
                             "status": MARK_CODES.get(code, "absent")} for code in range(5)}
                     for s in batch.sessions]


class Subsidies:
    def __init__(self, world: World, bulk: Bulk, accounts: Accounts) -> None:
        self.world, self.bulk, self.accounts = world, bulk, accounts
        self.rng = world.rng("subsidies")
        self.buffer: list[dict[str, Any]] = []      # written by CHUNK, as they come
        self.written = 0
        self.statuses: dict[str, int] = defaultdict(int)
        self.committed: dict[tuple[str, int, str], int] = defaultdict(int)
        self.first_computed: datetime | None = None
        self.payments: list[dict[str, Any]] = []
        self.inputs: list[dict[str, Any]] = []     # a claim's inputs, once for both
        self.versions: set[int] = set()
        self.paid_person: int | None = None     # for the demo trainee account

    # --- the calendar of a batch's claims ----------------------------------------------

    def _calendar(self, batch: BatchRec, enrolments: list[EnrolRec]) -> dict[str, Any] | None:
        """Computed after the last certificate, claimed, approved, paid: each step only if
        its day has come (yesterday at the latest)."""
        rng, yesterday = self.rng, self.world.today - timedelta(days=1)
        certified = [e.completion.certificate_date for e in enrolments
                     if e.completion and e.completion.certificate_date]
        computed = max([batch.end + timedelta(days=rng.randint(5, 25)), *certified])
        if computed > yesterday:
            if batch.status != "settled":
                return None
            computed = yesterday
        days: dict[str, Any] = {"computed": computed, "officer": self.accounts.officer_for(
            batch.region, "county" if rng.random() < 0.7 else "city")}
        submitted = computed + timedelta(days=rng.randint(1, 15))
        approved = submitted + timedelta(days=rng.randint(5, 40))
        paid = approved + timedelta(days=rng.randint(10, 60))
        for name, day in (("submitted", submitted), ("approved", approved), ("paid", paid)):
            if day > yesterday:
                break
            days[name] = day
        return days

    def _status(self, days: dict[str, Any], eligible: bool) -> tuple[str, date | None, str]:
        """(status, decided on, rejection reason)"""
        rng = self.rng
        if not eligible or "submitted" not in days:
            return Status.COMPUTED.value, None, ""
        if "approved" not in days:
            if rng.random() < 0.04:
                decided = min(days["submitted"] + timedelta(days=rng.randint(2, 20)),
                              self.world.today - timedelta(days=1))
                return Status.REJECTED.value, decided, rng.choice(names.REJECTION_REASONS)
            return Status.SUBMITTED.value, None, ""
        if rng.random() < 0.03:
            return Status.REJECTED.value, days["approved"], rng.choice(names.REJECTION_REASONS)
        if "paid" in days and rng.random() < 0.95:
            return Status.PAID.value, days["approved"], ""
        return Status.APPROVED.value, days["approved"], ""

    # --- computing ---------------------------------------------------------------------

    def generate(self) -> None:
        world = self.world
        done = [b for b in world.batches if b.status in ("completed", "settled")
                and b.results == "all"]
        by_batch: dict[int, list[EnrolRec]] = defaultdict(list)
        for enrolment in world.enrolments:
            if enrolment.batch.results == "all" and enrolment.status in ("admitted",
                                                                         "withdrawn"):
                by_batch[enrolment.batch.id].append(enrolment)
        calendars = {b.id: self._calendar(b, by_batch[b.id]) for b in done}
        self.rules = claims.load_parameters({b.region[:4] for b in done})
        views = {b.id: _BatchView(b) for b in done if calendars[b.id]}
        per_person: dict[int, list[EnrolRec]] = defaultdict(list)
        for batch_id in views:
            for enrolment in by_batch[batch_id]:
                per_person[enrolment.person.id].append(enrolment)
        for person_id in sorted(per_person):
            mine = sorted(per_person[person_id],
                          key=lambda e: (e.batch.end, e.batch.start, e.id))
            earlier: list[engine.EarlierSubsidy] = []
            for enrolment in mine:
                calendar = calendars[enrolment.batch.id]
                assert calendar is not None
                self._decide(enrolment, views[enrolment.batch.id], calendar, earlier)
            if len(self.buffer) >= CHUNK:
                self._flush()
        self._flush()
        self.bulk.done("subsidy_decisions", self.written)

    def _flush(self) -> None:
        """Decisions are large (inputs with every session, the trace): written a chunk at a
        time, keeping only what the budgets need."""
        for row in self.buffer:
            self.statuses[row["status"]] += 1
            if row["status"] in GRANTED_STATES:
                for length in (2, 4, 6):
                    self.committed[(row["region_code"][:length], row["budget_year"],
                                    row["kind"])] += row["amount_fen"]
            if self.first_computed is None or row["computed_at"] < self.first_computed:
                self.first_computed = row["computed_at"]
        self.bulk.insert(ClaimInputs.__table__, self.inputs)
        self.written += self.bulk.insert(Decision.__table__, self.buffer)
        self.buffer, self.inputs = [], []

    def _claim(self, enrolment: EnrolRec, view: _BatchView, claim_date: date,
               earlier: list[engine.EarlierSubsidy]) -> tuple[engine.Claim, dict[str, Any]]:
        person, completion = enrolment.person, enrolment.completion
        marks = enrolment.marks or bytes(len(view.sessions))
        attendance = engine.Attendance(
            tuple(variants[code] for variants, code in zip(view.sessions, marks, strict=True)),
            withdrew=enrolment.status == "withdrawn")
        if completion is None:
            result = engine.Completion(passed=False)
        elif not completion.certificate_type:
            result = engine.Completion(passed=completion.passed)
        else:
            result = engine.Completion(
                passed=completion.passed,
                certificate_type=engine.CertificateType(completion.certificate_type),
                level=engine.Level(completion.certificate_level)
                if completion.certificate_level else None,
                certificate_date=completion.certificate_date)
        claim = engine.Claim(
            person=engine.Person(key=str(person.id), sex=engine.Sex(person.sex),
                                 birth_date=person.birth,
                                 has_valid_certificate=person.category is not None,
                                 household_in_jiangxi=person.county.startswith("36"),
                                 employed_at_enrolment=person.employment != "unemployed",
                                 **({"family_member": enrolment.family_relation is not None}
                                    if FAMILY_SEATS else {})),
            batch=view.batch, attendance=attendance, completion=result,
            claim_date=claim_date, earlier=tuple(earlier))
        sessions = [variants[code] for variants, code in zip(view.json, marks, strict=True)]
        return claim, snapshot(claim, sessions)

    def _decide(self, enrolment: EnrolRec, view: _BatchView, days: dict[str, Any],
                earlier: list[engine.EarlierSubsidy]) -> None:
        world = self.world
        batch = enrolment.batch
        claim_date = days.get("submitted", days["computed"])
        claim, inputs = self._claim(enrolment, view, claim_date, earlier)
        result = engine.compute(claim, self.rules)
        inputs_id = self.bulk.next_id(ClaimInputs.__table__)
        self.inputs.append({"id": inputs_id, "enrolment_id": enrolment.id, "inputs": inputs})
        completion = enrolment.completion
        computed_at = world.moment(claim_date, random.Random(batch.id))
        for outcome in (result.fee, result.living):
            status, decided, reason = self._status(days, outcome.eligible)
            parameters = [p.as_dict() for p in outcome.parameter_versions()]
            self.versions.update(int(p["version"]) for p in parameters)
            decision_id = self.bulk.next_id(Decision.__table__)
            decided_at = world.moment(decided, random.Random(batch.id + 1)) if decided else None
            self.buffer.append({
                "id": decision_id, "enrolment_id": enrolment.id,
                "person_id": enrolment.person.id, "batch_id": batch.id,
                "institution_id": batch.institution_id, "region_code": batch.region,
                "kind": outcome.kind.value, "status": status, "eligible": outcome.eligible,
                "amount_fen": outcome.amount, "payee": outcome.payee.value,
                "reasons": [r.value for r in outcome.reasons], "inputs_id": inputs_id,
                "parameters": parameters, "trace": stored.encode(outcome),
                "explanation": None, "occupation": batch.occupation,
                "certificate_level": completion.certificate_level if completion else None,
                "certificate_date": completion.certificate_date if completion else None,
                "batch_end_date": batch.end, "claim_date": claim_date,
                "computed_at": computed_at,
                "submitted_at": computed_at if status != Status.COMPUTED.value else None,
                "decided_at": decided_at,
                "decided_by_id": days["officer"] if decided else None,
                "budget_year": decided.year if status in GRANTED_STATES and decided else None,
                "rejection_reason": reason, "verification_code": None})
            if status == Status.PAID.value:
                self._payment(decision_id, enrolment, outcome, days)
                if self.paid_person is None and outcome.kind is engine.SubsidyKind.LIVING:
                    self.paid_person = enrolment.person.id
            if outcome.eligible and outcome.amount > 0:
                earlier.append(engine.EarlierSubsidy(
                    kind=outcome.kind, occupation=batch.occupation,
                    level=claim.completion.level,
                    certificate_date=claim.completion.certificate_date,
                    batch_end_date=batch.end, status=Status(status)))

    def _payment(self, decision_id: int, enrolment: EnrolRec, outcome: engine.SubsidyResult,
                 days: dict[str, Any]) -> None:
        paid: date = days["paid"]
        batch = enrolment.batch
        payee = batch.base.institution.name if outcome.payee == engine.Payee.INSTITUTION \
            else enrolment.person.name
        self.payments.append({
            "id": self.bulk.next_id(Payment.__table__),
            "decision_id": decision_id, "amount_fen": outcome.amount, "paid_on": paid,
            "reference": f"ZF{paid:%Y%m%d}{batch.id:06d}{len(self.payments) % 1000:03d}",
            "payee_name": payee, "recorded_by_id": days["officer"],
            "recorded_at": self.world.moment(paid, random.Random(decision_id))})

    # --- budgets -----------------------------------------------------------------------

    def budgets(self) -> list[dict[str, Any]]:
        """Per region, year and kind: what was approved or paid, with room to spare (a
        few counties close to their limit, some counties without a budget of their own:
        their city's and the province's cover them)."""
        rng, world = self.rng, self.world
        committed = self.committed
        regions = ["36", *world.cities, *(c.code for c in world.counties)]
        rows = []
        for year in range(world.start.year, world.today.year + 1):
            set_on = max(date(year, 1, 2), world.start)
            if set_on >= world.today:
                continue
            for region in regions:
                for kind in (k.value for k in engine.SubsidyKind):
                    used = committed.get((region, year, kind), 0)
                    if len(region) == 6 and rng.random() < 0.15 and not used:
                        continue  # no county budget: the city's and the province's apply
                    room = 1.0 + (0.02 if rng.random() < 0.05 else rng.uniform(0.15, 0.8))
                    floor = {2: 50_000_000, 4: 5_000_000, 6: 500_000}[len(region)]
                    amount = max(floor, math.ceil(used * room / 100_000) * 100_000)
                    parent = {2: "36", 4: "36", 6: region[:4]}[len(region)]
                    rows.append({
                        "id": self.bulk.next_id(Budget.__table__),
                        "region_code": region, "year": year, "kind": kind,
                        "amount_fen": amount, "set_by_id": world.officers[parent],
                        "set_at": world.moment(set_on, rng)})
        return rows

    def write(self) -> None:
        bulk = self.bulk
        bulk.done("subsidy_payments",
                  bulk.insert(Payment.__table__, self.payments))
        bulk.done("subsidy_budgets",
                  bulk.insert(Budget.__table__, self.budgets()))
        if self.versions:  # decisions.mark_used: a value a decision used is frozen
            first = self.first_computed
            table = cast(Table, ParameterValue.__table__)
            bulk.connection.execute(update(table).where(
                table.c.id.in_(sorted(self.versions)), table.c.first_used_at.is_(None))
                .values(first_used_at=first))

