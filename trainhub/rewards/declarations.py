"""The over-quota reward declaration: an enterprise contact prepares a year's declaration
(staff count, employees with a disability, evidence) and submits it, which runs the engine;
the county, then the city federation of the enterprise's region pass it on or return it
with a reason. Services flush and audit, never commit; bad input raises DomainError and
changes nothing.

A person counts at one enterprise only in a year: submitting takes a claim on each
person's blind index for the year (`PersonClaim`, unique in the database), and a return
gives the claims back so that the enterprise, or another, may declare them again. The
message that refuses a person taken by another enterprise names neither of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from trainhub.core import idnumbers
from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, Conflict, DomainError
from trainhub.core.files import StoredUpload
from trainhub.core.organisations import Enterprise
from trainhub.core.parameters import service as parameters
from trainhub.core.people.services import id_index
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.rewards import engine, loaders, notifications
from trainhub.rewards.models import (
    DeclarationStatus,
    DeclaredEmployee,
    PersonClaim,
    ReviewDecision,
    ReviewLevel,
    RewardDeclaration,
    RewardEvidence,
    RewardReview,
)
from trainhub.rewards.values import Declaration, DeclaredPerson, Sex

EDITABLE = (DeclarationStatus.DRAFT, DeclarationStatus.RETURNED)
# The step each level acts on, and where passing it on leads.
REVIEW_STEPS = {
    ReviewLevel.COUNTY: (DeclarationStatus.SUBMITTED, DeclarationStatus.COUNTY_REVIEWED),
    ReviewLevel.CITY: (DeclarationStatus.COUNTY_REVIEWED, DeclarationStatus.CITY_REVIEWED),
}
FIRST_YEAR = 2000
MAX_STAFF = Decimal("10000000")
TAKEN = N_("One of these persons is already declared by another enterprise for %(year)s; "
           "a person counts at one enterprise only in a year.")


@dataclass(frozen=True)
class EmployeeInput:
    name: str
    id_number: str
    cert_number: str
    certificate_valid_from: date | None
    certificate_valid_until: date | None  # None: valid without a time limit (长期)
    contract_start: date | None
    contract_end: date | None  # None: a contract without a fixed term
    insurance_months: int | None
    monthly_wage_fen: int | None


def _audit(action: str, declaration: RewardDeclaration, **details: Any) -> None:
    record(action, object_type="reward_declaration", object_id=declaration.id,
           region_code=declaration.region_code, details=details)


# --- the draft ---------------------------------------------------------------------------

def _check_year(checks: Checks, year: int, today: date) -> None:
    if year < FIRST_YEAR:
        checks.add(N_("Choose a year from %(first)s on."), field="year", first=FIRST_YEAR)
    elif year >= today.year:
        # The year's average staff count and insurance months are known once it has ended.
        checks.add(N_("A year can be declared once it has ended: %(year)s has not."),
                   field="year", year=year)


def _check_staff(checks: Checks, staff: Decimal | None) -> None:
    if staff is None or not staff.is_finite() or staff <= 0:
        checks.add(N_("The average staff count must be more than 0."), field="staff_count")
    elif staff > MAX_STAFF or staff != staff.quantize(Decimal("0.01")):
        checks.add(N_("Give the average staff count with at most two decimals."),
                   field="staff_count")


def create_declaration(enterprise: Enterprise, year: int, staff_count: Decimal | None,
                       by: User, today: date) -> RewardDeclaration:
    checks = Checks()
    _check_year(checks, year, today)
    _check_staff(checks, staff_count)
    checks.done()
    assert staff_count is not None
    exists = db.session.scalar(select(RewardDeclaration.id).where(
        RewardDeclaration.enterprise_id == enterprise.id, RewardDeclaration.year == year))
    if exists is not None:
        raise Conflict(N_("Your enterprise already has a declaration for %(year)s: open it "
                          "from the list."), year=year)
    declaration = RewardDeclaration(
        enterprise_id=enterprise.id, region_code=enterprise.region_code, year=year,
        staff_count=staff_count, created_by_id=by.id,
        status=DeclarationStatus.DRAFT.value, return_reason="")
    db.session.add(declaration)
    db.session.flush()
    _audit("reward_declaration.create", declaration, year=year, staff=str(staff_count))
    return declaration


def require_editable(declaration: RewardDeclaration) -> None:
    if declaration.status not in EDITABLE:
        raise Conflict(N_("This declaration has been submitted and can no longer be "
                          "changed."))


def update_declaration(declaration: RewardDeclaration, staff_count: Decimal | None) -> None:
    require_editable(declaration)
    checks = Checks()
    _check_staff(checks, staff_count)
    checks.done()
    assert staff_count is not None
    declaration.staff_count = staff_count
    db.session.flush()
    _audit("reward_declaration.update", declaration, staff=str(staff_count))


@dataclass(frozen=True)
class Checked:
    resident: idnumbers.ResidentId
    certificate: idnumbers.DisabilityCertificate
    index: str


def check_employee(declaration: RewardDeclaration, data: EmployeeInput,
                    today: date) -> Checked:
    """Every problem of one employee's row at once, each on its field."""
    checks = Checks()
    year_start = date(declaration.year, 1, 1)
    if not data.name.strip():
        checks.add(N_("Give the employee's name."), field="name")
    elif len(data.name.strip()) > 64:
        checks.add(N_("The name is longer than %(max)s characters."), field="name", max=64)
    resident = certificate = None
    try:
        resident = idnumbers.parse_resident_id(data.id_number, today)
    except idnumbers.IdNumberError as error:
        checks.add(error.message, field="id_number")
    try:
        certificate = idnumbers.parse_disability_certificate(
            data.cert_number, today, resident.number if resident else None)
    except idnumbers.IdNumberError as error:
        checks.add(error.message, field="cert_number")
    since, until = data.certificate_valid_from, data.certificate_valid_until
    if since is None:
        checks.add(N_("Give the date the certificate is valid from."),
                   field="certificate_valid_from")
    elif since > today:
        checks.add(N_("The certificate cannot be valid from a future date."),
                   field="certificate_valid_from")
    elif until is not None and until < since:
        checks.add(N_("The certificate cannot expire before it is valid."),
                   field="certificate_valid_until")
    if until is not None and until < year_start:
        checks.add(N_("The certificate expired on %(until)s, before %(year)s began."),
                   field="certificate_valid_until", until=until, year=declaration.year)
    start, end = data.contract_start, data.contract_end
    if start is None:
        checks.add(N_("Give the date the labour contract starts."), field="contract_start")
    elif end is not None and end < start:
        checks.add(N_("The contract cannot end before it starts."), field="contract_end")
    if end is not None and end < year_start:
        checks.add(N_("The contract ended on %(end)s, before %(year)s began."),
                   field="contract_end", end=end, year=declaration.year)
    if start is not None and start > date(declaration.year, 12, 31):
        checks.add(N_("The contract starts after %(year)s."), field="contract_start",
                   year=declaration.year)
    if data.insurance_months is None or not 0 <= data.insurance_months <= 12:
        checks.add(N_("The months of social insurance must be between 0 and 12."),
                   field="insurance_months")
    if data.monthly_wage_fen is None or data.monthly_wage_fen < 0:
        checks.add(N_("The monthly wage cannot be negative."), field="monthly_wage")
    elif data.monthly_wage_fen > 100_000_000:
        checks.add(N_("The monthly wage is too large."), field="monthly_wage")
    checks.done()
    assert resident is not None and certificate is not None
    return Checked(resident, certificate, id_index(resident.number))


