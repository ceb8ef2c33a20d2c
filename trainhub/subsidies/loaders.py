"""Load what a subsidy page needs in a fixed number of statements, then check the permission
(404 before 403): a batch with its decisions, one decision with its history, the officers'
queues, and the budgets with what is committed against them. Reads only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_login import current_user
from sqlalchemy import (
    ARRAY,
    Integer,
    Select,
    and_,
    any_,
    bindparam,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import selectinload

from trainhub.core import policy
from trainhub.core.accounts.models import Role, User
from trainhub.core.audit.models import AuditEntry, Outcome
from trainhub.core.errors import NotFound
from trainhub.core.organisations import Institution
from trainhub.core.parameters.models import Parameter
from trainhub.core.people.models import Person
from trainhub.extensions import db
from trainhub.subsidies import budgets, decisions, engine, versions, vouchers
from trainhub.subsidies.models import Budget, Decision, Voucher
from trainhub.training.catalog import EnrolmentStatus
from trainhub.training.models import Batch, Enrolment

NOT_FOUND = "The page or record was not found, or it is outside your scope."
PROVINCE = "36"


@dataclass(frozen=True)
class Scope:
    """A region as a policy object: the budgets rule reads `region_code`."""

    region_code: str


def scope_of(user: Any) -> str | None:
    """The region a user's subsidy pages cover: an officer's, or the province for the
    admin; None for anyone else."""
    if user.role == Role.ADMIN:
        return PROVINCE
    return policy.officer_region(user)


# --- a batch and its decisions ------------------------------------------------------------

def batch(batch_id: int, action: str) -> Batch:
    """A completed or settled batch: before that it has no subsidies to show."""
    found = db.session.get(Batch, batch_id, options=[selectinload(Batch.institution)])
    if found is None or found.status not in decisions.COMPUTABLE_BATCH:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found)
    return found


def decisions_of(found: Batch) -> list[Decision]:
    """The batch's decisions, whole, with their trainees and payments."""
    return list(db.session.scalars(
        select(Decision).where(Decision.batch_id == found.id)
        .options(selectinload(Decision.person), selectinload(Decision.payment))
        .order_by(Decision.enrolment_id, Decision.kind)))


class _DecisionColumns:
    """What a decision read as columns shows of its amount and payee, worked out as the
    Decision model does (granted, granted_fen, payee_name), for the pages' rows below."""

    eligible: bool
    status: str
    amount_fen: int
    payee: str
    person_name: str
    institution_name: str

    @property
    def granted(self) -> bool:
        return self.eligible and self.status != engine.DecisionStatus.REJECTED

    @property
    def granted_fen(self) -> int:
        return self.amount_fen if self.granted else 0

    @property
    def payee_name(self) -> str:
        """As decisions.payee_name: the institution's name, or the trainee's."""
        return (self.institution_name if self.payee == engine.Payee.INSTITUTION
                else self.person_name)


@dataclass(frozen=True)
class ListedDecision(_DecisionColumns):
    """A decision as a batch's claims page lists it, read as columns with its trainee's
    and institution's names (issue 13: 200 ORM decisions with their trainees were the
    page's largest cost; the trace, explanation and parameters it never shows were read
    too before). The filters and display.refusal read the same attributes as of a
    decision (status, eligible, granted, granted_fen, reasons, rejection_reason)."""

    id: int
    kind: str
    status: str
    eligible: bool
    amount_fen: int
    payee: str
    reasons: list[str]
    rejection_reason: str
    person_name: str
    institution_name: str


def listed_decisions(found: Batch) -> list[ListedDecision]:
    """The batch's decisions as its claims page lists them (one statement)."""
    rows = db.session.execute(
        select(Decision.id, Decision.kind, Decision.status, Decision.eligible,
               Decision.amount_fen, Decision.payee, Decision.reasons,
               Decision.rejection_reason, Person.name, Institution.name)
        .join(Person, Person.id == Decision.person_id)
        .join(Institution, Institution.id == Decision.institution_id)
        .where(Decision.batch_id == found.id)
        .order_by(Decision.enrolment_id, Decision.kind))
    return [ListedDecision(*values) for values in (tuple(row) for row in rows)]


