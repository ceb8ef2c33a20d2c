"""职业技能电子培训券: issued by officers to eligible people, claimed by the trainee, redeemed
when the trainee gets a seat in a matching course, settled against the training-fee subsidy
when the batch's decisions are computed.

Lifecycle (stored): issued → claimed → redeemed → settled. "Expired" is never stored: an
issued or claimed voucher past its last valid day is shown as expired (`shown_status`) and
every service refuses to claim or use it, so expiry needs no nightly job and cannot be
missed. A redeemed or settled voucher was used while valid and stays as it is.

Every move is a conditional UPDATE on the stored status, so a voucher is claimed once and
used once even when two requests race; the unique enrolment_id keeps an enrolment to one
voucher. Services flush and audit, never commit."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from trainhub.core import policy
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, Conflict, DomainError
from trainhub.core.idnumbers import mask_id
from trainhub.core.organisations import Institution
from trainhub.core.people.models import Person
from trainhub.core.people.services import find_person_by_number
from trainhub.core.sets import chunks
from trainhub.core.timeutil import to_local, utcnow
from trainhub.extensions import db
from trainhub.subsidies import claims, engine, signals
from trainhub.subsidies.models import Decision, Voucher
from trainhub.training import catalog
from trainhub.training.catalog import BatchStatus, EnrolmentStatus
from trainhub.training.models import Batch, Enrolment

ISSUE = "subsidies.vouchers.issue"
EXPIRED = "expired"  # shown, never stored
MAX_FACE_VALUE_FEN = 1_000_000  # ¥10,000: twice the highest standard (高级技师 ¥5,000)
MAX_PEOPLE = 200  # numbers per bulk issue
# 32 symbols without 0/O/1/I, which are misread aloud and on paper: 20 of them = 100 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_GROUPS, GROUP_LENGTH = 5, 4
# A voucher is used for a seat in a course that has not ended yet.
USABLE_BATCH = (BatchStatus.ENROLLING, BatchStatus.IN_PROGRESS)


class VoucherStatus(StrEnum):
    ISSUED = "issued"
    CLAIMED = "claimed"
    REDEEMED = "redeemed"
    SETTLED = "settled"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Terms:
    """What an officer decides for the vouchers of one issue."""

    face_value_fen: int
    valid_from: date
    valid_until: date
    categories: tuple[str, ...] = ()  # empty: any category
    institution_ids: tuple[int, ...] = ()  # empty: any institution


@dataclass(frozen=True)
class Problem:
    """Why one line of an issue cannot get a voucher (the number is shown masked)."""

    line: int
    masked: str
    message: str  # an English msgid
    params: dict[str, object] = field(default_factory=dict)


class IssueRefused(DomainError):
    """Nothing was issued; `problems` say why, line by line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(N_("No voucher was issued: %(count)s of the numbers given cannot "
                            "receive one."), count=len(problems))
        self.problems = list(problems)


def new_code() -> str:
    """JX-XXXX-XXXX-XXXX-XXXX-XXXX: random (100 bits), no personal data, no sequence."""
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * GROUP_LENGTH))
    groups = [symbols[i:i + GROUP_LENGTH] for i in range(0, len(symbols), GROUP_LENGTH)]
    return "JX-" + "-".join(groups)


def shown_status(voucher: Voucher, today: date) -> str:
    """The stored status, or "expired" for an unused voucher past its last valid day."""
    unused = voucher.status in (VoucherStatus.ISSUED, VoucherStatus.CLAIMED)
    return EXPIRED if unused and today > voucher.valid_until else voucher.status


def _audit(action: str, voucher: Voucher, **details: object) -> None:
    record(action, object_type="subsidy_voucher", object_id=voucher.id,
           region_code=voucher.region_code,
           details={"person": voucher.person_id, "face_value_fen": voucher.face_value_fen,
                    **details})


# --- issue -----------------------------------------------------------------------------

