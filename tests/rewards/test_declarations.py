"""The declaration workflow: a draft, its employees and evidence, submission through the
engine, county then city review with returns; every bad input of the issue refused with a
clear message, changing nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from tests.rewards.conftest import (
    TODAY,
    YEAR,
    declaration,
    employee,
    id_number,
    pass_on,
)
from trainhub.core.audit.models import AuditEntry
from trainhub.core.errors import Conflict, DomainError
from trainhub.extensions import db
from trainhub.rewards import declarations
from trainhub.rewards.models import (
    DeclarationStatus,
    DeclaredEmployee,
    PersonClaim,
    ReviewDecision,
    ReviewLevel,
    RewardDeclaration,
)


def _audited(found: RewardDeclaration) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "reward_declaration",
        AuditEntry.object_id == str(found.id)).order_by(AuditEntry.id)))


def test_design_example_submitted_and_passed_by_county_and_city(world):
    found = declaration(world, staff="120", persons=4)
    declarations.submit(found, TODAY)
    assert found.status == DeclarationStatus.SUBMITTED
    # DESIGN §8: 120 staff, 4 counted: quota 1.8, excess 2.2, 2 persons × 3 × the minimum wage
    assert found.result is not None
    assert (Decimal(found.result["quota"]), Decimal(found.result["excess"]),
            found.rewarded_persons) == (Decimal("1.8"), Decimal("2.2"), 2)
    wage = found.result["parameters"]
    assert found.amount_fen == 2 * 3 * next(
        int(p["value"]) for p in wage if p["key"].startswith("core.min_wage_tier") and
        p["key"] != "core.min_wage_tiers")
    assert found.inputs is not None and len(found.inputs["persons"]) == 4
    assert "id_number" not in str(found.inputs) and found.employees[0].id_number_index not in str(
        found.inputs) + str(found.result)
    assert db.session.scalar(select(func.count()).select_from(PersonClaim).where(
        PersonClaim.declaration_id == found.id)) == 4
    pass_on(world.county, found, ReviewLevel.COUNTY)
    assert found.status == DeclarationStatus.COUNTY_REVIEWED
    pass_on(world.city, found, ReviewLevel.CITY)
    assert found.status == DeclarationStatus.CITY_REVIEWED
    assert [r.level for r in found.reviews] == ["county", "city"]
    assert _audited(found) == (["reward_declaration.create"]
                               + ["reward_declaration.employee_add"] * 4
                               + ["reward_declaration.evidence_add", "reward_declaration.submit",
                                  "reward_declaration.review", "reward_declaration.review"])


def test_id_and_certificate_numbers_are_encrypted_at_rest(world):
    found = declaration(world, persons=1)
    row = db.session.execute(text("SELECT id_number, cert_number FROM reward_employees")).one()
    plain = found.employees[0]
    assert plain.id_number not in row.id_number and plain.cert_number not in row.cert_number
    assert plain.grade == 3 and plain.sex == "M" and plain.birth_date == date(1985, 6, 1)


def test_a_return_gives_the_reason_frees_the_persons_and_can_be_resubmitted(world):
    found = declaration(world, persons=2)
    declarations.submit(found, TODAY)
    with pytest.raises(DomainError, match="reason"):
        declarations.review(found, ReviewLevel.COUNTY, ReviewDecision.RETURN, "  ", world.county)
    assert found.status == DeclarationStatus.SUBMITTED
    declarations.review(found, ReviewLevel.COUNTY, ReviewDecision.RETURN,
                        "缺少劳动合同复印件", world.county)
    assert (found.status, found.return_reason) == (DeclarationStatus.RETURNED, "缺少劳动合同复印件")
    assert db.session.scalar(select(func.count()).select_from(PersonClaim)) == 0
    declarations.update_declaration(found, Decimal("100"))
    declarations.submit(found, TODAY)
    assert found.status == DeclarationStatus.SUBMITTED and found.return_reason == ""
    pass_on(world.county, found, ReviewLevel.COUNTY)
    declarations.review(found, ReviewLevel.CITY, ReviewDecision.RETURN, "工资证明不清", world.city)
    assert found.status == DeclarationStatus.RETURNED


def test_a_step_acted_on_twice_is_refused(world):
    found = declaration(world, persons=1)
    declarations.submit(found, TODAY)
    with pytest.raises(Conflict):
        declarations.submit(found, TODAY)
    pass_on(world.county, found, ReviewLevel.COUNTY)
    with pytest.raises(Conflict):
        pass_on(world.county, found, ReviewLevel.COUNTY)
    with pytest.raises(Conflict):
        declarations.add_employee(found, employee(), TODAY)


def test_a_submitted_declaration_below_the_quota_is_decided_as_no_reward(world):
    found = declaration(world, staff="200", persons=3)  # quota 3, excess 0
    declarations.submit(found, TODAY)
    assert (found.amount_fen, found.rewarded_persons) == (0, 0)


# --- refusals: a clear message, nothing changed -----------------------------------------

def _unchanged(found: RewardDeclaration, action) -> DomainError:
    before = (found.status, len(found.employees), _audited(found))
    claims = db.session.scalar(select(func.count()).select_from(PersonClaim))
    with pytest.raises(DomainError) as caught:
        action()
    db.session.expire_all()
    assert (found.status, len(found.employees), _audited(found)) == before
    assert db.session.scalar(select(func.count()).select_from(PersonClaim)) == claims
    assert found.inputs is None or found.status != DeclarationStatus.DRAFT
    return caught.value


@pytest.mark.parametrize("staff", ["0", "-5", None, "1.234"])
def test_a_staff_count_not_above_zero_is_refused(world, staff):
    value = Decimal(staff) if staff else None
    with pytest.raises(DomainError, match="staff count"):
        declarations.create_declaration(world.enterprise, YEAR, value, world.contact, TODAY)
    found = declaration(world, persons=1)
    _unchanged(found, lambda: declarations.update_declaration(found, value))
    assert found.staff_count == Decimal("120")


@pytest.mark.parametrize("year", [TODAY.year, TODAY.year + 1, 1999])
def test_a_year_not_ended_or_future_is_refused(world, year):
    with pytest.raises(DomainError, match="year"):
        declarations.create_declaration(world.enterprise, year, Decimal(10), world.contact,
                                        TODAY)
    assert db.session.scalar(select(func.count()).select_from(RewardDeclaration)) == 0


def test_submitting_before_the_year_has_ended_is_refused(world):
    found = declaration(world, persons=1)
    error = _unchanged(found, lambda: declarations.submit(found, date(YEAR, 12, 31)))
    assert "has not" in str(error)


def test_a_second_declaration_of_the_year_is_refused(world):
    declaration(world, persons=0)
    with pytest.raises(Conflict):
        declarations.create_declaration(world.enterprise, YEAR, Decimal(5), world.contact, TODAY)


def test_more_persons_than_staff_are_refused(world):
    found = declaration(world, staff="2", persons=3)
    error = _unchanged(found, lambda: declarations.submit(found, TODAY))
    assert "more than the average staff count of 2" in str(error)


def test_a_declaration_without_persons_or_evidence_is_refused(world):
    found = declarations.create_declaration(world.enterprise, YEAR, Decimal(50), world.contact,
                                            TODAY)
    error = _unchanged(found, lambda: declarations.submit(found, TODAY))
    assert "at least one employee" in str(error) and "evidence" in str(error)


def test_a_person_twice_in_one_declaration_is_refused(world):
    found = declaration(world, persons=1)
    again = employee(found.employees[0].id_number)
    error = _unchanged(found, lambda: declarations.add_employee(found, again, TODAY))
    assert "already in the declaration" in str(error)
    # Rows that reached the table together (an import) are refused at submission, by row.
    twin = DeclaredEmployee(**{c: getattr(found.employees[0], c) for c in (
        "name", "id_number", "id_number_index", "cert_number", "grade", "sex", "birth_date",
        "certificate_valid_from", "certificate_valid_until", "contract_start", "contract_end",
        "insurance_months", "monthly_wage_fen")})
    found.employees.append(twin)
    db.session.flush()
    error = _unchanged(found, lambda: declarations.submit(found, TODAY))
    assert "Rows 1 and 2 declare the same person" in str(error)


def test_a_person_declared_by_another_enterprise_is_refused_naming_no_one(world):
    first = declaration(world, persons=1)
    declarations.submit(first, TODAY)
    shared = first.employees[0]
    second = declaration(world, persons=1, enterprise=world.other_enterprise,
                         contact=world.other_contact)
    error = _unchanged(second, lambda: declarations.add_employee(
        second, employee(shared.id_number), TODAY))
    text = str(error)
    assert "another enterprise" in text
    for name in (shared.name, shared.id_number, world.enterprise.name, shared.id_number[-4:]):
        assert name not in text
    # Returned, the first gives the person back: the second takes them, and the first's
    # submission is then refused in turn.
    declarations.review(first, ReviewLevel.COUNTY, ReviewDecision.RETURN, "补充材料",
                        world.county)
    declarations.add_employee(second, employee(shared.id_number), TODAY)
    declarations.submit(second, TODAY)
    error = _unchanged(first, lambda: declarations.submit(first, TODAY))
    assert "another enterprise" in str(error) and world.other_enterprise.name not in str(error)


def test_the_database_keeps_a_person_at_one_enterprise_a_year(world):
    found = declaration(world, persons=1)
    declarations.submit(found, TODAY)
    other = declaration(world, persons=0, enterprise=world.other_enterprise,
                        contact=world.other_contact)
    db.session.add(PersonClaim(year=YEAR, id_number_index=found.employees[0].id_number_index,
                               declaration_id=other.id))
    from sqlalchemy.exc import IntegrityError
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.flush()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"id_number": "360102198506010010"}, "id_number", "check character"),
    ({"grade": 9}, "cert_number", "grade"),
    ({"certificate_valid_until": date(2024, 12, 31)}, "certificate_valid_until", "expired"),
    ({"certificate_valid_from": None}, "certificate_valid_from", "valid from"),
    ({"contract_end": date(2024, 6, 30), "contract_start": date(2023, 7, 1)}, "contract_end",
     "before 2025 began"),
    ({"contract_start": date(2024, 3, 1), "contract_end": date(2024, 2, 1)}, "contract_end",
     "before it starts"),
    ({"insurance_months": 13}, "insurance_months", "between 0 and 12"),
    ({"insurance_months": -1}, "insurance_months", "between 0 and 12"),
    ({"monthly_wage_fen": -1}, "monthly_wage", "negative"),
    ({"name": " "}, "name", "name"),
])
def test_a_bad_employee_row_is_refused_on_its_field(world, changes, field, message):
    found = declaration(world, persons=1)
    error = _unchanged(found, lambda: declarations.add_employee(
        found, employee(**changes), TODAY))
    assert any(e.field == field and message in str(e) for e in error.each), str(error)


def test_a_certificate_of_another_person_is_refused(world):
    found = declaration(world, persons=1)
    data = employee(cert_number=f"{id_number()}43")
    error = _unchanged(found, lambda: declarations.add_employee(found, data, TODAY))
    assert "does not match" in str(error)


def test_a_submitted_declaration_cannot_be_edited(world):
    found = declaration(world, persons=1)
    declarations.submit(found, TODAY)
    _unchanged(found, lambda: declarations.update_declaration(found, Decimal(3)))
    _unchanged(found, lambda: declarations.remove_employee(found.employees[0]))
    _unchanged(found, lambda: declarations.remove_evidence(found.evidence[0]))


def test_review_out_of_turn_is_refused(world):
    found = declaration(world, persons=1)
    declarations.submit(found, TODAY)
    _unchanged(found, lambda: pass_on(world.city, found, ReviewLevel.CITY))
    assert found.status == DeclarationStatus.SUBMITTED