def claim_batches(user: Any, action: str, limit: int, page: int) -> tuple[list[Any], int]:
    """Page `page` of the completed batches the user sees (latest first), as rows of the
    columns the claims list shows with the institution's name, and how many there are: one
    statement, the count read beside the page by a window (issue 13: the count, the
    batches and their institutions as ORM objects were three)."""
    seen = (policy.where(user, action, Batch),
            Batch.status.in_([s.value for s in decisions.COMPUTABLE_BATCH]))
    rows = db.session.execute(
        select(Batch.id, Batch.title, Batch.region_code, Batch.start_date, Batch.end_date,
               Institution.name.label("institution_name"), func.count().over().label("total"))
        .join(Institution, Institution.id == Batch.institution_id).where(*seen)
        .order_by(Batch.end_date.desc(), Batch.id.desc())
        .limit(limit).offset((page - 1) * limit)).all()
    if rows:
        return list(rows), int(rows[0].total)
    if page == 1:
        return [], 0
    # a page beyond the last shows no batch, and still says how many there are
    return [], db.session.scalar(select(func.count()).select_from(Batch).where(*seen)) or 0


def decision_counts(batch_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each batch's decisions counted by status (one statement)."""
    counts: dict[int, dict[str, int]] = {b: {} for b in batch_ids}
    if batch_ids:
        for batch_id, status, n in db.session.execute(
                select(Decision.batch_id, Decision.status, func.count())
                .where(Decision.batch_id.in_(batch_ids))
                .group_by(Decision.batch_id, Decision.status)):
            counts[batch_id][status] = int(n)
    return counts


def trainee_count(found: Batch) -> int:
    """Admitted or withdrawn trainees: those a computation gives decisions to."""
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.batch_id == found.id,
        Enrolment.status.in_([EnrolmentStatus.ADMITTED.value,
                              EnrolmentStatus.WITHDRAWN.value]))) or 0


def decision(decision_id: int, action: str) -> Decision:
    found = db.session.get(Decision, decision_id, options=[
        selectinload(Decision.batch), selectinload(Decision.institution),
        selectinload(Decision.person), selectinload(Decision.payment)])
    if found is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, action, found)
    return found


def chosen(ids: Iterable[int], action: str) -> list[Decision]:
    """The decisions ticked in a list: all must exist and be in the user's scope."""
    wanted = sorted(set(ids))
    found = list(db.session.scalars(
        select(Decision).where(Decision.id.in_(wanted))
        .options(selectinload(Decision.person)).order_by(Decision.id))) if wanted else []
    if len(found) != len(wanted):
        raise NotFound(NOT_FOUND)
    for item in found:
        policy.require(current_user, action, item)
    return found


def parameter_labels(decisions: Iterable[Decision]) -> dict[str, tuple[str, str]]:
    """key → (label msgid, unit) of every parameter these decisions used (one statement)."""
    keys = {p["key"] for d in decisions for p in d.parameters}
    keys |= {p["key"] for d in decisions for s in d.trace for p in s.get("parameters") or ()}
    if not keys:
        return {}
    rows = db.session.execute(select(Parameter.key, Parameter.label_msgid, Parameter.unit)
                              .where(Parameter.key.in_(keys)))
    return {key: (label, unit) for key, label, unit in rows}


# --- history ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Event:
    action: str  # the audit action: subsidy.compute, subsidy.submit, …
    at: datetime
    by: str
    note: str


def history(found: Decision) -> list[Event]:
    """From the audit log: the computations of its batch while it was open, and every
    change of the decision itself, with who and when (two statements)."""
    of_decision = and_(AuditEntry.object_type == "subsidy_decision",
                       AuditEntry.object_id == str(found.id))
    computed = and_(AuditEntry.object_type == "training_batch",
                    AuditEntry.object_id == str(found.batch_id),
                    AuditEntry.action == "subsidy.compute")
    if found.decided_at is not None:  # frozen or rejected: later computations skipped it
        computed = and_(computed, AuditEntry.occurred_at <= found.decided_at)
    rows = list(db.session.scalars(
        select(AuditEntry).where(or_(of_decision, computed),
                                 AuditEntry.outcome == Outcome.SUCCESS.value)
        .order_by(AuditEntry.occurred_at, AuditEntry.id)))
    # Changes made outside a request (imports, the demo) have no actor in the log; the
    # decision and its payment still say who decided and who paid.
    recorded = {"subsidy.approve": found.decided_by_id, "subsidy.reject": found.decided_by_id,
                "subsidy.pay": found.payment.recorded_by_id if found.payment else None}
    actors = {r.id: r.actor_id or recorded.get(r.action) for r in rows}
    ids = {a for a in actors.values() if a is not None}
    names: dict[int | None, str] = {i: name for i, name in db.session.execute(
        select(User.id, User.display_name).where(User.id.in_(ids)))} if ids else {}
    return [Event(r.action, r.occurred_at, names.get(actors[r.id], r.actor_username),
                  str(r.details.get("reason") or r.details.get("reference") or ""))
            for r in rows]


