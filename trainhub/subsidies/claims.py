"""From the database to the engine's plain values: the claim of one enrolment (person,
batch, attendance, completion, the person's other subsidies from every institution) and the
dated parameters of the subsidy rules for the batch's city; and one person's open claims
decided in turn (`in_turn`). Reads only; never writes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from trainhub.core.parameters import values
from trainhub.core.parameters.models import PROVINCE, Parameter, ParameterValue
from trainhub.core.people.models import Person
from trainhub.core.timeutil import to_local
from trainhub.extensions import db
from trainhub.subsidies import engine
from trainhub.subsidies.models import Decision
from trainhub.training.catalog import EnrolmentStatus
from trainhub.training.models import Attendance, Batch, Enrolment

PREFIX = "subsidies."
Status = engine.DecisionStatus
OPEN = (Status.COMPUTED, Status.SUBMITTED)
DECIDED = (Status.APPROVED, Status.PAID)  # final: they count whatever their batch


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


def person_of(person: Person, employed: bool, family_member: bool = False) -> engine.Person:
    """The engine's view of a person record (also what a voucher is issued against), as
    enrolled: employed or not, and whether the seat was taken as a family member of a
    person with disabilities."""
    return engine.Person(
        key=str(person.id), sex=engine.Sex(person.sex), birth_date=person.birth_date,
        has_valid_certificate=bool(person.cert_number),
        household_in_jiangxi=person.household_region_code.startswith(PROVINCE),
        employed_at_enrolment=employed, family_member=family_member)


def _batch(batch: Batch) -> engine.Batch:
    return engine.Batch(
        start_date=batch.start_date, end_date=batch.end_date, region_code=batch.region_code,
        training_type=engine.TrainingType(batch.training_type), occupation=batch.occupation,
        fee_charged=batch.fee_fen, planned_hours=batch.planned_hours,
        institution_id=str(batch.institution_id))


# A batch's sessions as a claim reads them: (id, local date, hours, in person).
SessionRow = tuple[int, date, Decimal, bool]


def _sessions(batch: Batch) -> tuple[SessionRow, ...]:
    return tuple((s.id, to_local(s.starts_at).date(), s.hours, s.mode == "in_person")
                 for s in batch.sessions)


def _attendance(enrolment: Enrolment, batch: Batch, marks: Mapping[int, str] | None = None,
                sessions: Sequence[SessionRow] | None = None) -> engine.Attendance:
    if marks is None:
        marks = {a.session_id: a.status for a in enrolment.attendance}
    if sessions is None:
        sessions = _sessions(batch)
    return engine.Attendance(
        tuple(engine.Session(date=day, hours=hours, in_person=in_person,
                             status=engine.AttendanceStatus(marks.get(session_id, "absent")))
              for session_id, day, hours, in_person in sessions),
        withdrew=enrolment.status == EnrolmentStatus.WITHDRAWN)


def attendance_marks(enrolment_ids: Iterable[int]) -> dict[int, dict[int, str]]:
    """Each enrolment's marks by session (one column-only query, no objects loaded)."""
    ids = sorted(set(enrolment_ids))
    marks: dict[int, dict[int, str]] = {i: {} for i in ids}
    if ids:
        for enrolment_id, session_id, status in db.session.execute(
                select(Attendance.enrolment_id, Attendance.session_id, Attendance.status)
                .where(Attendance.enrolment_id.in_(ids))):
            marks[enrolment_id][session_id] = status
    return marks


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
    """The person's decided subsidies of other enrolments: approved or paid, final whatever
    their batch. Open ones are decided afresh, in turn (`in_turn`), never read back: a stored
    result may be out of date, and reading it would make the answer depend on the order
    the batches were computed in."""
    return tuple(
        engine.EarlierSubsidy(
            kind=engine.SubsidyKind(d.kind), occupation=d.occupation,
            level=engine.Level(d.certificate_level) if d.certificate_level else None,
            certificate_date=d.certificate_date, batch_end_date=d.batch_end_date,
            status=engine.DecisionStatus(d.status), granted=d.eligible and d.amount_fen > 0)
        for d in rows if d.enrolment_id != enrolment_id and d.status in DECIDED)


