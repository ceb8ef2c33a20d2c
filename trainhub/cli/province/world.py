"""The province being generated: the plan (how many of each at a scale), one random stream
per domain, the clock, and the compact records each domain hands to the next.

Everything is decided from (seed, scale, today): the random streams are seeded with
strings (`random.Random("7:people")`, which Python hashes with SHA-512, not with the
per-process string hash), and every moment is derived from `today`."""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from trainhub.core.parameters.defaults import SHIPPED
from trainhub.core.timeutil import from_local

# Counts at scale 1.0 (issue 13): the province the pages are tried on.
FULL = {
    "institutions": 1500, "enterprises": 300, "bases": 400, "demands": 1200,
    "batches": 4000, "people": 100_000, "enrolments": 100_000, "entries": 1000,
    "events": 10,
}
# Below these a table would not show what it is for (every status, a coverage gap…).
MINIMUM = {"institutions": 12, "enterprises": 2, "bases": 8, "demands": 3, "batches": 24,
           "people": 300, "enrolments": 240, "entries": 12, "events": 1}
JUDGES_PER_EVENT = 5     # besides the chief judge
ASPECTS_PER_EVENT = 10


@dataclass(frozen=True)
class Plan:
    scale: float
    seed: int
    today: date

    def count(self, what: str) -> int:
        return max(MINIMUM[what], round(FULL[what] * self.scale))


@dataclass(slots=True)
class County:
    code: str
    name: str
    city: str          # 4-digit code
    city_name: str
    weight: float      # share of the province's people with disabilities
    centre: bool       # the city's central district (city-level bases stand there)


@dataclass(slots=True)
class Org:
    id: int
    name: str
    region: str
    credit_code: str
    org_type: str = "school"
    size: float = 1.0


@dataclass(slots=True)
class PersonRec:
    id: int
    name: str
    sex: str
    birth: date
    county: str
    id_number: str
    category: int | None
    grade: int | None
    employment: str
    needs: tuple[str, ...]
    # (start, end) of the batches where the person holds or held a seat
    seats: list[tuple[date, date]] = field(default_factory=list)

    @property
    def cert_number(self) -> str | None:
        return f"{self.id_number}{self.category}{self.grade}" if self.category else None

    def age_on(self, day: date) -> int:
        born = self.birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(slots=True)
class BaseRec:
    id: int
    institution: Org
    kind: str
    level: str
    region: str
    specialties: list[str]
    certified_on: date
    valid_until: date
    status: str = "valid"
    status_on: date | None = None      # suspension, revocation or supersession
    status_reason: str = ""
    application_id: int = 0
    year: int = 0
    sequence: int = 0
    certificate_number: str = ""
    verification_code: str = ""

    def active_until(self, horizon: date) -> date:
        """The last day batches may run at this base (validity, or a status change)."""
        last = min(self.valid_until, horizon)
        if self.status_on is not None:
            last = min(last, self.status_on - timedelta(days=1))
        return last


@dataclass(slots=True)
class SessionRec:
    id: int
    day: date
    starts_at: datetime
    ends_at: datetime
    hours: Decimal
    mode: str


@dataclass(slots=True)
class BatchRec:
    id: int
    base: BaseRec
    title: str
    category: str
    occupation: str
    training_type: str
    certificate_type: str
    certificate_level: str | None
    delivery: str
    provisions: list[str]
    start: date
    end: date
    capacity: int
    fee_fen: int
    admission: str
    status: str
    created_at: datetime
    open_to_family: bool = False
    demand_id: int | None = None
    sessions: list[SessionRec] = field(default_factory=list)
    seats_taken: int = 0
    results: str = "none"     # none / some / all: completion results recorded
    staff_id: int = 0
    planned_sessions: int = 0
    submitted_at: datetime | None = None
    approved_at: datetime | None = None
    approved_by: int | None = None
    jiangxi_only: bool = False
    # A state given on purpose, so that even a tiny province shows every one (training.SHOWCASE)
    showcase: str = ""

    @property
    def region(self) -> str:
        return self.base.region

    @property
    def institution_id(self) -> int:
        return self.base.institution.id

    @property
    def planned_hours(self) -> Decimal:
        return sum((s.hours for s in self.sessions), Decimal(0))


# Attendance codes in EnrolRec.marks: 0 no mark (session not held or after withdrawal).
MARK_CODES = {1: "present", 2: "late", 3: "excused", 4: "absent"}


@dataclass(slots=True)
class CompletionRec:
    passed: bool
    assessed_on: date
    recorded_at: datetime
    certificate_type: str | None = None
    certificate_level: str | None = None
    certificate_number: str | None = None
    certificate_date: date | None = None
    verification_code: str | None = None


@dataclass(slots=True)
class EnrolRec:
    id: int
    batch: BatchRec
    person: PersonRec
    status: str
    applied_at: datetime
    source: str = "self"
    decided_at: datetime | None = None
    decided_by: int | None = None
    note: str = ""
    withdrawn_at: datetime | None = None
    family_relation: str | None = None
    family_cert: str | None = None
    marks: bytes = b""
    completion: CompletionRec | None = None


class World:
    """What the domains share while the province is generated."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.today = plan.today
        # Marks, results and decisions are dated before this moment: the start of today in
        # China. A session of today has not been held yet.
        self.now = from_local(plan.today, time(0))
        # Training runs from the shipped parameters on (their values decide subsidies),
        # for at most three years before today; bases were certified up to a year earlier.
        self.start = max(SHIPPED + timedelta(days=120), plan.today - timedelta(days=3 * 365))
        self.bases_start = max(SHIPPED + timedelta(days=30), self.start - timedelta(days=365))
        self.counties: list[County] = []
        self.cities: dict[str, str] = {}
        self.officers: dict[str, int] = {}        # region code → officer user id
        self.staff: dict[int, int] = {}           # institution id → staff user id
        self.contacts: dict[int, int] = {}        # enterprise id → contact user id
        self.institutions: list[Org] = []
        self.enterprises: list[Org] = []
        self.people: list[PersonRec] = []
        self.bases: list[BaseRec] = []
        self.batches: list[BatchRec] = []
        self.enrolments: list[EnrolRec] = []
        self.signins: dict[str, int] = {}         # sign-in username → user id
        self.facts: dict[str, object] = {}        # what the tests and the report read
        self._streams: dict[str, random.Random] = {}

    def rng(self, domain: str) -> random.Random:
        if domain not in self._streams:
            self._streams[domain] = random.Random(f"{self.plan.seed}:{domain}")
        return self._streams[domain]

    def code(self, rng: random.Random) -> str:
        """A verification code like core.documents.new_code's (18 bytes, 24 characters),
        from the seeded stream instead of the system's."""
        return base64.urlsafe_b64encode(rng.randbytes(18)).decode("ascii")

    def moment(self, day: date, rng: random.Random, first: int = 9, last: int = 17) -> datetime:
        """A working-hours moment of a local day, as aware UTC."""
        local = time(rng.randint(first, last - 1), rng.randint(0, 59), rng.randint(0, 59))
        return from_local(day, local)

    def before_now(self, moment: datetime) -> datetime:
        return min(moment, self.now - timedelta(minutes=1))


def day_of(moment: datetime) -> date:
    from trainhub.core.timeutil import to_local
    return to_local(moment).date()


def utc(day: date) -> datetime:
    return datetime.combine(day, time(0), UTC)


def spread(rng: random.Random, first: date, last: date) -> date:
    """A day between first and last inclusive (first when the range is empty)."""
    days = (last - first).days
    return first + timedelta(days=rng.randint(0, days)) if days > 0 else first


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
