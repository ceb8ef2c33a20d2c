"""Records for the plan report, inserted directly: the report only reads tables, and each
figure's own workflow has its tests in its domain. Functions flush; callers commit when a
page must see them."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import insert, select

from tests.training import builders as tb
from trainhub.bases.models import Base
from trainhub.competitions.models import (
    Competition,
    Delegation,
    Entry,
    EntryMember,
    Event,
    Result,
    Selection,
)
from trainhub.core.accounts.models import User
from trainhub.core.people.models import Person
from trainhub.extensions import db
from trainhub.rewards.models import RewardBudget, RewardDeclaration
from trainhub.subsidies.models import Budget, ClaimInputs, Decision
from trainhub.training.models import Batch, Completion, Demand, Enrolment, FollowUp

_seq = itertools.count(1)


class Records:
    """An institution with a certified base, staff and an officer in `county`, from which
    batches, trainees, decisions, rewards and competitions are written."""

    def __init__(self, county: str = "360102") -> None:
        self.county = county
        self.institution = tb.institution(county)
        self.officer = tb.user("federation_officer", region_code=county)
        self.staff = tb.user("institution_staff", institution_id=self.institution.id)
        self.base = tb.base(self.institution, certifier=self.officer,
                            valid_from=date(2020, 1, 1), valid_until=date(2030, 12, 31))

    def people(self, count: int, *, category: int | None = 4,
               region_code: str | None = None) -> list[int]:
        rows = []
        for _ in range(count):
            n = next(_seq)
            rows.append({"name": f"学员{n}", "sex": "M", "birth_date": date(1990, 1, 1),
                         "id_number": f"R{n:017d}", "id_number_index": f"report-{n}",
                         "disability_category": category, "disability_grade": 3 if category
                         else None, "household_region_code": region_code or self.county})
        return list(db.session.execute(insert(Person).returning(Person.id), rows).scalars())

    def demand(self, commitment: int, region_code: str | None = None) -> Demand:
        ent = tb.enterprise(region_code or self.county)
        made = Demand(enterprise_id=ent.id, title="招聘", occupation="保健按摩师",
                      category="massage", head_count=max(commitment, 1),
                      region_code=region_code or self.county, monthly_wage_fen=300000,
                      hire_commitment=commitment, deadline=date(2025, 1, 1),
                      created_by_id=self.staff.id)
        db.session.add(made)
        db.session.flush()
        return made

    def batch(self, end: date, *, category: str = "massage", status: str = "completed",
              region_code: str | None = None, demand: Demand | None = None) -> Batch:
        made = Batch(title="培训班", institution_id=self.institution.id, base_id=self.base.id,
                     demand_id=demand.id if demand else None,
                     region_code=region_code or self.county, category=category,
                     occupation="保健按摩师", training_type="employment_skills",
                     certificate_type="skill_level", delivery="in_person",
                     start_date=date(end.year, 1, 1), end_date=end, capacity=500,
                     fee_fen=100000, admission="auto", status=status,
                     created_by_id=self.staff.id)
        db.session.add(made)
        db.session.flush()
        return made

    def trainees(self, batch: Batch, count: int, *, category: int | None = 4,
                 passed: int = 0, certified: int = 0, followed: int = 0, employed: int = 0,
                 hired: int = 0, status: str = "admitted") -> list[int]:
        """`count` enrolments; the first `passed` passed (the first `certified` of them with
        a certificate); the first `followed` followed up, `employed` of them employed, the
        first `hired` by the ordering enterprise."""
        people = self.people(count, category=category)
        ids = list(db.session.execute(insert(Enrolment).returning(Enrolment.id), [
            {"batch_id": batch.id, "person_id": p, "status": status} for p in people]
        ).scalars())
        if passed:
            db.session.execute(insert(Completion), [
                {"enrolment_id": e, "passed": True, "assessed_on": batch.end_date,
                 "certificate_type": "skill_level" if i < certified else None,
                 "recorded_by_id": self.staff.id} for i, e in enumerate(ids[:passed])])
        enterprise_id = batch.demand.enterprise_id if batch.demand else None
        if followed:
            db.session.execute(insert(FollowUp), [
                {"enrolment_id": e, "employed": i < employed,
                 "enterprise_id": enterprise_id if i < hired else None,
                 "checked_on": batch.end_date, "recorded_by_id": self.staff.id}
                for i, e in enumerate(ids[:followed])])
        return ids

    def decision(self, enrolment_id: int, *, kind: str = "fee", status: str = "computed",
                 amount: int = 10000, claim: date = date(2025, 6, 1),
                 budget_year: int | None = None, eligible: bool = True,
                 region_code: str | None = None) -> None:
        enrolment = db.session.get(Enrolment, enrolment_id)
        assert enrolment is not None
        inputs = ClaimInputs(enrolment_id=enrolment_id, inputs={})
        db.session.add(inputs)
        db.session.flush()
        db.session.add(Decision(
            enrolment_id=enrolment_id, person_id=enrolment.person_id,
            batch_id=enrolment.batch_id, institution_id=self.institution.id,
            region_code=region_code or self.county, kind=kind, status=status,
            eligible=eligible, amount_fen=amount, payee="institution", inputs_id=inputs.id,
            occupation="保健按摩师", batch_end_date=claim, claim_date=claim,
            budget_year=budget_year))
        db.session.flush()

    def budget(self, region_code: str, year: int, kind: str, amount: int) -> None:
        """A subsidy budget (fee, living) or, for kind "reward", a reward budget."""
        if kind == "reward":
            db.session.add(RewardBudget(region_code=region_code, year=year, amount_fen=amount,
                                        set_by_id=self.officer.id))
        else:
            db.session.add(Budget(region_code=region_code, year=year, kind=kind,
                                  amount_fen=amount, set_by_id=self.officer.id))
        db.session.flush()

    def reward(self, *, status: str, amount: int, submitted: datetime,
               budget_year: int | None = None, region_code: str | None = None) -> None:
        ent = tb.enterprise(region_code or self.county)
        db.session.add(RewardDeclaration(
            enterprise_id=ent.id, region_code=region_code or self.county,
            year=submitted.year - 1, staff_count=Decimal(100), status=status,
            amount_fen=amount, submitted_at=submitted, budget_year=budget_year,
            created_by_id=self.officer.id))
        db.session.flush()

    def competition(self, starts: date, *, events: int = 1,
                    region_code: str = "36") -> list[Event]:
        made = Competition(name="职业技能竞赛", region_code=region_code, starts_on=starts,
                           ends_on=starts, registration_opens=starts,
                           registration_closes=starts, created_by_id=self.officer.id)
        db.session.add(made)
        db.session.flush()
        made_events = [Event(competition_id=made.id, name=f"项目{n}", occupation="按摩",
                             quota=10, age_reference_date=starts) for n in range(events)]
        db.session.add_all(made_events)
        db.session.flush()
        return made_events

    def contestants(self, event: Event, count: int, *, awarded: int = 0, selected: int = 0,
                    status: str = "confirmed", region_code: str | None = None) -> None:
        region = region_code or self.county
        delegation = db.session.scalar(select(Delegation).filter_by(
            competition_id=event.competition_id, region_code=region[:4]))
        if delegation is None:
            delegation = Delegation(competition_id=event.competition_id,
                                    region_code=region[:4], name=f"代表队{next(_seq)}")
            db.session.add(delegation)
            db.session.flush()
        for n, person in enumerate(self.people(count, region_code=region)):
            entry = Entry(event_id=event.id, delegation_id=delegation.id, status=status,
                          registered_by_id=self.officer.id)
            db.session.add(entry)
            db.session.flush()
            db.session.add(EntryMember(entry_id=entry.id, person_id=person))
            if n < awarded or n < selected:
                result = Result(event_id=event.id, entry_id=entry.id, rank=n + 1,
                                total=Decimal(90), award="gold" if n < awarded else None)
                db.session.add(result)
                db.session.flush()
                if n < selected:
                    db.session.add(Selection(event_id=event.id, result_id=result.id,
                                             level="national", reason="成绩优异",
                                             selected_by_id=self.officer.id))
        db.session.flush()


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)


def officer(region_code: str) -> User:
    return tb.user("federation_officer", region_code=region_code)


def certified_base(region_code: str, kind: str = "training", level: str = "county",
                   valid_from: date = date(2020, 1, 1)) -> Base:
    made = tb.base(tb.institution(region_code), kind=kind, valid_from=valid_from,
                   valid_until=date(2030, 12, 31))
    made.level = level
    db.session.flush()
    return made


__all__ = ["Records", "at", "certified_base", "officer"]
