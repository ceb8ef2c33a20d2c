"""`demo province` at a tiny scale, generated once for the module (one transaction, rolled
back at the end): the rows agree with each other and with the workflow's rules, the numbers
are what the app would have written, and the pages open for a generated officer."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from tests.conftest import rolled_back, sign_in
from trainhub.bases.coverage import coverage
from trainhub.bases.models import Base, BaseKind
from trainhub.cli.province.generate import generate
from trainhub.cli.province.world import World
from trainhub.competitions.models import Entry, Event, Mark, Result
from trainhub.core import idnumbers
from trainhub.core.accounts.models import User
from trainhub.core.documents.models import Verification
from trainhub.core.people.models import Person
from trainhub.core.people.services import find_by_id_number, find_person_by_number
from trainhub.core.regions import Region
from trainhub.extensions import db
from trainhub.subsidies import claims, decisions, engine
from trainhub.subsidies.models import Budget, Decision, Payment
from trainhub.training.completion import completion_facts
from trainhub.training.models import Attendance, Batch, Completion, Enrolment, Session

SCALE, SEED, TODAY = 0.002, 11, date(2025, 11, 20)
pytestmark = [pytest.mark.shared_transaction, pytest.mark.xdist_group("province")]


@dataclass
class Province:
    app: Flask
    world: World
    lines: list[str]


@pytest.fixture(scope="module")
def province(app: Flask) -> Iterator[Province]:
    lines: list[str] = []
    with rolled_back(app):
        with app.app_context():
            world = generate(SCALE, SEED, TODAY, lines.append)
            db.session.commit()  # releases a savepoint of the module's transaction
        yield Province(app, world, lines)


@pytest.fixture
def ctx(province: Province) -> Iterator[None]:
    with province.app.app_context():
        yield


def count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_counts_follow_the_scale_and_each_table_reports_its_time(province, ctx):
    plan = province.world.plan
    assert count(Person) == plan.count("people")
    assert count(Batch) == plan.count("batches")
    assert count(Base) == plan.count("bases")
    assert 0.6 * plan.count("enrolments") <= count(Enrolment) <= 1.2 * plan.count("enrolments")
    # about 30 marks per enrolment, as 3,000,000 for 100,000 at scale 1
    assert 10 * count(Enrolment) <= count(Attendance) <= 45 * count(Enrolment)
    assert count(Entry) == plan.count("entries")
    tables = {line.split()[0] for line in province.lines}
    assert {"people", "bases", "training_attendance", "subsidy_decisions",
            "competition_marks"} <= tables
    assert all(line.rstrip().endswith(" s") for line in province.lines)


def test_every_county_has_the_coverage_its_bases_give(province, ctx):
    """Covered exactly where a training base valid today stands; some counties are gaps."""
    expected = defaultdict(int)
    for base in db.session.scalars(select(Base)):
        if base.kind == BaseKind.TRAINING and base.is_valid_on(TODAY):
            expected[base.region_code] += 1
    shown = coverage("36", TODAY)
    counties = shown.counties
    assert len(counties) == 100
    for county in counties:
        assert county.training == expected.get(county.code, 0), county.code
    assert any(c.gap_training for c in counties) and any(not c.gap_training for c in counties)
    numbers = db.session.scalars(select(Base.certificate_number)).all()
    assert all(n.startswith(("赣残培基〔", "赣残孵基〔")) for n in numbers)
    for base in db.session.scalars(select(Base)):
        verification = db.session.scalar(select(Verification).where(
            Verification.code == base.verification_code))
        assert verification is not None and verification.document_number == \
            base.certificate_number
        assert verification.valid_until == base.valid_until


def test_enrolments_point_at_people_and_batches_and_hold_seats_by_the_rules(province, ctx):
    orphans = db.session.scalar(
        select(func.count()).select_from(Enrolment)
        .outerjoin(Person, Person.id == Enrolment.person_id)
        .outerjoin(Batch, Batch.id == Enrolment.batch_id)
        .where((Person.id.is_(None)) | (Batch.id.is_(None))))
    assert orphans == 0
    statuses = Counter(db.session.scalars(select(Enrolment.status)))
    assert set(statuses) == {"applied", "waiting", "admitted", "declined", "withdrawn"}
    admitted = Counter(db.session.scalars(select(Enrolment.batch_id).where(
        Enrolment.status == "admitted")))
    for batch in db.session.scalars(select(Batch)):
        assert batch.seats_taken == admitted.get(batch.id, 0) <= batch.capacity
        if batch.status not in ("enrolling", "in_progress", "completed", "settled"):
            assert batch.id not in admitted
        if batch.status in ("in_progress", "completed", "settled"):  # nobody left pending
            assert not db.session.scalar(select(func.count()).select_from(Enrolment).where(
                Enrolment.batch_id == batch.id, Enrolment.status.in_(("applied", "waiting"))))
    assert {b.status for b in db.session.scalars(select(Batch))} >= {
        "draft", "submitted", "approved", "enrolling", "in_progress", "completed", "settled"}


def test_every_moment_comes_in_its_order_and_before_today(province, ctx):
    now = province.world.now
    for batch in db.session.scalars(select(Batch)):
        steps = [batch.created_at, batch.submitted_at, batch.approved_at]
        known = [m for m in steps if m is not None]
        assert known == sorted(known) and known[-1] < now, batch.id
        if batch.approved_at:
            assert batch.approved_at.date() <= batch.start_date
    rows = db.session.execute(
        select(Enrolment, Person.created_at, Batch.approved_at)
        .join(Person, Person.id == Enrolment.person_id)
        .join(Batch, Batch.id == Enrolment.batch_id)).all()
    for enrolment, registered, approved in rows:
        assert registered < approved < enrolment.applied_at < now
        for later in (enrolment.decided_at, enrolment.withdrawn_at):
            assert later is None or enrolment.applied_at <= later < now
    for completion in db.session.scalars(select(Completion)):
        last = max(s.ends_at for s in completion.enrolment.batch.sessions)
        assert last < completion.recorded_at < now
        if completion.certificate_date:
            assert completion.assessed_on <= completion.certificate_date < TODAY
    for decision in db.session.scalars(select(Decision)):
        assert decision.batch_end_date < decision.claim_date < TODAY
        assert decision.decided_at is None or decision.computed_at <= decision.decided_at < now
    for payment in db.session.scalars(select(Payment)):
        assert payment.decision.decided_at.date() <= payment.paid_on < TODAY


def test_attendance_only_for_admitted_trainees_and_held_sessions(province, ctx):
    rows = db.session.execute(
        select(Attendance.status, Enrolment.status, Enrolment.withdrawn_at, Session.starts_at,
               Session.batch_id, Enrolment.batch_id, Batch.status)
        .join(Enrolment, Enrolment.id == Attendance.enrolment_id)
        .join(Session, Session.id == Attendance.session_id)
        .join(Batch, Batch.id == Enrolment.batch_id)).all()
    assert rows
    now = province.world.now
    for mark, status, withdrawn_at, starts_at, session_batch, batch_id, batch_status in rows:
        assert session_batch == batch_id
        assert batch_status in ("in_progress", "completed", "settled")
        assert starts_at < now
        assert status == "admitted" or (status == "withdrawn" and starts_at < withdrawn_at)
        assert mark in ("present", "late", "excused", "absent")
    results = db.session.execute(select(Enrolment.status, Batch.status).join(
        Completion, Completion.enrolment_id == Enrolment.id).join(
        Batch, Batch.id == Enrolment.batch_id)).all()
    assert results and all(s == "admitted" and b in ("completed", "settled")
                           for s, b in results)


def test_decisions_follow_completed_enrolments_and_stay_within_budgets(province, ctx):
    statuses = Counter(db.session.scalars(select(Decision.status)))
    assert set(statuses) == {"computed", "submitted", "approved", "rejected", "paid"}
    for decision, enrolment, batch in db.session.execute(
            select(Decision, Enrolment, Batch).join(Enrolment, Enrolment.id ==
                                                    Decision.enrolment_id)
            .join(Batch, Batch.id == Enrolment.batch_id)):
        assert enrolment.status in ("admitted", "withdrawn")
        assert batch.status in ("completed", "settled")
        assert (decision.person_id, decision.batch_id, decision.institution_id,
                decision.region_code) == (enrolment.person_id, batch.id, batch.institution_id,
                                          batch.region_code)
        assert (decision.budget_year is not None) == (decision.status in ("approved", "paid"))
        assert decision.eligible or decision.status == "computed"
    payments = {p.decision_id: p for p in db.session.scalars(select(Payment))}
    paid = db.session.scalars(select(Decision).where(Decision.status == "paid")).all()
    assert {d.id for d in paid} == set(payments)
    assert all(payments[d.id].amount_fen == d.amount_fen for d in paid)
    committed: Counter[tuple[str, int, str]] = Counter()
    for region, year, kind, amount in db.session.execute(
            select(Decision.region_code, Decision.budget_year, Decision.kind,
                   Decision.amount_fen).where(Decision.status.in_(("approved", "paid")))):
        for length in (2, 4, 6):  # the county's, its city's and the province's budgets
            committed[(region[:length], year, kind)] += amount
    budgets = db.session.scalars(select(Budget)).all()
    assert {b.region_code for b in budgets} >= {"36", "3601"}
    for budget in budgets:
        used = committed[(budget.region_code, budget.year, budget.kind)]
        assert used <= budget.amount_fen, (budget.region_code, budget.year)
    for region, year, kind in committed:  # every approval had a budget above it
        assert any(b.year == year and b.kind == kind and region.startswith(b.region_code)
                   for b in budgets)


def test_a_decision_is_what_the_app_computes_from_the_stored_rows(province, ctx):
    """Recomputed through subsidies.claims from the database (the person has no other
    decision): the same inputs, trace, amount and Chinese explanation."""
    per_person = Counter(db.session.scalars(select(Decision.person_id)))
    checked = 0
    for decision in db.session.scalars(select(Decision).order_by(Decision.id)):
        if per_person[decision.person_id] != 2 or checked >= 6:
            continue
        enrolment = db.session.get(Enrolment, decision.enrolment_id)
        claim = claims.claim_of(enrolment, [], decision.claim_date)
        rules = claims.load_parameters([decision.region_code[:4]])
        result = engine.compute(claim, rules)
        outcome = result.fee if decision.kind == "fee" else result.living
        assert decisions.inputs_snapshot(claim) == decision.inputs
        assert [s.as_dict() for s in outcome.trace] == decision.trace
        assert (outcome.eligible, outcome.amount) == (decision.eligible, decision.amount_fen)
        assert decisions.chinese_explanation(outcome) == decision.explanation
        checked += 1
    assert checked == 6


def test_completion_certificates_certify_what_the_app_would(province, ctx):
    passed = db.session.scalars(select(Completion).where(Completion.passed.is_(True))
                                .order_by(Completion.id).limit(5)).all()
    assert passed
    for completion in passed:
        verification = db.session.scalar(select(Verification).where(
            Verification.code == completion.verification_code))
        assert verification.facts == completion_facts(completion.enrolment, completion)


def test_id_numbers_decrypt_to_valid_numbers_of_real_counties(province, ctx):
    counties = set(db.session.scalars(select(Region.code).where(Region.level == "county")))
    people = db.session.scalars(select(Person)).all()  # decrypted by the column type
    for person in people:
        resident = idnumbers.parse_resident_id(person.id_number, TODAY)
        assert resident.region_code in counties
        assert (resident.sex, resident.birth_date) == (person.sex, person.birth_date)
        assert 19 <= TODAY.year - person.birth_date.year <= 60
        if person.cert_number:
            certificate = idnumbers.parse_disability_certificate(
                person.cert_number, TODAY, resident_id=person.id_number)
            assert (certificate.category, certificate.grade) == (
                person.disability_category, person.disability_grade)
        assert person.household_region_code in counties
    raw = db.session.execute(text("SELECT id_number FROM people")).scalars().first()
    assert raw.startswith("k1:") and len(raw) > 40  # sealed at rest
    assert len({p.name for p in people}) > 0.8 * len(people)


def test_the_blind_index_finds_a_generated_person(province, ctx):
    person = db.session.scalars(select(Person).order_by(Person.id)).first()
    assert find_person_by_number(person.id_number).id == person.id
    assert find_person_by_number(person.cert_number).id == person.id
    province_officer = db.session.scalars(select(User).where(
        User.username == "province.officer")).one()
    assert find_by_id_number(province_officer, person.id_number.lower()).id == person.id


def test_the_competition_is_marked_and_published(province, ctx):
    event = db.session.scalars(select(Event)).one()  # one event at this scale
    assert event.status == "published"
    marks = db.session.scalar(select(func.count()).select_from(Mark))
    judges = {a.judge_id for a in event.assignments if not a.chief}
    assert len(judges) == 5 and len(event.aspects) == 10
    confirmed = [e for e in event.entries if e.status == "confirmed"]
    assert marks <= len(confirmed) * (2 + 8 * 5)
    results = db.session.scalars(select(Result).where(Result.event_id == event.id)).all()
    assert len(results) == len(confirmed) and min(r.rank for r in results) == 1
    assert all(r.verification_code for r in results if r.award)


@pytest.mark.parametrize("path", [
    "/", "/bases/", "/bases/coverage", "/training/batches", "/training/demands",
    "/training/outcomes", "/subsidies/approvals", "/subsidies/budgets", "/people/",
    "/competitions/", "/audit/"])
def test_pages_open_for_the_generated_province_officer(province, client, path):
    sign_in(client, "province.officer")
    response = client.get(path)
    assert response.status_code == 200, path


def test_a_batch_page_and_the_staff_pages_open(province, client):
    with province.app.app_context():
        batch_id = db.session.scalar(select(Batch.id).where(Batch.status == "settled")
                                     .order_by(Batch.id))
    sign_in(client, "county.officer")
    assert client.get("/training/batches").status_code == 200
    sign_in(client, "province.officer")
    assert client.get(f"/training/batches/{batch_id}").status_code == 200
    sign_in(client, "institution.staff")
    assert client.get("/training/batches").status_code == 200
    sign_in(client, "judge")
    assert client.get("/competitions/marking").status_code == 200
    sign_in(client, "trainee")
    assert client.get("/subsidies/mine").status_code == 200