def check_terms(terms: Terms, today: date, checks: Checks | None = None) -> None:
    """The terms' rules, each on the issue form's field; collected in `checks` (raised
    together when none is given)."""
    found = Checks() if checks is None else checks
    if not 0 < terms.face_value_fen <= MAX_FACE_VALUE_FEN:
        found.add(N_("The face value must be more than ¥0 and at most %(max)s."),
                  field="face_value", max=f"¥{engine.format_yuan(MAX_FACE_VALUE_FEN)}")
    if terms.valid_until < terms.valid_from:
        found.add(N_("The last valid day cannot be before the first."), field="valid_until")
    elif terms.valid_until < today:
        found.add(N_("The last valid day is already past."), field="valid_until")
    if set(terms.categories) - set(catalog.values(catalog.Category)):
        found.add(N_("Unknown training category."), field="categories")
    wanted = set(terms.institution_ids)
    known = set(db.session.scalars(select(Institution.id).where(Institution.id.in_(wanted))))
    if wanted - known:
        found.add(N_("Unknown training institution."), field="institutions")
    if checks is None:
        found.done()


# Voucher-specific wording of the engine's refusals (the rules themselves are the engine's).
_NOT_ELIGIBLE = {
    engine.Reason.NO_DISABILITY_CERTIFICATE: N_("holds no valid disability certificate."),
    engine.Reason.UNDER_WORKING_AGE: N_("is %(age)s years old on %(on)s, below the working "
                                        "age of the subsidies."),
    engine.Reason.OVER_WORKING_AGE: N_("is %(age)s years old on %(on)s, past the working "
                                       "age of the subsidies."),
    engine.Reason.HOUSEHOLD_OUTSIDE_JIANGXI: N_("has no household registration in Jiangxi "
                                                "Province."),
}


def ineligibility(person: Person, on: date, rules: engine.Parameters) -> list[engine.Step]:
    """The failed person conditions of the subsidy engine on `on` (empty: eligible)."""
    steps = engine.person_eligibility(claims.person_of(person, employed=False), on,
                                      person.household_region_code, rules)
    return [s for s in steps if s.reason is not None]


def _problems(numbers: Sequence[str], by: User, on: date
              ) -> tuple[list[Person], list[Problem]]:
    people: list[Person] = []
    problems: list[Problem] = []
    found = [(line, number, find_person_by_number(number))
             for line, number in enumerate(numbers, start=1)]
    rules = claims.load_parameters({p.household_region_code[:4] for _, _, p in found if p})
    seen: set[int] = set()
    for line, number, person in found:
        masked = mask_id(number)
        # Someone outside the officer's region reads as unknown: no hint they exist.
        if person is None or not policy.may(by, ISSUE, person):
            problems.append(Problem(line, masked, N_("No person with this number is "
                                                     "registered in your region.")))
        elif person.id in seen:
            problems.append(Problem(line, masked, N_("This person is listed twice.")))
        else:
            seen.add(person.id)
            for step in ineligibility(person, on, rules):
                assert step.reason is not None
                problems.append(Problem(line, masked, _NOT_ELIGIBLE[step.reason],
                                        {"age": step.inputs.get("age"), "on": on.isoformat()}))
            people.append(person)
    return people, problems


