"""The four orders, second half: people apply (劳动者点单) and take seats, attendance is
marked per held session, results and certificates are recorded, employment is followed up.

The workflow's rules hold: only batches open for enrolment or past it have applicants;
every applicant may take a seat (a certificate, or a family member's seat where the batch
allows it; working age on the first day); nobody holds seats in overlapping batches; seats
taken never exceed the capacity and equal the admitted enrolments; those still waiting or
undecided when a batch starts are declined; attendance is marked only for admitted
trainees (and for those who later withdrew, before they did), only for held sessions;
results only for admitted trainees after the last session; follow-ups only for passes,
six months on."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from trainhub.cli.province import names
from trainhub.cli.province.bulk import Bulk
from trainhub.cli.province.compat import FAMILY_SEATS, RELATIONS
from trainhub.cli.province.world import (
    BatchRec,
    CompletionRec,
    EnrolRec,
    Org,
    PersonRec,
    World,
    spread,
)
from trainhub.core.parameters import service as parameters
from trainhub.core.timeutil import from_local
from trainhub.training.enrolment import STARTED_NOTE
from trainhub.training.followup import add_months
from trainhub.training.models import Enrolment

ENROLLING_OR_PAST = ("enrolling", "in_progress", "completed", "settled")
NOT_EMPLOYED = ("employment_skills", "entrepreneurship")
STARTED = ("in_progress", "completed", "settled")


class Enrolments:
    def __init__(self, world: World, bulk: Bulk) -> None:
        self.world, self.bulk = world, bulk
        self.rng = world.rng("enrolments")
        today = world.today
        self.age_min = parameters.int_value("subsidies.working_age_min", today, "36")
        self.limit = {"M": parameters.int_value("subsidies.working_age_limit_male", today, "36"),
                      "F": parameters.int_value("subsidies.working_age_limit_female", today,
                                                "36")}
        self.by_county: dict[str, list[PersonRec]] = defaultdict(list)
        self.by_city: dict[str, list[PersonRec]] = defaultdict(list)
        self.visual: dict[str, list[PersonRec]] = defaultdict(list)
        for person in world.people:
            self.by_county[person.county].append(person)
            self.by_city[person.county[:4]].append(person)
            if person.category == 1:
                self.visual[person.county[:4]].append(person)
        self.certified = [p for p in world.people if p.category]

    # --- who applies -------------------------------------------------------------------

    def _fits(self, person: PersonRec, batch: BatchRec, taken: set[int]) -> bool:
        if person.id in taken:
            return False
        if person.category is None and not (batch.open_to_family and FAMILY_SEATS):
            return False
        if not self.age_min <= person.age_on(batch.start) < self.limit[person.sex]:
            return False
        return all(end < batch.start or start > batch.end for start, end in person.seats)

    def _applicants(self, batch: BatchRec, count: int) -> list[PersonRec]:
        rng, world = self.rng, self.world
        county, city = batch.region, batch.region[:4]
        chosen: list[PersonRec] = []
        taken: set[int] = set()
        for _ in range(count * 6):
            if len(chosen) == count:
                break
            where = rng.random()
            if batch.category == "massage" and self.visual[city] and rng.random() < 0.7:
                pool = self.visual[city]
            elif where < 0.6 and self.by_county[county]:
                pool = self.by_county[county]
            elif where < 0.9 and self.by_city[city]:
                pool = self.by_city[city]
            else:
                pool = world.people
            person = rng.choice(pool)
            if person.employment != "unemployed" and batch.training_type in NOT_EMPLOYED \
                    and rng.random() < 0.8:
                continue  # employment-skills and entrepreneurship courses are for job seekers
            if self._fits(person, batch, taken):
                chosen.append(person)
                taken.add(person.id)
        return chosen

    def generate(self) -> None:
        world, rng = self.world, self.rng
        open_ = [b for b in world.batches if b.status in ENROLLING_OR_PAST]
        demand = {b.id: b.capacity * rng.uniform(0.55, 1.3) * (
            rng.uniform(0.3, 1.0) if b.status == "enrolling" else 1.0) for b in open_}
        for batch in open_:
            if batch.showcase == "enrolling":  # a waiting list, undecided applications
                demand[batch.id] = batch.capacity * 1.4
        factor = world.plan.count("enrolments") / max(1.0, sum(demand.values()))
        for batch in open_:
            wanted = demand[batch.id] * (1 if batch.showcase == "enrolling" else factor)
            people = self._applicants(batch, max(1, round(wanted)))
            if batch.showcase == "enrolling" and batch.admission == "auto":
                # oversubscribed, whatever the number of people of a tiny province
                batch.capacity = max(1, min(batch.capacity, len(people) - len(people) // 5))
            self._decide(batch, people)

    # --- what became of each application -----------------------------------------------

    def _decide(self, batch: BatchRec, people: list[PersonRec]) -> None:
        rng, world = self.rng, self.world
        assert batch.approved_at is not None
        opened = batch.approved_at + timedelta(hours=rng.randint(1, 48))
        started = batch.status in STARTED
        start_moment = from_local(batch.start, time(8))
        closes = start_moment - timedelta(hours=12) if started else world.now
        closes = max(closes, opened + timedelta(hours=1))
        span = (closes - opened).total_seconds()
        applications = sorted((opened + timedelta(seconds=rng.uniform(0, span)), person)
                              for person in people) if span > 0 else []
        admitted = 0
        made: list[EnrolRec] = []
        for applied, person in applications:
            enrolment = EnrolRec(id=self.bulk.next_id(Enrolment.__table__),
                                 batch=batch, person=person, status="applied", applied_at=applied,
                                 source=rng.choices(("self", "staff", "import"), (60, 30, 10))[0])
            if person.category is None:
                enrolment.family_relation = rng.choice(sorted(RELATIONS))
                relative = rng.choice(self.by_county[person.county] or self.certified)
                enrolment.family_cert = relative.cert_number if relative.cert_number else \
                    rng.choice(self.certified).cert_number
            recent = (closes - applied) < timedelta(days=3) or (
                batch.showcase == "enrolling" and admitted >= batch.capacity * 0.6)
            if batch.admission == "auto":
                enrolment.status = "admitted" if admitted < batch.capacity else "waiting"
                enrolment.decided_at = applied if enrolment.status == "admitted" else None
            elif recent and not started:
                enrolment.status = "applied"
            elif rng.random() < 0.08:
                enrolment.status, enrolment.note = "declined", rng.choice(names.DECLINE_NOTES)
                enrolment.decided_at = world.before_now(applied + timedelta(days=rng.randint(1, 4)))
                enrolment.decided_by = batch.staff_id
            elif admitted < batch.capacity:
                enrolment.status = "admitted"
                enrolment.decided_at = world.before_now(applied + timedelta(days=rng.randint(1, 4)))
                enrolment.decided_by = batch.staff_id
            else:
                enrolment.status, enrolment.decided_by = "waiting", batch.staff_id
            if enrolment.status == "admitted":
                admitted += 1
            made.append(enrolment)
        self._leave(batch, made, started, start_moment)
        for enrolment in made:
            if started and enrolment.status in ("applied", "waiting"):
                enrolment.status, enrolment.note = "declined", STARTED_NOTE
                enrolment.decided_at = start_moment
            if enrolment.status in ("admitted", "withdrawn", "applied", "waiting"):
                enrolment.person.seats.append((batch.start, batch.end))
        batch.seats_taken = sum(1 for e in made if e.status == "admitted")
        self.world.enrolments += made

    def _leave(self, batch: BatchRec, made: list[EnrolRec], started: bool,
               start_moment: datetime) -> None:
        """A few admitted trainees withdraw (or are removed) — before the start of an open
        batch, their seat going to the first one waiting; during a running one, with
        their marks up to then."""
        rng, world = self.rng, self.world
        for enrolment in [e for e in made if e.status == "admitted"]:
            if rng.random() > 0.05:
                continue
            assert enrolment.decided_at is not None
            if started:
                last = min(from_local(batch.end, time(18)), world.now)
                left = start_moment + (last - start_moment) * rng.uniform(0.1, 0.9)
            else:
                left = world.before_now(enrolment.decided_at + timedelta(
                    hours=rng.randint(2, 200)))
                waiting = next((e for e in made if e.status == "waiting"
                                and e.applied_at < left), None)
                if waiting is not None:  # promoted in order (enrolment.promote_waiting)
                    waiting.status, waiting.decided_at = "admitted", left
            enrolment.status, enrolment.withdrawn_at = "withdrawn", left
            if started and rng.random() < 0.25:  # removed by the institution, with a reason
                enrolment.note = rng.choice(names.REMOVE_NOTES)
                enrolment.decided_at, enrolment.decided_by = left, batch.staff_id

    # --- attendance, results, follow-up ------------------------------------------------

    def attend(self) -> None:
        """Marks of every held session for admitted trainees, and for those who withdrew,
        up to their withdrawal. Each trainee has their own habit of attending."""
        rng, now = self.rng, self.world.now
        for enrolment in self.world.enrolments:
            batch = enrolment.batch
            left = enrolment.withdrawn_at
            if batch.status not in STARTED or not (
                    enrolment.status == "admitted"
                    or (enrolment.status == "withdrawn" and left and batch.start < left.date())):
                continue
            until = left or now
            habit = rng.betavariate(9, 1.1) if rng.random() > 0.12 else rng.uniform(0.4, 0.85)
            marks = bytearray()
            for session in batch.sessions:
                if session.starts_at >= until or session.starts_at >= now:
                    marks.append(0)
                elif rng.random() < habit:
                    marks.append(1 if rng.random() < 0.92 else 2)
                else:
                    marks.append(3 if rng.random() < 0.4 else 4)
            enrolment.marks = bytes(marks)

    def complete(self) -> None:
        rng, world = self.rng, self.world
        yesterday = world.today - timedelta(days=1)
        for enrolment in world.enrolments:
            batch = enrolment.batch
            if enrolment.status != "admitted" or batch.results == "none" or (
                    batch.results == "some" and rng.random() < 0.5):
                continue
            planned = batch.planned_hours
            attended = attended_hours(enrolment)
            rate = attended / planned if planned else Decimal(0)
            chance = 0.93 if rate >= Decimal("0.8") else 0.6 if rate >= Decimal("0.6") else 0.2
            passed = rng.random() < chance
            assessed = min(batch.end + timedelta(days=rng.randint(0, 5)), yesterday)
            recorded = world.before_now(world.moment(
                min(assessed + timedelta(days=rng.randint(0, 3)), yesterday), rng))
            completion = CompletionRec(passed, assessed, recorded)
            if passed and rng.random() < 0.92:
                completion.certificate_type = batch.certificate_type
                completion.certificate_level = batch.certificate_level
                completion.certificate_number = (
                    f"{'S' if batch.certificate_type == 'skill_level' else 'Z'}"
                    f"{assessed:%Y}36{rng.randint(0, 10**10 - 1):010d}")
                completion.certificate_date = min(assessed + timedelta(days=rng.randint(7, 30)),
                                                  yesterday)
                recorded = max(recorded, world.moment(completion.certificate_date, rng))
                completion.recorded_at = world.before_now(recorded)
            if passed:
                completion.verification_code = world.code(rng)
            enrolment.completion = completion

    def followups(self, months: int, demands: dict[int, Org]) -> list[dict[str, object]]:
        """Employment six months (the parameter) after a pass, most of them recorded;
        `demands`: the enterprise of each demand (hired versus committed)."""
        rng, world = self.rng, self.world
        rows: list[dict[str, object]] = []
        for enrolment in world.enrolments:
            completion = enrolment.completion
            if completion is None or not completion.passed:
                continue
            due = add_months(completion.assessed_on, months)
            if due >= world.today or rng.random() < 0.2:
                continue
            checked = spread(rng, due, min(due + timedelta(days=30),
                                           world.today - timedelta(days=1)))
            batch = enrolment.batch
            hired_by = demands.get(batch.demand_id) if batch.demand_id else None
            employed = rng.random() < (0.7 if hired_by else 0.55)
            enterprise = hired_by if employed and hired_by and rng.random() < 0.7 else None
            rows.append({
                "enrolment_id": enrolment.id, "employed": employed,
                "employer_name": (enterprise.name if enterprise else names.enterprise_name(
                    rng, names.short_region(batch.base.institution.name[:3])))
                if employed else "",
                "enterprise_id": enterprise.id if enterprise else None,
                "employment_form": rng.choices(
                    ("quota", "concentrated", "self_employed", "flexible", "public_welfare",
                     "supported"), (30, 15, 20, 25, 5, 5))[0] if employed else None,
                "monthly_wage_fen": rng.randint(18, 55) * 10_000 if employed else None,
                "checked_on": checked, "recorded_by_id": batch.staff_id,
                "recorded_at": world.moment(checked, rng)})
        return rows


def attended_hours(enrolment: EnrolRec) -> Decimal:
    sessions = enrolment.batch.sessions
    return sum((sessions[i].hours for i, code in enumerate(enrolment.marks) if code in (1, 2)),
               Decimal(0))