# --- the officers' queues ------------------------------------------------------------------

@dataclass(frozen=True)
class QueueFilters:
    institution_id: int | None = None
    batch_id: int | None = None
    kind: str | None = None

    def query(self) -> dict[str, Any]:
        values = {"institution": self.institution_id, "batch": self.batch_id,
                  "kind": self.kind}
        return {k: v for k, v in values.items() if v}


def in_scope(user: Any) -> Select[Decision]:
    """The decisions the user may approve, reject and pay (subsidies.rules)."""
    return select(Decision).where(policy.where(user, "subsidies.approve", Decision))


@dataclass(frozen=True)
class QueueRow(_DecisionColumns):
    """A decision as the approval queue lists it, read as columns with its trainee's,
    batch's and institution's names (issue 13: a hundred ORM decisions with their three
    related objects were most of the queue's loading). The template filters that take a
    decision (decision_amount) read the same `granted` and `granted_fen`."""

    id: int
    kind: str
    status: str
    eligible: bool
    amount_fen: int
    payee: str
    submitted_at: datetime | None
    decided_at: datetime | None
    person_name: str
    batch_title: str
    institution_name: str


_QUEUE_COLUMNS = (Decision.id, Decision.kind, Decision.status, Decision.eligible,
                  Decision.amount_fen, Decision.payee, Decision.submitted_at,
                  Decision.decided_at, Person.name, Batch.title, Institution.name)


def _waiting(user: Any, statuses: Iterable[engine.DecisionStatus],
             filters: QueueFilters) -> Select[Decision]:
    waiting = in_scope(user).where(Decision.status.in_([s.value for s in statuses]))
    if filters.institution_id:
        waiting = waiting.where(Decision.institution_id == filters.institution_id)
    if filters.batch_id:
        waiting = waiting.where(Decision.batch_id == filters.batch_id)
    if filters.kind:
        waiting = waiting.where(Decision.kind == filters.kind)
    return waiting


def queue_sizes(user: Any, statuses: Sequence[engine.DecisionStatus],
                filters: QueueFilters) -> dict[str, int]:
    """How many decisions each queue holds, counted from the queue's index in one statement
    once for each state of the region's decisions (versions.kept): counted on every view,
    a province's 10,668 approved decisions were most of the page's reading (issue 13)."""
    def count() -> dict[str, int]:
        sizes = {s.value: 0 for s in statuses}
        waiting = _waiting(user, statuses, filters).with_only_columns(Decision.status)
        listed = waiting.subquery()
        sizes.update({status: int(n) for status, n in db.session.execute(
            select(listed.c.status, func.count()).group_by(listed.c.status))})
        return sizes

    if user.role != Role.FEDERATION_OFFICER:  # the approvers' scope is an officer's region
        return count()
    key = ("queue sizes", user.role, tuple(s.value for s in statuses), filters)
    return dict(versions.kept(user.region_code or "", key, count))


