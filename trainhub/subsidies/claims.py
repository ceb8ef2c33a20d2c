"""From the database to the engine's plain values: the claim of one enrolment (person,
batch, attendance, completion, the person's other subsidies from every institution) and the
dated parameters of the subsidy rules for the batch's city. Reads only; never writes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from trainhub.core.parameters import values
from trainhub.core.parameters.models import PROVINCE, Parameter, ParameterValue
from trainhub.core.people.models import Person
from trainhub.core.timeutil import to_local
from trainhub.extensions import db
from trainhub.subsidies import engine
from trainhub.subsidies.models import Decision
from trainhub.training.catalog import EnrolmentStatus
from trainhub.training.models import Batch, Enrolment

PREFIX = "subsidies."


def load_parameters(cities: Iterable[str]) -> engine.Parameters:
    """Every dated value of the subsidy rules, for the province and the given cities (one
    query): the engine itself picks the value in force on each batch's start date."""
    scopes = {PROVINCE, *cities}
    rows = db.session.scalars(
        select(ParameterValue).join(ParameterValue.parameter)
        .options(contains_eager(ParameterValue.parameter))
        .where(Parameter.key.startswith(PREFIX), ParameterValue.region_code.in_(scopes)))
    province: dict[str, list[engine.DatedValue]] = defaultdict(list)
    by_city: dict[str, dict[str, list[engine.DatedValue]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        parsed = values.parse(row.parameter.value_type, row.value)
        if isinstance(parsed, bool) or not isinstance(parsed, int | Decimal):
            continue
        dated = engine.DatedValue(row.effective_from, parsed, str(row.id))
        target = province if row.region_code == PROVINCE else by_city[row.region_code]
        target[row.parameter.key].append(dated)
    return engine.Parameters(province=dict(province),
                             cities={city: dict(table) for city, table in by_city.items()})


def person_of(person: Person, employed: bool) -> engine.Person:
    """The engine's view of a person record (also what a voucher is issued against)."""
    return engine.Person(
        key=str(person.id), sex=engine.Sex(person.sex), birth_date=person.birth_date,
        has_valid_certificate=bool(person.cert_number),
        household_in_jiangxi=person.household_region_code.startswith(PROVINCE),
        employed_at_enrolment=employed)


def _batch(batch: Batch) -> engine.Batch:
    return engine.Batch(
        start_date=batch.start_date, end_date=batch.end_date, region_code=batch.region_code,
        training_type=engine.TrainingType(batch.training_type), occupation=batch.occupation,
        fee_charged=batch.fee_fen, planned_hours=batch.planned_hours,
        institution_id=str(batch.institution_id))


def _attendance(enrolment: Enrolment, batch: Batch) -> engine.Attendance:
    marks = {a.session_id: a.status for a in enrolment.attendance}
    sessions = tuple(
        engine.Session(date=to_local(s.starts_at).date(), hours=s.hours,
                       in_person=s.mode == "in_person",
                       status=engine.AttendanceStatus(marks.get(s.id, "absent")))
        for s in batch.sessions)
    return engine.Attendance(sessions, withdrew=enrolment.status == EnrolmentStatus.WITHDRAWN)


def _completion(enrolment: Enrolment) -> engine.Completion:
    result = enrolment.completion
    if result is None:
        return engine.Completion(passed=False)
    if not result.certificate_type:
        return engine.Completion(passed=result.passed)
    return engine.Completion(
        passed=result.passed, certificate_type=engine.CertificateType(result.certificate_type),
        level=engine.Level(result.certificate_level) if result.certificate_level else None,
        certificate_date=result.certificate_date)


def earlier_of(person_ids: Iterable[int]) -> dict[int, list[Decision]]:
    """Every decision of these people, from every institution (one query)."""
    ids = list(set(person_ids))
    found: dict[int, list[Decision]] = defaultdict(list)
    if ids:
        for row in db.session.scalars(select(Decision).where(Decision.person_id.in_(ids))):
            found[row.person_id].append(row)
    return found


def _earlier(rows: Iterable[Decision], enrolment_id: int) -> tuple[engine.EarlierSubsidy, ...]:
    return tuple(
        engine.EarlierSubsidy(
            kind=engine.SubsidyKind(d.kind), occupation=d.occupation,
            level=engine.Level(d.certificate_level) if d.certificate_level else None,
            certificate_date=d.certificate_date, batch_end_date=d.batch_end_date,
            status=engine.DecisionStatus(d.status))
        for d in rows if d.enrolment_id != enrolment_id)


def claim_of(enrolment: Enrolment, earlier: Iterable[Decision], claim_date: date) -> engine.Claim:
    batch = enrolment.batch
    return engine.Claim(
        person=person_of(enrolment.person, enrolment.employed_at_enrolment),
        batch=_batch(batch), attendance=_attendance(enrolment, batch),
        completion=_completion(enrolment), claim_date=claim_date,
        earlier=_earlier(earlier, enrolment.id))