def issue(numbers: Sequence[str], terms: Terms, by: User, today: date) -> list[Voucher]:
    """One voucher for each person named by resident ID (or disability certificate) number;
    all or nothing. Eligibility is the engine's person rules on the first day the voucher
    can be used (today, or its first valid day if later)."""
    numbers = [n.strip() for n in numbers if n.strip()]
    checks = Checks()  # every rule broken, in one answer
    if not numbers:
        checks.add(N_("Enter at least one resident ID number."), field="numbers")
    elif len(numbers) > MAX_PEOPLE:
        checks.add(N_("At most %(max)s people per issue."), field="numbers", max=MAX_PEOPLE)
    check_terms(terms, today, checks)
    people: list[Person] = []
    if numbers and len(numbers) <= MAX_PEOPLE:
        people, problems = _problems(numbers, by, max(today, terms.valid_from))
        if problems:
            checks.extend(IssueRefused(problems))
    checks.done()
    made = [Voucher(code=new_code(), person_id=p.id, region_code=p.household_region_code,
                    face_value_fen=terms.face_value_fen, categories=list(terms.categories),
                    institution_ids=list(terms.institution_ids), valid_from=terms.valid_from,
                    valid_until=terms.valid_until, status=VoucherStatus.ISSUED.value,
                    issued_by_id=by.id) for p in people]
    db.session.add_all(made)
    db.session.flush()
    for voucher in made:
        _audit("subsidy_voucher.issue", voucher, valid_from=terms.valid_from.isoformat(),
               valid_until=terms.valid_until.isoformat(), categories=list(terms.categories),
               institutions=list(terms.institution_ids))
    signals.vouchers_issued.send(None, vouchers=made)
    return made


# --- claim -----------------------------------------------------------------------------

def _move(voucher: Voucher, where: Iterable[Any], **values: object) -> bool:
    stmt = update(Voucher).where(Voucher.id == voucher.id, *where).values(**values)
    try:
        with db.session.begin_nested():  # the unique enrolment_id may refuse it
            moved = db.session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
    except IntegrityError:
        moved = False
    db.session.refresh(voucher)
    return moved


def claim(voucher: Voucher, today: date) -> None:
    """The trainee takes an issued voucher (issued → claimed)."""
    if shown_status(voucher, today) == EXPIRED:
        raise DomainError(N_("This voucher expired on %(date)s; it can no longer be claimed."),
                          date=voucher.valid_until)
    if not _move(voucher, [Voucher.status == VoucherStatus.ISSUED.value],
                 status=VoucherStatus.CLAIMED.value, claimed_at=utcnow()):
        if voucher.status == VoucherStatus.CANCELLED:
            raise Conflict(N_("This voucher was cancelled: %(reason)s"),
                           reason=voucher.cancel_reason or "")
        raise Conflict(N_("This voucher has already been claimed."))
    _audit("subsidy_voucher.claim", voucher)


# --- cancel ----------------------------------------------------------------------------

CANCELLABLE = (VoucherStatus.ISSUED, VoucherStatus.CLAIMED)


def cancellable(voucher: Voucher) -> bool:
    """Unused: an issued or claimed voucher (expired or not) can be cancelled."""
    return voucher.status in CANCELLABLE


def cancel(voucher: Voucher, by: User, reason: str) -> None:
    """An officer withdraws an unused voucher (issued in error, to the wrong person, or
    replaced), with the reason its holder reads. A voucher used for a seat is not
    cancelled here: the seat gives it back first (withdrawal or a cancelled batch)."""
    reason = reason.strip()
    if not reason:
        raise DomainError(N_("Give the reason; the holder reads it."))
    used = N_("This voucher is used for an enrolment and cannot be cancelled; it is given "
              "back when the trainee withdraws or the course is cancelled.")
    if voucher.status in (VoucherStatus.REDEEMED, VoucherStatus.SETTLED):
        raise Conflict(used)
    moved = _move(voucher, [Voucher.status.in_([s.value for s in CANCELLABLE])],
                  status=VoucherStatus.CANCELLED.value, cancelled_at=utcnow(),
                  cancelled_by_id=by.id, cancel_reason=reason[:500])
    if not moved:  # cancelled, or used for a seat, by another request first
        if voucher.status == VoucherStatus.CANCELLED:
            raise Conflict(N_("This voucher has already been cancelled."))
        raise Conflict(used)
    _audit("subsidy_voucher.cancel", voucher, by=by.id, reason=reason[:500])
    signals.voucher_cancelled.send(voucher)