def queues(user: Any, filters: QueueFilters, limit: int,
           wanted: Sequence[tuple[engine.DecisionStatus, int, int]],
           ) -> dict[str, tuple[list[QueueRow], int]]:
    """Page `page` of the queue of each (status, page, total) in `wanted`, in the order
    served (`limit` decisions a page; a page beyond the last is the last), with `total`
    as queue_sizes counted it. The pages' ids come from the queue's index alone (migrations
    0019, 0037), put together (UNION ALL), and only those decisions are read, in one
    statement: sorting a province's 10,000 approved decisions with their traces to keep 100
    took most of the page's time, and each list read apart was a round trip (issue 13)."""
    found: dict[str, tuple[list[QueueRow], int]] = {}
    served = (Decision.submitted_at, Decision.id)
    pages = []
    for status, page, total in wanted:
        found[status.value] = ([], total)
        if not total:
            continue
        last = max(1, -(-total // limit))
        page = min(max(1, page), last)  # a page beyond the last (the list shrank): the last
        ids = (_waiting(user, (status,), filters).with_only_columns(Decision.id)
               .order_by(*served).limit(limit).offset((page - 1) * limit).subquery())
        pages.append(select(ids.c.id))
    if not pages:
        return found
    listed = (pages[0] if len(pages) == 1 else union_all(*pages)).subquery()
    rows = db.session.execute(
        select(*_QUEUE_COLUMNS).select_from(Decision)
        .join(listed, listed.c.id == Decision.id)
        .join(Person, Person.id == Decision.person_id)
        .join(Batch, Batch.id == Decision.batch_id)
        .join(Institution, Institution.id == Decision.institution_id)
        .order_by(*served))
    for row in rows:
        found[row.status][0].append(QueueRow(*row))
    return found


def queue_choices(user: Any, statuses: Iterable[engine.DecisionStatus],
                  filters: QueueFilters) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The institutions that have decisions waiting, and the batches of the chosen one
    (two statements). A province has some 2,000 batches with claims waiting: offered all
    at once they were half of the page (400 KB), so batches are offered within an
    institution, and a batch chosen from elsewhere (the batch's claims page) stays chosen."""
    waiting = in_scope(user).where(Decision.status.in_([s.value for s in statuses]))

    def with_waiting() -> list[int]:
        return list(db.session.scalars(
            waiting.with_only_columns(Decision.institution_id).distinct()))

    # which institutions have decisions waiting is kept under the state of the region's
    # decisions (a province: ~14,000 read from the queue's index on every view, issue 13);
    # their names are read by primary key every time, so a renamed institution shows at once
    ids = (versions.kept(user.region_code or "", ("queue institutions", user.role,
                                                  tuple(s.value for s in statuses)),
                         with_waiting)
           if user.role == Role.FEDERATION_OFFICER else with_waiting())
    # PostgreSQL plans a list of ~300 ids given as one array in a tenth of the time it
    # takes for as many parameters (0.06 against 0.5 ms, and the same time saved binding)
    among = (Institution.id == any_(bindparam("ids", ids, type_=ARRAY(Integer)))
             if db.engine.dialect.name == "postgresql" else Institution.id.in_(ids))
    institutions: list[tuple[int, str]] = [
        (i, n) for i, n in db.session.execute(select(Institution.id, Institution.name)
                                              .where(among).order_by(Institution.name))
    ] if ids else []
    batch_ids = waiting.with_only_columns(Decision.batch_id).distinct()
    if filters.institution_id:
        batch_ids = batch_ids.where(Decision.institution_id == filters.institution_id)
    elif filters.batch_id:
        batch_ids = batch_ids.where(Decision.batch_id == filters.batch_id)
    else:
        return institutions, []
    batch_rows = db.session.execute(select(Batch.id, Batch.title).where(Batch.id.in_(batch_ids))
                                    .order_by(Batch.start_date.desc(), Batch.id))
    return institutions, [(i, t) for i, t in batch_rows]


# --- budgets ------------------------------------------------------------------------------

def budgets_in(region: str, year: int) -> list[Budget]:
    return list(db.session.scalars(
        select(Budget).where(Budget.region_code.startswith(region), Budget.year == year)
        .order_by(Budget.kind, Budget.region_code)))


def usages(found: Sequence[Budget]) -> list[budgets.Usage]:
    """`budgets.usage` for many budgets in one statement: the committed and paid sums per
    county, kind and year, added up for each budget whose region contains the county."""
    if not found:
        return []
    prefixes = {b.region_code for b in found}
    rows = db.session.execute(
        select(Decision.region_code, Decision.kind, Decision.budget_year, Decision.status,
               func.sum(Decision.amount_fen))
        .where(Decision.status.in_(budgets.COMMITTED),
               Decision.budget_year.in_({b.year for b in found}),
               or_(*(Decision.region_code.startswith(p) for p in prefixes)))
        .group_by(Decision.region_code, Decision.kind, Decision.budget_year, Decision.status))
    sums: dict[tuple[str, str, int | None], dict[str, int]] = defaultdict(
        lambda: defaultdict(int))
    for region, kind, year, status, total in rows:
        sums[(region, kind, year)][status] += int(total or 0)
    result = []
    for budget in found:
        committed = paid = 0
        for (region, kind, year), by_status in sums.items():
            if kind == budget.kind and year == budget.year and region.startswith(
                    budget.region_code):
                paid += by_status.get(engine.DecisionStatus.PAID.value, 0)
                committed += sum(by_status.values())
        result.append(budgets.Usage(budget, committed, paid))
    return result


def voucher_in_region(voucher_id: int) -> Voucher:
    """A voucher of the officer's region; one elsewhere is not found (its holder stays
    private), then the permission is checked on it."""
    found = db.session.scalar(vouchers.in_region(current_user.region_code or "-")
                              .where(Voucher.id == voucher_id))
    if found is None:
        raise NotFound(NOT_FOUND)
    policy.require(current_user, vouchers.ISSUE, found)
    return found