def taken_elsewhere(declaration: RewardDeclaration, indexes: list[str]) -> set[str]:
    """Those of these persons (blind indexes) claimed for the year by another declaration."""
    if not indexes:
        return set()
    return set(db.session.scalars(select(PersonClaim.id_number_index).where(
        PersonClaim.year == declaration.year, PersonClaim.id_number_index.in_(indexes),
        PersonClaim.declaration_id != declaration.id)))


def add_employee(declaration: RewardDeclaration, data: EmployeeInput,
                 today: date) -> DeclaredEmployee:
    require_editable(declaration)
    checked = check_employee(declaration, data, today)
    if any(e.id_number_index == checked.index for e in declaration.employees):
        raise DomainError(N_("This person is already in the declaration."), ).on("id_number")
    if taken_elsewhere(declaration, [checked.index]):
        raise DomainError(TAKEN, year=declaration.year).on("id_number")
    employee = DeclaredEmployee(
        declaration_id=declaration.id, name=data.name.strip(),
        id_number=checked.resident.number, id_number_index=checked.index,
        cert_number=checked.certificate.number, grade=checked.certificate.grade,
        sex=checked.resident.sex, birth_date=checked.resident.birth_date,
        certificate_valid_from=data.certificate_valid_from,
        certificate_valid_until=data.certificate_valid_until,
        contract_start=data.contract_start, contract_end=data.contract_end,
        insurance_months=data.insurance_months, monthly_wage_fen=data.monthly_wage_fen)
    declaration.employees.append(employee)
    db.session.flush()
    _audit("reward_declaration.employee_add", declaration, employee=employee.id)
    return employee