# --- redeem ----------------------------------------------------------------------------

def mismatch(voucher: Voucher, batch: Batch, on: date) -> DomainError | None:
    """Why this voucher cannot pay for a seat in `batch` on `on`; None when it can."""
    if on < voucher.valid_from:
        return DomainError(N_("This voucher is valid from %(date)s."),
                           date=voucher.valid_from)
    if on > voucher.valid_until:
        return DomainError(N_("This voucher expired on %(date)s; an expired voucher cannot be "
                              "used."), date=voucher.valid_until)
    if voucher.categories and batch.category not in voucher.categories:
        return DomainError(N_("This voucher is not valid for courses of this category."))
    if voucher.institution_ids and batch.institution_id not in voucher.institution_ids:
        return DomainError(N_("This voucher is not valid at this training institution."))
    return None


def _free_for(*person_ids: int) -> Select[Voucher]:
    """Vouchers the people may still use: claimed ones, and those redeemed for a seat the
    trainee gave up (a withdrawn enrolment), which are theirs to use again."""
    withdrawn = select(Enrolment.id).where(Enrolment.status == EnrolmentStatus.WITHDRAWN.value)
    return (select(Voucher).where(
        Voucher.person_id.in_(person_ids),
        (Voucher.status == VoucherStatus.CLAIMED.value)
        | ((Voucher.status == VoucherStatus.REDEEMED.value)
           & Voucher.enrolment_id.in_(withdrawn)))
        .order_by(Voucher.valid_until, Voucher.id))


def _take(voucher: Voucher, enrolment_id: int) -> bool:
    """Redeem for this enrolment, unless another request used the voucher first."""
    previous = voucher.enrolment_id
    held = Voucher.enrolment_id.is_(None) if previous is None \
        else Voucher.enrolment_id == previous
    return _move(voucher, [Voucher.status == voucher.status, held],
                 status=VoucherStatus.REDEEMED.value, enrolment_id=enrolment_id,
                 redeemed_at=utcnow())


def _has_voucher(enrolment: Enrolment) -> bool:
    return db.session.scalar(select(Voucher.id).where(
        Voucher.enrolment_id == enrolment.id)) is not None


def redeem_at_seat(enrolment: Enrolment) -> Voucher | None:
    """When the trainee gets a seat: the first usable voucher (soonest to expire) that
    matches the batch on the enrolment date is redeemed for it. Sent inside the admission's
    transaction; never refuses the admission."""
    if _has_voucher(enrolment):  # a re-admission keeps the voucher it had
        return None
    on = to_local(enrolment.decided_at or utcnow()).date()
    for voucher in db.session.scalars(_free_for(enrolment.person_id)).all():
        if mismatch(voucher, enrolment.batch, on) is None and _take(voucher, enrolment.id):
            _audit("subsidy_voucher.redeem", voucher, enrolment=enrolment.id, automatic=True)
            return voucher
    return None


def redeem_at_seats(batch: Batch, seats: Mapping[int, int], taken_at: datetime) -> int:
    """redeem_at_seat for many seats of one batch taken at once (an import; `seats`:
    enrolment id → person id): the free vouchers of all their holders read in a few
    queries, each redeemed as redeem_at_seat would. Returns how many were redeemed."""
    kept: set[int] = set()
    for chunk in chunks(seats):
        kept.update(db.session.scalars(select(Voucher.enrolment_id)
                                       .where(Voucher.enrolment_id.in_(chunk))))
    waiting = {person: seat for seat, person in seats.items() if seat not in kept}
    free: list[Voucher] = []
    for chunk in chunks(waiting):
        free.extend(db.session.scalars(_free_for(*chunk)))
    on, redeemed = to_local(taken_at).date(), 0
    for voucher in sorted(free, key=lambda v: (v.valid_until, v.id)):
        seat = waiting.get(voucher.person_id)
        if seat is not None and mismatch(voucher, batch, on) is None and _take(voucher, seat):
            _audit("subsidy_voucher.redeem", voucher, enrolment=seat, automatic=True)
            del waiting[voucher.person_id]
            redeemed += 1
    return redeemed


