"""Retention (issue 15 item 5): people whose data was last used longer ago than
privacy.retention_years are anonymised by one set-based run that keeps the statistics;
the run is audited with its count, and the records that point to them still load."""

from __future__ import annotations

from datetime import date, timedelta

from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import sign_in
from tests.training import builders
from tests.training.conftest import make_world
from trainhub.core.accounts.models import User
from trainhub.core.audit.models import AuditEntry
from trainhub.core.parameters import service as parameters
from trainhub.core.people.models import Person
from trainhub.core.privacy import anonymise
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db
from trainhub.training import enrolment
from trainhub.training.models import Enrolment

LATER = timedelta(days=365 * 5 + 30)  # past the default 5 years


def _enrolled(world, start: date) -> Person:
    person = builders.person(needs=frozenset({"needs_braille"}))
    batch = builders.batch(world.base, world.staff, start - timedelta(days=10), start=start,
                           status="enrolling", approver=world.county)
    enrolment.apply(batch, person, world.staff, source="staff")
    return person


def test_an_expired_person_is_blanked_and_keeps_the_statistics(ctx):
    world = make_world()
    person = _enrolled(world, date.today() + timedelta(days=20))
    born, region, sex = person.birth_date, person.household_region_code, person.sex
    user = builders.user("trainee", person_id=person.id)
    db.session.commit()
    run = anonymise.run(now=utcnow() + LATER)
    db.session.commit()
    assert run.count == 1 and not run.dry_run
    db.session.expire_all()
    found = db.session.get(Person, person.id)
    assert (found.name, found.id_number, found.cert_number, found.phone) == (
        anonymise.ANONYMISED_NAME, "", None, None)
    assert found.id_number_index == f"anonymised-{person.id}"
    assert found.cert_number_index is None and found.disability_grade is None
    assert found.birth_date == date(born.year, 1, 1)
    assert (found.household_region_code, found.sex, found.disability_category) == (
        region, sex, 1)
    assert found.accessibility_needs() == [] and found.anonymised_at is not None
    account = db.session.get(User, user.id)
    assert not account.is_active_account and account.display_name == anonymise.ANONYMISED_NAME
    assert db.session.scalar(select(Enrolment.person_id)) == person.id  # still linked
    audit = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "privacy.anonymise")).one()
    assert audit.details["count"] == 1 and audit.details["dry_run"] is False
    assert anonymise.run(now=utcnow() + LATER).count == 0  # once only


def test_recent_use_keeps_a_person_and_a_dry_run_changes_nothing(ctx):
    world = make_world()
    old = _enrolled(world, date.today() + timedelta(days=20))
    recent = _enrolled(world, date.today() + timedelta(days=60))
    db.session.commit()
    # 5 years and 30 days on, the cutoff is 30 days from today: a batch ending later stays.
    dry = anonymise.run(now=utcnow() + LATER, dry_run=True)
    assert dry.count == 1
    assert db.session.get(Person, old.id).anonymised_at is None
    done = anonymise.run(now=utcnow() + LATER)
    db.session.commit()
    db.session.expire_all()
    assert done.count == 1
    assert db.session.get(Person, old.id).anonymised_at is not None
    assert db.session.get(Person, recent.id).anonymised_at is None
    assert [e.details["dry_run"] for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "privacy.anonymise").order_by(AuditEntry.id))] == [True, False]


def test_the_retention_parameter_and_a_city_value_decide(ctx):
    world = make_world()
    person = _enrolled(world, date.today() + timedelta(days=20))
    db.session.commit()
    # 南昌市 keeps 10 years: its person stays where the province would anonymise.
    parameters.add_value(anonymise.KEY, "10", date(2022, 1, 1), "3601", None, world.county)
    db.session.flush()
    run = anonymise.run(now=utcnow() + LATER, dry_run=True)
    assert run.count == 0 and set(run.cutoffs) == {"36", "3601"}
    assert person.household_region_code.startswith("3601")


