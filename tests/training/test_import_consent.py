"""PIPL consent on the Excel enrolment import (issue 15): the uploader confirms the signed
paper consents of everyone in the file once, and the import records one consent per person
with the notice version, set-based."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import event, func, select

from tests.conftest import csrf_token, sign_in
from tests.training import builders
from tests.training.conftest import TODAY
from tests.training.excel_files import excel_site, trainee_rows, workbook
from trainhub.core.audit.models import AuditEntry
from trainhub.core.people.models import Person
from trainhub.core.people.services import id_index
from trainhub.core.privacy import consent
from trainhub.core.privacy.models import Consent, Method
from trainhub.core.privacy.notice import CURRENT
from trainhub.extensions import db
from trainhub.training import import_jobs
from trainhub.training.models import ImportJob


def _person_id(id_number: str) -> int | None:
    return db.session.scalar(select(Person.id).where(Person.id_number_index == id_index(id_number)))


def test_without_the_confirmation_no_job_is_queued(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    with pytest.raises(consent.ConsentMissing) as refused:
        import_jobs.start_import(
            batch, io.BytesIO(workbook(trainee_rows(1))), "a.xlsx", world.staff
        )
    assert refused.value.field == "consent"
    assert db.session.scalar(select(func.count()).select_from(ImportJob)) == 0


def test_every_person_of_the_file_gets_a_paper_consent_with_the_version(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    rows = trainee_rows(3, start=40)
    job = import_jobs.start_import(
        batch, io.BytesIO(workbook(rows)), "a.xlsx", world.staff, consented=True
    )
    assert job.consent_notice_version == CURRENT.version
    db.session.commit()
    import_jobs.run_import(job.id)
    db.session.refresh(job)
    assert job.status == "done"
    ids = [_person_id(row[1]) for row in rows]
    found = db.session.execute(
        select(
            Consent.person_id, Consent.method, Consent.notice_version, Consent.recorded_by_id
        ).order_by(Consent.person_id)
    ).all()
    assert [tuple(r) for r in found] == [
        (i, Method.PAPER.value, CURRENT.version, world.staff.id) for i in sorted(ids)
    ]
    audited = db.session.scalars(
        select(AuditEntry.object_id).where(AuditEntry.action == "privacy.consent_give")
    ).all()
    assert sorted(audited) == sorted(str(i) for i in ids)


def test_a_consent_in_force_is_kept_and_the_writes_do_not_grow_with_the_rows(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    rows = trainee_rows(30, start=80)
    job = import_jobs.start_import(
        batch, io.BytesIO(workbook(rows)), "a.xlsx", world.staff, consented=True
    )
    db.session.commit()
    import_jobs.run_import(job.id)
    people = [_person_id(row[1]) for row in rows]
    assert None not in people
    db.session.execute(Consent.__table__.delete().where(Consent.person_id.in_(people[1:])))
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        made = consent.give_many(
            [p for p in people if p is not None], world.staff, Method.PAPER, CURRENT.version
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert made == 29  # the first person's consent to this version stands
    writes = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO PRIVACY")]
    assert len(writes) == 1 and len(statements) <= 6, statements


def test_the_roster_upload_without_the_tick_is_refused_on_the_field(app, client, make):
    site = excel_site(app, make)
    sign_in(client, site["staff"])
    roster = f"/training/batches/{site['batch']}/roster"
    page = client.get(roster).get_data(as_text=True)
    assert 'name="consent"' in page and CURRENT.title in page
    response = client.post(
        f"/training/batches/{site['batch']}/imports",
        data={
            "csrf_token": csrf_token(client, roster),
            "file": (io.BytesIO(workbook(trainee_rows(1, start=5))), "a.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert 'id="consent-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ImportJob)) == 0


def test_a_person_under_18_in_the_file_is_refused_for_the_guardians_consent(world):
    from datetime import date

    from tests.training.excel_files import make_resident_id

    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    minor = make_resident_id("360102", date(TODAY.year - 17, 1, 1), 77)
    rows = [*trainee_rows(1, start=300), ["小明", minor, f"{minor}12", "", "东湖区", "在校学生"]]
    job = import_jobs.start_import(
        batch, io.BytesIO(workbook(rows)), "a.xlsx", world.staff, consented=True
    )
    db.session.commit()
    import_jobs.run_import(job.id)
    db.session.refresh(job)
    assert job.status == "failed"
    assert [(e["row"], e["message"]) for e in job.errors] == [(3, import_jobs.MINOR_IN_FILE)]
    assert db.session.scalar(select(func.count()).select_from(Consent)) == 0