def remove_employee(employee: DeclaredEmployee) -> None:
    declaration = employee.declaration
    require_editable(declaration)
    _audit("reward_declaration.employee_remove", declaration, employee=employee.id)
    declaration.employees.remove(employee)
    db.session.flush()


def evidence_max_mb(declaration: RewardDeclaration, today: date) -> int:
    """The evidence size limit of base applications: the same kind of scanned proofs."""
    return parameters.int_value("bases.evidence_max_mb", today, declaration.region_code)


def add_evidence(declaration: RewardDeclaration, upload: StoredUpload,
                 by: User) -> RewardEvidence:
    require_editable(declaration)
    evidence = RewardEvidence(
        declaration_id=declaration.id, storage_key=upload.storage_key,
        original_name=upload.original_name, content_type=upload.content_type,
        size=upload.size, sha256=upload.sha256, uploaded_by_id=by.id)
    declaration.evidence.append(evidence)
    db.session.flush()
    _audit("reward_declaration.evidence_add", declaration, file=upload.original_name,
           sha256=upload.sha256, size=upload.size)
    return evidence


def remove_evidence(evidence: RewardEvidence) -> None:
    declaration = evidence.declaration
    require_editable(declaration)
    _audit("reward_declaration.evidence_remove", declaration, file=evidence.original_name)
    declaration.evidence.remove(evidence)
    db.session.flush()


# --- submission ---------------------------------------------------------------------------

def _submission_checks(declaration: RewardDeclaration, today: date) -> None:
    """What the whole declaration must be before it is decided, every problem at once."""
    checks = Checks()
    year, employees = declaration.year, declaration.employees
    _check_year(checks, year, today)
    _check_staff(checks, declaration.staff_count)
    if not employees:
        checks.add(N_("Declare at least one employee with a disability."))
    elif declaration.staff_count > 0 and len(employees) > declaration.staff_count:
        checks.add(N_("%(persons)s persons are declared, more than the average staff count "
                      "of %(staff)s."), persons=len(employees),
                   staff=declaration.staff_count.normalize())
    seen: dict[str, int] = {}
    for row, employee in enumerate(employees, start=1):
        if employee.id_number_index in seen:
            checks.add(N_("Rows %(first)s and %(row)s declare the same person."),
                       first=seen[employee.id_number_index], row=row)
        seen.setdefault(employee.id_number_index, row)
        until = employee.certificate_valid_until
        if until is not None and until < date(year, 1, 1):
            checks.add(N_("Row %(row)s: the certificate expired before %(year)s began."),
                       row=row, year=year)
        if employee.contract_end is not None and employee.contract_end < date(year, 1, 1):
            checks.add(N_("Row %(row)s: the contract ended before %(year)s began."),
                       row=row, year=year)
    if taken_elsewhere(declaration, list(seen)):
        checks.add(TAKEN, year=year)
    if not declaration.evidence:
        checks.add(N_("Attach at least one evidence file before submitting."))
    checks.done()


def engine_declaration(declaration: RewardDeclaration, today: date) -> Declaration:
    persons = tuple(
        DeclaredPerson(
            key=e.id_number_index, sex=Sex(e.sex), birth_date=e.birth_date, grade=e.grade,
            certificate_valid_from=e.certificate_valid_from,
            certificate_valid_until=e.certificate_valid_until,
            contract_start=e.contract_start, contract_end=e.contract_end,
            insurance_months=e.insurance_months, monthly_wage=e.monthly_wage_fen)
        for e in declaration.employees)
    return Declaration(year=declaration.year, staff=Decimal(declaration.staff_count),
                       persons=persons, declared_on=today)