def test_the_command_runs_and_reports_the_count(app):
    with app.app_context():
        runner = app.test_cli_runner()
        result = runner.invoke(args=["privacy", "anonymise", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "0 people would be anonymised" in result.output
    assert isinstance(runner, CliRunner)


def test_pages_of_an_anonymised_person_still_load(app, client, make):
    site = builders.certified_site(app, make, officer=True)
    batch_id = builders.site_batch(app, site, status="enrolling")
    with app.app_context():
        from trainhub.training.models import Batch

        staff = db.session.query(User).filter_by(username=site["staff"]).one()
        person = builders.person()
        enrolment.apply(db.session.get(Batch, batch_id), person, staff, source="staff")
        person_id = person.id
        db.session.commit()
        anonymise.run(now=utcnow() + LATER)
        db.session.commit()
    sign_in(client, site["staff"])
    roster = client.get(f"/training/batches/{batch_id}/roster")
    assert roster.status_code == 200
    assert anonymise.ANONYMISED_NAME in roster.get_data(as_text=True)
    assert client.get(f"/training/batches/{batch_id}/roster.xlsx").status_code == 200
    sign_in(client, site["officer"])
    shown = client.get(f"/people/{person_id}")
    assert shown.status_code == 200 and anonymise.ANONYMISED_NAME in shown.get_data(
        as_text=True)


def test_what_else_names_or_dates_the_person_is_cleared_too(ctx):
    from trainhub.bases.models import ResidentEnterprise
    from trainhub.core.privacy.models import Consent
    from trainhub.subsidies.models import ClaimInputs
    from trainhub.training.models import Completion

    world = make_world()
    person = _enrolled(world, date.today() + timedelta(days=20))
    other = _enrolled(world, date.today() + timedelta(days=20))
    born = person.birth_date
    seats = {e.person_id: e.id for e in db.session.scalars(select(Enrolment))}
    for who in (person, other):
        snapshot = {"person": {"key": str(who.id), "sex": "female",
                               "birth_date": who.birth_date.isoformat()}, "claim_date": "x"}
        db.session.add(ClaimInputs(enrolment_id=seats[who.id], inputs=snapshot))
        db.session.add(Completion(enrolment_id=seats[who.id], passed=True,
                                  certificate_number=f"CERT-{who.id}",
                                  assessed_on=date.today(), recorded_by_id=world.staff.id))
        # The other's consent is given after the cutoff: their data is still in use.
        given = utcnow() + (timedelta(days=60) if who is other else timedelta())
        db.session.add(Consent(person_id=who.id, purpose="sensitive_training",
                               notice_version="2026-1", method="paper", given_at=given,
                               guardian_name="王芳", guardian_relation="parent"))
        db.session.add(ResidentEnterprise(base_id=world.base.id, name=f"企业{who.id}",
                                          founder_name="张三", founder_person_id=who.id,
                                          entry_date=date.today()))
    db.session.commit()
    anonymise.run(now=utcnow() + LATER)
    db.session.commit()
    db.session.expire_all()

    def state(who):
        seat = seats[who.id]
        return (db.session.scalars(select(ClaimInputs.inputs).where(
                    ClaimInputs.enrolment_id == seat)).one()["person"]["birth_date"],
                db.session.scalars(select(Completion.certificate_number).where(
                    Completion.enrolment_id == seat)).one(),
                db.session.scalars(select(Consent.guardian_name).where(
                    Consent.person_id == who.id)).one(),
                db.session.scalars(select(Consent.guardian_relation).where(
                    Consent.person_id == who.id)).one(),
                db.session.scalars(select(ResidentEnterprise.founder_name).where(
                    ResidentEnterprise.founder_person_id == who.id)).one())

    assert state(person) == (f"{born.year}-01-01", None, None, "parent",
                             anonymise.ANONYMISED_NAME)
    assert state(other) == (other.birth_date.isoformat(), f"CERT-{other.id}", "王芳", "parent",
                            "张三")


def test_a_computed_subsidys_trace_and_inputs_keep_only_the_birth_year(app, make):
    import json

    from tests.subsidies.builders import decided
    from trainhub.subsidies.models import ClaimInputs, Decision

    # Born on a day other than 1 January, so that the exact date and the year differ.
    ids = decided(app, make, "computed", person_id=make.person(born=date(1988, 7, 2)))
    with app.app_context():
        decision = db.session.get(Decision, ids["decision"])
        born = db.session.get(Person, decision.person_id).birth_date
        exact, year = f'"{born.isoformat()}"', f'"{born.year}-01-01"'
        assert exact != year
        assert exact in json.dumps(decision.steps)  # the working-age step's argument
        # as a decision computed before explanations were rendered when shown kept it
        decision.stored_explanation = f"出生日期 {born.isoformat()}"
        db.session.commit()
        anonymise.run(now=utcnow() + LATER)
        db.session.commit()
        db.session.expire_all()
        decisions = db.session.scalars(select(Decision)).all()
        assert all(d.stored_explanation is None for d in decisions)
        assert all(born.isoformat() not in d.explanation for d in decisions)
        traces = [json.dumps(d.steps) for d in decisions]
        inputs = [json.dumps(i.inputs) for i in db.session.scalars(select(ClaimInputs))]
    assert traces and all(exact not in t and year in t for t in traces)
    assert inputs and all(exact not in i and year in i for i in inputs)
