"""The set-based import against the interactive path, on the same files and the same
database: each file is first enrolled one row at a time through create_person,
enrolment.apply and admit (inside a savepoint, then rolled back), then imported by the
job; the people, the seats, the vouchers and the audit rows they leave must be the same,
and so must the rows each refuses."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from tests.training import builders
from tests.training.conftest import TODAY
from tests.training.excel_files import workbook
from trainhub.cli.demo import make_resident_id
from trainhub.core.audit.models import AuditEntry
from trainhub.core.errors import DomainError
from trainhub.core.people.models import EmploymentStatus, Person
from trainhub.core.people.services import PersonInput, create_person, find_person_by_number
from trainhub.core.privacy import consent
from trainhub.core.privacy.models import Method
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import vouchers
from trainhub.subsidies.models import Voucher
from trainhub.training import enrolment, import_jobs, imports
from trainhub.training.catalog import EnrolmentStatus
from trainhub.training.models import Enrolment, ImportJob

PERSON_COLUMNS = [c.name for c in Person.__table__.columns
                  if c.name not in ("id", "created_at", "updated_at")]
SEAT_COLUMNS = ("status", "source", "decided_by_id", "withdrawn_at", "decision_note",
                "employed_at_enrolment", "family_relation", "family_cert_number")


def _row(n: int, *, cert: bool = True, employment: str = "未就业", relation: str = "",
         relative: str = "", born_year: int = 1988) -> list[Any]:
    id_number = make_resident_id("360102", TODAY.replace(year=born_year) + timedelta(days=n),
                                 2 * n + 1)
    return [f"学员{n}", id_number, f"{id_number}12" if cert else "", "", "360102",
            employment, relation, relative]


def _registered(row: list[Any], employment: EmploymentStatus = EmploymentStatus.UNEMPLOYED
                ) -> Person:
    return create_person(PersonInput(name=row[0], id_number=row[1], cert_number=row[2] or None,
                                     phone=None, household_region_code="360102",
                                     employment_status=employment), TODAY)


def _trainees(data: bytes) -> list[imports.Trainee]:
    checked = imports.check_rows(imports.read_sheet(data).rows, import_jobs.counties(),
                                 local_today())
    assert not checked.errors, checked.errors
    return checked.trainees


def _one_by_one(batch: Any, data: bytes, by: Any) -> dict[int, str]:
    """The interactive path, row after row; the message of each row it refuses."""
    refused = {}
    for trainee in _trainees(data):
        person = find_person_by_number(trainee.id_number) or create_person(PersonInput(
            name=trainee.name, id_number=trainee.id_number, cert_number=trainee.cert_number,
            phone=trainee.phone, household_region_code=trainee.county,
            employment_status=trainee.employment), local_today())
        consent.give(person, by, Method.PAPER)  # confirmed for the whole file on upload
        try:
            with db.session.begin_nested():
                made = enrolment.apply(batch, person, by, source="import", family=trainee.family)
                if made.status == EnrolmentStatus.APPLIED:
                    enrolment.admit(made, by)
        except DomainError as error:
            refused[trainee.row] = error.message
    db.session.flush()
    return refused


def _imported(batch: Any, data: bytes, by: Any) -> ImportJob:
    job = import_jobs.start_import(batch, io.BytesIO(data), "名单.xlsx", by, consented=True)
    db.session.commit()
    import_jobs.run_import(job.id)
    db.session.refresh(job)
    return job


def _snapshot(batch: Any, since: tuple[int, int]) -> dict[str, Any]:
    """What a path left, keyed by resident ID number instead of the ids it was given."""
    people_mark, audit_mark = since
    number_of = {p.id: p.id_number for p in db.session.scalars(select(Person))}
    seats = list(db.session.scalars(select(Enrolment).where(Enrolment.batch_id == batch.id)))
    key = {("person", str(i)): n for i, n in number_of.items()}
    key |= {("training_enrolment", str(e.id)): number_of[e.person_id] for e in seats}
    seat_of = {e.id: number_of[e.person_id] for e in seats}

    def details(entry: AuditEntry) -> str:
        found = dict(entry.details)
        found.pop("consent", None)  # the consent's own id, which the bulk rows leave out
        if "enrolment" in found:
            found["enrolment"] = seat_of.get(found["enrolment"], found["enrolment"])
        return json.dumps(found, sort_keys=True, ensure_ascii=False)

    audit = Counter(
        (a.action, a.object_type, key.get((a.object_type, a.object_id), a.object_id),
         a.region_code, a.actor_id, details(a))
        for a in db.session.scalars(select(AuditEntry).where(
            AuditEntry.id > audit_mark, AuditEntry.action != "training_import.run")))
    return {
        "people": {p.id_number: {c: getattr(p, c) for c in PERSON_COLUMNS}
                   for p in db.session.scalars(select(Person).where(Person.id > people_mark))},
        "seats": {number_of[e.person_id]: {c: getattr(e, c) for c in SEAT_COLUMNS}
                  for e in seats},
        "seats_taken": db.session.get(type(batch), batch.id).seats_taken,
        "vouchers": {v.id: (v.status, seat_of.get(v.enrolment_id))
                     for v in db.session.scalars(select(Voucher))},
        "audit": audit,
    }


def _marks() -> tuple[int, int]:
    return (db.session.scalar(select(func.max(Person.id))) or 0,
            db.session.scalar(select(func.max(AuditEntry.id))) or 0)


def _both_paths(batch: Any, data: bytes, by: Any) -> tuple[Any, Any, dict[int, str], Any]:
    db.session.commit()
    since = _marks()
    savepoint = db.session.begin_nested()
    refused = _one_by_one(batch, data, by)
    one_by_one = _snapshot(batch, since)
    savepoint.rollback()
    db.session.expire_all()
    job = _imported(batch, data, by)
    db.session.expire_all()
    return one_by_one, _snapshot(batch, since), refused, job


def _voucher_for(person: Person) -> Voucher:
    officer = builders.user("federation_officer", region_code=person.household_region_code)
    today = local_today()
    (made,) = vouchers.issue([person.id_number], vouchers.Terms(
        face_value_fen=80000, valid_from=today, valid_until=today + timedelta(days=60)),
        officer, today)
    vouchers.claim(made, today)
    return made


@pytest.mark.parametrize("admission", ["auto", "manual"])
def test_a_clean_file_leaves_what_the_interactive_path_leaves(world, admission):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling",
                           admission=admission, open_to_family_members=True)
    relative = _row(90)[2]
    rows = [_row(1), _row(2, employment="已就业"),
            _row(3, cert=False, relation="子女", relative=relative),   # a family member's seat
            _row(4, relation="配偶", relative=relative),                # own right: tie not kept
            _row(5), _row(6), _row(7)]
    _registered(rows[4], EmploymentStatus.EMPLOYED)   # reused as recorded: employed
    with_voucher = _registered(rows[5])
    _voucher_for(with_voucher)
    came_back = _registered(rows[6])
    enrolment.withdraw(enrolment.apply(batch, came_back, world.staff), world.staff)

    one_by_one, imported, refused, job = _both_paths(batch, workbook(rows), world.staff)

    assert refused == {} and (job.status, job.imported) == ("done", 7)
    assert imported == one_by_one
    seats = imported["seats"]
    assert seats[rows[2][1]]["family_relation"] == "child"
    assert seats[rows[3][1]]["family_relation"] is None
    assert seats[rows[4][1]]["employed_at_enrolment"] is True
    assert seats[rows[1][1]]["employed_at_enrolment"] is True
    assert list(imported["vouchers"].values()) == [("redeemed", rows[5][1])]
    assert imported["audit"][("training_enrolment.apply", "training_enrolment", rows[6][1],
                              batch.region_code, None, json.dumps(
                                  {"batch": batch.id, "source": "import",
                                   "status": "applied" if admission == "manual"
                                   else "admitted"}, sort_keys=True))] == 1
    assert len(imported["people"]) == 4


def test_a_file_is_refused_on_the_rows_the_interactive_path_refuses(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    elsewhere = builders.batch(world.base, world.staff, TODAY, status="enrolling",
                               title="同期按摩提高班")
    rows = [_row(n) for n in range(1, 7)] + [_row(7, born_year=1950)]  # too old
    holder, overlapping, declined = (_registered(rows[n]) for n in (1, 2, 3))
    enrolment.apply(batch, holder, world.staff)
    enrolment.apply(elsewhere, overlapping, world.staff)
    refusal = enrolment.apply(batch, declined, world.staff)
    db.session.execute(update(Enrolment).where(Enrolment.id == refusal.id)
                       .values(status="declined"))
    db.session.execute(update(type(batch)).where(type(batch).id == batch.id)
                       .values(seats_taken=type(batch).seats_taken - 1))

    _, imported, refused, job = _both_paths(batch, workbook(rows), world.staff)

    assert job.status == "failed"
    assert {e["row"] for e in job.errors} == set(refused) == {3, 4, 5, 8}
    overlap = next(e for e in job.errors if e["row"] == 4)
    assert overlap["params"] == {"title": "同期按摩提高班"}
    assert set(imported["seats"]) == {holder.id_number, declined.id_number}  # nothing new
    assert not imported["people"] and imported["vouchers"] == {}