def claim_of(enrolment: Enrolment, earlier: Iterable[Decision], claim_date: date, *,
             marks: Mapping[int, str] | None = None,
             frame: tuple[engine.Batch, Sequence[SessionRow]] | None = None) -> engine.Claim:
    """The claim of one enrolment, with the person's decided subsidies as its earlier ones.
    `marks` (its attendance by session) and `frame` (its batch as the engine reads it, and
    the batch's sessions) when already read for many enrolments."""
    batch = enrolment.batch
    engine_batch, sessions = frame if frame is not None else (_batch(batch), None)
    return engine.Claim(
        person=person_of(enrolment.person, enrolment.employed_at_enrolment,
                         family_member=enrolment.family_relation is not None),
        batch=engine_batch, attendance=_attendance(enrolment, batch, marks, sessions),
        completion=_completion(enrolment), claim_date=claim_date,
        earlier=_earlier(earlier, enrolment.id))


def in_turn(enrolments: Sequence[Enrolment], earlier: Mapping[int, Sequence[Decision]],
            claim_dates: Mapping[int, date],
            with_rules: Callable[[engine.Parameters], engine.Parameters] | None = None,
            ) -> dict[int, tuple[engine.Claim, engine.Subsidies]]:
    """The claims of these enrolments (each claimed on its date in `claim_dates`), decided
    in turn with every other open claim of the same people (`engine.compute_in_turn`, each
    on its stored claim date), so that which claim gets a once-only subsidy does not depend
    on which batch was computed first. `earlier` holds every decision of these people
    (`earlier_of`). Returns, by enrolment id, the claim as computed and its result: for these
    enrolments and for the people's other enrolments with an open decision."""
    wanted = {e.id for e in enrolments}
    rows = [d for person in {e.person_id for e in enrolments} for d in earlier.get(person, ())]
    stored_dates = {d.enrolment_id: d.claim_date for d in rows}
    everyone = {e.id: e for e in enrolments}
    others = {d.enrolment_id for d in rows if d.status in OPEN and d.enrolment_id not in wanted}
    if others:
        everyone.update((e.id, e) for e in db.session.scalars(
            select(Enrolment).where(Enrolment.id.in_(others))
            .options(selectinload(Enrolment.person), selectinload(Enrolment.completion),
                     selectinload(Enrolment.batch).selectinload(Batch.sessions))))
    settled = {(d.enrolment_id, d.kind) for d in rows if d.status not in OPEN}
    rules = load_parameters({e.batch.region_code[:4] for e in everyone.values()})
    if with_rules is not None:
        rules = with_rules(rules)
    marks = attendance_marks(everyone)
    frames: dict[int, tuple[engine.Batch, tuple[SessionRow, ...]]] = {}
    by_person: dict[int, dict[int, engine.Claim]] = defaultdict(dict)
    for enrolment in everyone.values():
        claimed = claim_dates.get(enrolment.id) or stored_dates[enrolment.id]
        batch = enrolment.batch
        frame = frames.get(batch.id)
        if frame is None:  # read once for the batch's claims, which share it
            frame = frames[batch.id] = (_batch(batch), _sessions(batch))
        by_person[enrolment.person_id][enrolment.id] = claim_of(
            enrolment, earlier.get(enrolment.person_id, ()), claimed,
            marks=marks[enrolment.id], frame=frame)
    answers: dict[int, tuple[engine.Claim, engine.Subsidies]] = {}
    with engine.collection_paused():
        for person_claims in by_person.values():
            still_open = {key: [k for k in engine.SubsidyKind if (key, k.value) not in settled]
                          for key in person_claims}
            answers.update(engine.compute_in_turn(person_claims, rules, still_open))
    return answers