def use(voucher: Voucher, enrolment: Enrolment, today: date) -> None:
    """By hand: the trainee uses a voucher for a seat they already hold (one claimed after
    the admission). Valid on the day it is used; refused, with the reason, when used
    already, expired or not matching."""
    if voucher.person_id != enrolment.person_id:
        raise DomainError(N_("A voucher is used only for its holder's own enrolment."))
    if enrolment.status != EnrolmentStatus.ADMITTED or enrolment.batch.status not in USABLE_BATCH:
        raise DomainError(N_("A voucher is used for a seat in a course that has not ended."))
    if voucher.status == VoucherStatus.CANCELLED:
        raise Conflict(N_("This voucher was cancelled: %(reason)s"),
                       reason=voucher.cancel_reason or "")
    if voucher.status == VoucherStatus.ISSUED:
        raise DomainError(N_("Claim the voucher before using it."))
    free = db.session.scalar(_free_for(voucher.person_id).where(Voucher.id == voucher.id))
    if free is None:
        raise Conflict(N_("This voucher has already been used; a voucher is used once."))
    if _has_voucher(enrolment):
        raise Conflict(N_("A voucher is already used for this enrolment."))
    refused = mismatch(voucher, enrolment.batch, today)
    if refused is not None:
        raise refused
    if not _take(voucher, enrolment.id):  # another request was first
        if _has_voucher(enrolment):
            raise Conflict(N_("A voucher is already used for this enrolment."))
        raise Conflict(N_("This voucher has already been used; a voucher is used once."))
    _audit("subsidy_voucher.redeem", voucher, enrolment=enrolment.id, automatic=False)


def on_seat_taken(enrolment: Enrolment, **_: object) -> None:
    """Receiver of training.signals.seat_taken (connected by the domain's setup)."""
    redeem_at_seat(enrolment)


def on_seats_taken_together(batch: Batch, seats: Mapping[int, int], taken_at: datetime,
                            **_: object) -> None:
    """Receiver of training.signals.seats_taken_together."""
    redeem_at_seats(batch, seats, taken_at)


def _give_back_redeemed(enrolments: Any) -> None:
    """Give back every voucher redeemed (not yet settled) for one of `enrolments` (an
    enrolment id or a select of ids)."""
    for voucher in db.session.scalars(select(Voucher).where(
            Voucher.enrolment_id.in_(enrolments),
            Voucher.status == VoucherStatus.REDEEMED.value)).all():
        _give_back(voucher)
    db.session.flush()


def on_seat_released(enrolment: Enrolment, **_: object) -> None:
    """Receiver of training.signals.seat_released: the voucher redeemed for the seat is the
    trainee's again, to use for another course."""
    _give_back_redeemed([enrolment.id])


def on_batch_cancelled(batch: Batch, **_: object) -> None:
    """Receiver of training.signals.batch_cancelled: the batch will not be completed, so no
    voucher redeemed for one of its seats will be settled; each is given back."""
    _give_back_redeemed(select(Enrolment.id).where(Enrolment.batch_id == batch.id))


# --- settle ----------------------------------------------------------------------------