def inputs_snapshot(value: Declaration, employees: list[DeclaredEmployee]) -> dict[str, Any]:
    """What the engine was given, as plain JSON: each person by row and employee id, never
    by ID number or its index."""
    return {
        "year": value.year,
        "staff": str(value.staff),
        "declared_on": value.declared_on.isoformat(),
        "persons": [
            {"row": row, "employee_id": employee.id, "sex": person.sex.value,
             "birth_date": person.birth_date.isoformat(), "grade": person.grade,
             "certificate_valid_from": person.certificate_valid_from.isoformat(),
             "certificate_valid_until": _iso(person.certificate_valid_until),
             "contract_start": person.contract_start.isoformat(),
             "contract_end": _iso(person.contract_end),
             "insurance_months": person.insurance_months,
             "monthly_wage": person.monthly_wage}
            for row, (person, employee) in enumerate(zip(value.persons, employees,
                                                         strict=True), start=1)],
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def submit(declaration: RewardDeclaration, today: date) -> None:
    """Decide the declaration with the engine and send it to the county federation."""
    require_editable(declaration)
    _submission_checks(declaration, today)
    value = engine_declaration(declaration, today)
    result = engine.compute(value, loaders.parameters_for(declaration.year,
                                                          declaration.region_code))
    if not result.accepted:  # the checks above refuse first; this guards the engine's own
        raise DomainError(N_("The declaration cannot be decided as it stands: %(reasons)s."),
                          reasons=", ".join(r.value for r in result.refusals))
    transition(declaration, EDITABLE, DeclarationStatus.SUBMITTED)
    try:
        with db.session.begin_nested():
            db.session.add_all(PersonClaim(year=declaration.year, id_number_index=e.id_number_index,
                                           declaration_id=declaration.id)
                               for e in declaration.employees)
    except IntegrityError:
        # Another enterprise took one of the persons between the check and now.
        raise Conflict(TAKEN, year=declaration.year) from None
    now = utcnow()
    declaration.inputs = inputs_snapshot(value, list(declaration.employees))
    declaration.amount_fen = result.amount
    declaration.rewarded_persons = result.rewarded
    declaration.result = result.as_dict()
    declaration.submitted_at = declaration.computed_at = now
    declaration.return_reason = ""
    db.session.flush()
    _audit("reward_declaration.submit", declaration, amount=result.amount,
           rewarded=result.rewarded, counted=result.counted)


def transition(declaration: RewardDeclaration, from_states: tuple[DeclarationStatus, ...],
                to: DeclarationStatus) -> None:
    """A conditional UPDATE: a double click, or two officers at once, find the row moved."""
    db.session.flush()
    moved = db.session.execute(
        update(RewardDeclaration)
        .where(RewardDeclaration.id == declaration.id,
               RewardDeclaration.status.in_([s.value for s in from_states]))
        .values(status=to.value))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(N_("This declaration has already been acted on. Reload the page."))
    db.session.refresh(declaration, ["status"])


def send_back(declaration: RewardDeclaration, from_states: tuple[DeclarationStatus, ...],
              reason: str) -> None:
    """Back to the enterprise with the reason; its persons' claims are given back, so that
    it, or another enterprise, may declare them again."""
    transition(declaration, from_states, DeclarationStatus.RETURNED)
    declaration.return_reason = reason
    db.session.execute(delete(PersonClaim).where(PersonClaim.declaration_id == declaration.id))
    notifications.tell_enterprise(declaration, "reward.returned")


# --- review -------------------------------------------------------------------------------

def review(declaration: RewardDeclaration, level: ReviewLevel, decision: ReviewDecision,
           reason: str, by: User) -> RewardReview:
    """Pass the declaration on to the next step, or return it to the enterprise with the
    reason (its persons may then be declared again)."""
    reason = reason.strip()
    if decision == ReviewDecision.RETURN and not reason:
        raise DomainError(N_("Give the reason for returning the declaration.")).on("reason")
    if len(reason) > 2000:
        raise DomainError(N_("The reason is longer than %(max)s characters."),
                          max=2000).on("reason")
    waiting, passed = REVIEW_STEPS[level]
    if decision == ReviewDecision.PASS:
        transition(declaration, (waiting,), passed)
    else:
        send_back(declaration, (waiting,), reason)
    step = RewardReview(declaration_id=declaration.id, level=level.value,
                        decision=decision.value, reason=reason, reviewer_id=by.id)
    db.session.add(step)
    db.session.flush()
    _audit("reward_declaration.review", declaration, level=level.value,
           decision=decision.value)
    return step