def settle(decisions: Sequence[Decision]) -> None:
    """After the fee decisions of a batch are (re)computed: each voucher redeemed for one of
    their enrolments is settled at min(face value, fee subsidy), linked to the decision. A
    recomputed open decision updates it; a voucher of a withdrawn trainee is given back."""
    fees = {d.enrolment_id: d for d in decisions if d.kind == engine.SubsidyKind.FEE}
    if not fees:
        return
    rows = db.session.scalars(
        select(Voucher).where(Voucher.enrolment_id.in_(fees),
                              Voucher.status.in_([VoucherStatus.REDEEMED.value,
                                                  VoucherStatus.SETTLED.value]))
        .options(selectinload(Voucher.enrolment)).order_by(Voucher.id))
    for voucher in rows:
        assert voucher.enrolment is not None
        if voucher.enrolment.status == EnrolmentStatus.WITHDRAWN:
            _give_back(voucher)
            continue
        decision = fees[voucher.enrolment.id]
        amount = min(voucher.face_value_fen, decision.amount_fen)
        if (voucher.status, voucher.settled_fen, voucher.decision_id) == (
                VoucherStatus.SETTLED, amount, decision.id):
            continue
        voucher.status, voucher.settled_fen = VoucherStatus.SETTLED.value, amount
        voucher.decision_id, voucher.settled_at = decision.id, utcnow()
        _audit("subsidy_voucher.settle", voucher, decision=decision.id, settled_fen=amount)
    db.session.flush()


def _give_back(voucher: Voucher) -> None:
    enrolment_id = voucher.enrolment_id
    voucher.status, voucher.enrolment_id = VoucherStatus.CLAIMED.value, None
    voucher.redeemed_at = voucher.decision_id = voucher.settled_fen = voucher.settled_at = None
    _audit("subsidy_voucher.release", voucher, enrolment=enrolment_id)


# --- lists -----------------------------------------------------------------------------

def _with_context(stmt: Select[Voucher]) -> Select[Voucher]:
    return stmt.options(selectinload(Voucher.person),
                        selectinload(Voucher.enrolment).selectinload(Enrolment.batch))


def in_region(region_code: str) -> Select[Voucher]:
    """An officer's list: vouchers of people of the region, newest first."""
    return _with_context(select(Voucher).where(Voucher.region_code.startswith(region_code))
                         .order_by(Voucher.issued_at.desc(), Voucher.id.desc()))


def with_status(stmt: Select[Voucher], status: str | None, today: date) -> Select[Voucher]:
    """Narrowed to a status as shown: "expired" is computed from the last valid day, never
    stored, so an issued or claimed voucher past it counts as expired only."""
    unused = Voucher.status.in_([VoucherStatus.ISSUED.value, VoucherStatus.CLAIMED.value])
    if status == EXPIRED:
        return stmt.where(unused, Voucher.valid_until < today)
    if status in (VoucherStatus.ISSUED, VoucherStatus.CLAIMED):
        return stmt.where(Voucher.status == status, Voucher.valid_until >= today)
    if status:
        return stmt.where(Voucher.status == status)
    return stmt


def of_person(person_id: int | None) -> list[Voucher]:
    return list(db.session.scalars(_with_context(
        select(Voucher).where(Voucher.person_id == person_id)
        .order_by(Voucher.issued_at.desc(), Voucher.id.desc()))))


def institution_names(vouchers: Iterable[Voucher]) -> dict[int, str]:
    """The institutions the vouchers name, in one query."""
    ids = {i for v in vouchers for i in v.institution_ids}
    if not ids:
        return {}
    return dict(db.session.execute(select(Institution.id, Institution.name)
                                   .where(Institution.id.in_(ids))).tuples())


def seats_without_voucher(person_id: int | None) -> list[Enrolment]:
    """The person's seats in courses not yet ended that no voucher pays for (what a voucher
    claimed after the admission may still be used for)."""
    paid = select(Voucher.id).where(Voucher.enrolment_id == Enrolment.id).exists()
    return list(db.session.scalars(
        select(Enrolment).join(Batch, Batch.id == Enrolment.batch_id)
        .where(Enrolment.person_id == person_id,
               Enrolment.status == EnrolmentStatus.ADMITTED.value,
               Batch.status.in_([s.value for s in USABLE_BATCH]), ~paid)
        .options(selectinload(Enrolment.batch)).order_by(Batch.start_date, Enrolment.id)))
