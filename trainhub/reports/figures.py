"""The yearly plan report (落实情况, 赣府厅字〔2022〕90号 三(六); DESIGN §8): for a year and a
region, the figures the plan is judged by, each beside the previous year's, computed from the
records and never typed in.

Bounded work whatever the province's size: every figure is an aggregate (GROUP BY, COUNT and
SUM with FILTER) over the rows of the region (its code prefix) and the two years, read in a
fixed number of statements; both years come out of the same statement, bucketed by a CASE on
the date that places a row in its year. Nothing is loaded row by row.

Which date places a row in a year:
- bases: valid on 31 December (on the day computed, for the year under way);
- trainees: admitted enrolments of batches that ran (in progress, completed, settled) and
  ended in the year, scoped by the batch's county; a person in two batches counts twice
  (人次);
- employment: the follow-ups of those trainees (six months after completion) and the hire
  commitment of the demands their batches answered, each demand once;
- subsidies and rewards: computed by the claim date (subsidies) or the submission
  (rewards), approved and paid by the budget year of the approval; the budget set for the
  region itself (the rewards' in a table of their own, reward_budgets);
- competitions: held (organised in the region) and entered (contestants living in it) by the
  competition's first day.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, case, distinct, func, literal, select, union_all

from trainhub.bases.coverage import coverage
from trainhub.competitions.catalog import EntryStatus
from trainhub.competitions.models import Competition, Entry, EntryMember, Event, Result, Selection
from trainhub.core.people.models import Person
from trainhub.extensions import db
from trainhub.rewards.models import DeclarationStatus, RewardBudget, RewardDeclaration
from trainhub.subsidies.models import Budget, Decision
from trainhub.subsidies.values import DecisionStatus
from trainhub.training.catalog import SPECIALTY_OF, BatchStatus, EnrolmentStatus
from trainhub.training.models import Batch, Completion, Demand, Enrolment, FollowUp

CURRENT, PREVIOUS = "current", "previous"
YEARS = (CURRENT, PREVIOUS)
# The course families DESIGN §8 names; a batch's category decides its family.
FAMILIES = ("massage", "intangible_heritage", "ecommerce", "livestreaming", "other")
# Disability categories 1-7, and "none" for a seat without a certificate (family members).
CATEGORIES = ("1", "2", "3", "4", "5", "6", "7", "none")
MONEY_KINDS = ("fee", "living", "reward")
RAN = (BatchStatus.IN_PROGRESS.value, BatchStatus.COMPLETED.value, BatchStatus.SETTLED.value)
REWARD_COMPUTED = tuple(s.value for s in DeclarationStatus
                        if s not in (DeclarationStatus.DRAFT, DeclarationStatus.RETURNED))
REWARD_APPROVED = (DeclarationStatus.APPROVED.value, DeclarationStatus.PAID.value)
SUBSIDY_APPROVED = (DecisionStatus.APPROVED.value, DecisionStatus.PAID.value)

TRAINING_KEYS = ("trained", "completed", "certified")
EMPLOYMENT_KEYS = ("followed", "employed", "hired", "committed")
MONEY_KEYS = ("computed", "approved", "paid", "budget")
COMPETITION_KEYS = ("held", "events", "contestants", "awarded", "selected")
BASE_KEYS = ("cities", "cities_with_training", "cities_with_incubator", "counties",
             "counties_with_training", "training", "incubator")

Pair = dict[str, dict[str, int]]  # {"current": {...}, "previous": {...}}


def _pair(keys: tuple[str, ...]) -> Pair:
    return {year: dict.fromkeys(keys, 0) for year in YEARS}


@dataclass
class PlanFigures:
    """Every figure of the report for `year` and the region, as plain dicts of integers (so
    that a submission stores them as JSON and shows them again as they were)."""

    year: int
    region_code: str
    counted_on: str  # the day the bases were counted for the current year (ISO)
    bases: Pair = field(default_factory=lambda: _pair(BASE_KEYS))
    training: Pair = field(default_factory=lambda: _pair(TRAINING_KEYS))
    families: dict[str, Pair] = field(
        default_factory=lambda: {f: _pair(TRAINING_KEYS) for f in FAMILIES})
    categories: dict[str, Pair] = field(
        default_factory=lambda: {c: _pair(TRAINING_KEYS) for c in CATEGORIES})
    employment: Pair = field(default_factory=lambda: _pair(EMPLOYMENT_KEYS))
    money: dict[str, Pair] = field(
        default_factory=lambda: {k: _pair(MONEY_KEYS) for k in MONEY_KINDS})
    competitions: Pair = field(default_factory=lambda: _pair(COMPETITION_KEYS))

    @property
    def counted_day(self) -> date:
        return date.fromisoformat(self.counted_on)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanFigures:
        return cls(**data)

    def target_met(self, year: str = CURRENT) -> dict[str, bool]:
        """二(十)3: every city a training base and an incubator, every county a training base."""
        b = self.bases[year]
        return {"city_training": b["cities_with_training"] == b["cities"],
                "city_incubator": b["cities_with_incubator"] == b["cities"],
                "county_training": b["counties_with_training"] == b["counties"]}


def rate(part: int, whole: int) -> float | None:
    """A share in percent with one decimal; None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


# --- the year a row falls in ----------------------------------------------------------------

def _bounds(year: int) -> tuple[date, date, date]:
    return date(year - 1, 1, 1), date(year, 1, 1), date(year + 1, 1, 1)


def _bucket(column: Any, year: int) -> tuple[ColumnElement[str], ColumnElement[bool]]:
    """(CASE giving 'current' or 'previous', the filter keeping the two years) on a date."""
    start, middle, end = _bounds(year)
    return (case((column >= middle, CURRENT), else_=PREVIOUS),
            (column >= start) & (column < end))


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _family() -> ColumnElement[str]:
    whens = [(Batch.category.in_(sorted(c for c, s in SPECIALTY_OF.items() if s == family)),
              family) for family in FAMILIES if family != "other"]
    return case(*whens, else_="other")


# --- the figures ----------------------------------------------------------------------------

def plan_figures(year: int, region_code: str, today: date) -> PlanFigures:
    """The report of `region_code` (a province, city or county code) for `year`."""
    figures = PlanFigures(year, region_code, min(date(year, 12, 31), today).isoformat())
    _bases(figures)
    _training(figures)
    _committed(figures)
    _subsidies(figures)
    _rewards(figures)
    _budgets(figures)
    _competitions(figures)
    return figures


def _bases(figures: PlanFigures) -> None:
    """The coverage report on 31 December of each year (two statements a year)."""
    for key, day in ((CURRENT, figures.counted_day),
                     (PREVIOUS, date(figures.year - 1, 12, 31))):
        report = coverage(figures.region_code, day)
        counties = report.counties
        if len(figures.region_code) == 6:  # a county answers for itself, not its city
            counties = [c for c in counties if c.code == figures.region_code]
        totals = report.totals
        figures.bases[key] = {
            "cities": len(report.cities),
            "cities_with_training": sum(not c.gap_training for c in report.cities),
            "cities_with_incubator": sum(not c.gap_incubator for c in report.cities),
            "counties": len(counties),
            "counties_with_training": sum(not c.gap_training for c in counties),
            "training": totals["training"], "incubator": totals["incubator"]}


def _training(figures: PlanFigures) -> None:
    """Trainees, completions, certificates and six-month employment by family and
    disability category: one statement."""
    bucket, in_years = _bucket(Batch.end_date, figures.year)
    family = _family()
    passed = Completion.passed.is_(True)
    employed = FollowUp.employed.is_(True)
    stmt = (select(bucket, family, Person.disability_category,
                   func.count(Enrolment.id),
                   func.count(Completion.id).filter(passed),
                   func.count(Completion.id).filter(passed,
                                                    Completion.certificate_type.is_not(None)),
                   func.count(FollowUp.id),
                   func.count(FollowUp.id).filter(employed),
                   func.count(FollowUp.id).filter(
                       employed, FollowUp.enterprise_id == Demand.enterprise_id))
            .select_from(Enrolment)
            .join(Batch, Batch.id == Enrolment.batch_id)
            .join(Person, Person.id == Enrolment.person_id)
            .outerjoin(Completion, Completion.enrolment_id == Enrolment.id)
            .outerjoin(FollowUp, FollowUp.enrolment_id == Enrolment.id)
            .outerjoin(Demand, Demand.id == Batch.demand_id)
            .where(in_years, Enrolment.status == EnrolmentStatus.ADMITTED.value,
                   Batch.status.in_(RAN), Batch.region_code.startswith(figures.region_code))
            .group_by(bucket, family, Person.disability_category))
    for year, fam, category, *counts in db.session.execute(stmt):
        trained, completed, certified, followed, employed_n, hired = map(int, counts)
        for target in (figures.training[year], figures.families[fam][year],
                       figures.categories[str(category) if category else "none"][year]):
            target["trained"] += trained
            target["completed"] += completed
            target["certified"] += certified
        line = figures.employment[year]
        line["followed"] += followed
        line["employed"] += employed_n
        line["hired"] += hired


def _committed(figures: PlanFigures) -> None:
    """The hire commitment of the demands the year's batches answered, each demand once."""
    bucket, in_years = _bucket(Batch.end_date, figures.year)
    answered = (select(Batch.demand_id.label("demand_id"), bucket.label("year"))
                .where(in_years, Batch.demand_id.is_not(None), Batch.status.in_(RAN),
                       Batch.region_code.startswith(figures.region_code))
                .distinct().subquery())
    stmt = (select(answered.c.year, func.coalesce(func.sum(Demand.hire_commitment), 0))
            .join(Demand, Demand.id == answered.c.demand_id).group_by(answered.c.year))
    for year, committed in db.session.execute(stmt):
        figures.employment[year]["committed"] = int(committed)


def _sums(computed: tuple[ColumnElement[bool], ...], approved: ColumnElement[bool],
          paid: ColumnElement[bool], amount: Any, budget_year: Any, year: int,
          ) -> list[Any]:
    """computed, approved and paid for the current then the previous year, as FILTERed SUMs."""
    columns = []
    for when, computed_when in zip((year, year - 1), computed, strict=True):
        columns += [func.coalesce(func.sum(amount).filter(computed_when), 0),
                    func.coalesce(func.sum(amount).filter(approved, budget_year == when), 0),
                    func.coalesce(func.sum(amount).filter(paid, budget_year == when), 0)]
    return columns


def _store_money(figures: PlanFigures, kind: str, values: list[Any]) -> None:
    for n, year in enumerate(YEARS):
        computed, approved, paid = (int(v) for v in values[3 * n:3 * n + 3])
        figures.money[kind][year].update(computed=computed, approved=approved, paid=paid)


def _subsidies(figures: PlanFigures) -> None:
    """Training subsidies (fee, living) computed, approved and paid: one statement."""
    start, middle, end = _bounds(figures.year)
    eligible = Decision.eligible.is_(True)
    computed = ((Decision.claim_date >= middle) & (Decision.claim_date < end) & eligible,
                (Decision.claim_date >= start) & (Decision.claim_date < middle) & eligible)
    stmt = (select(Decision.kind, *_sums(
                computed, Decision.status.in_(SUBSIDY_APPROVED),
                Decision.status == DecisionStatus.PAID.value,
                Decision.amount_fen, Decision.budget_year, figures.year))
            .where(Decision.region_code.startswith(figures.region_code),
                   ((Decision.claim_date >= start) & (Decision.claim_date < end))
                   | Decision.budget_year.in_((figures.year - 1, figures.year)))
            .group_by(Decision.kind))
    for kind, *values in db.session.execute(stmt):
        if kind in figures.money:
            _store_money(figures, kind, values)


def _rewards(figures: PlanFigures) -> None:
    """Over-quota rewards computed (submitted), approved and paid: one statement."""
    start, middle, end = (_instant(d) for d in _bounds(figures.year))
    at = RewardDeclaration.submitted_at
    listed = RewardDeclaration.status.in_(REWARD_COMPUTED)
    computed = ((at >= middle) & (at < end) & listed, (at >= start) & (at < middle) & listed)
    stmt = (select(*_sums(computed, RewardDeclaration.status.in_(REWARD_APPROVED),
                          RewardDeclaration.status == DeclarationStatus.PAID.value,
                          RewardDeclaration.amount_fen, RewardDeclaration.budget_year,
                          figures.year))
            .where(RewardDeclaration.region_code.startswith(figures.region_code),
                   RewardDeclaration.amount_fen.is_not(None),
                   ((at >= start) & (at < end))
                   | RewardDeclaration.budget_year.in_((figures.year - 1, figures.year))))
    row = db.session.execute(stmt).one()
    _store_money(figures, "reward", list(row))


def _budgets(figures: PlanFigures) -> None:
    """The budgets set for the region itself (not its counties'): the subsidies' by kind and
    the rewards' (a table of their own), in one statement."""
    years = (figures.year - 1, figures.year)
    subsidies = (select(Budget.kind.label("kind"), Budget.year.label("year"),
                        Budget.amount_fen.label("amount"))
                 .where(Budget.region_code == figures.region_code, Budget.year.in_(years)))
    rewards = (select(literal("reward").label("kind"), RewardBudget.year,
                      RewardBudget.amount_fen)
               .where(RewardBudget.region_code == figures.region_code,
                      RewardBudget.year.in_(years)))
    both = union_all(subsidies, rewards).subquery()
    stmt = (select(both.c.kind, both.c.year, func.sum(both.c.amount))
            .group_by(both.c.kind, both.c.year))
    for kind, year, amount in db.session.execute(stmt):
        if kind in figures.money:
            key = CURRENT if year == figures.year else PREVIOUS
            figures.money[kind][key]["budget"] = int(amount)


def _competitions(figures: PlanFigures) -> None:
    """Competitions organised in the region, and the contestants living in it with their
    awards and selections for national or international competitions: two statements."""
    bucket, in_years = _bucket(Competition.starts_on, figures.year)
    held = (select(bucket, func.count(distinct(Competition.id)), func.count(Event.id))
            .outerjoin(Event, Event.competition_id == Competition.id)
            .where(in_years, Competition.region_code.startswith(figures.region_code))
            .group_by(bucket))
    for year, competitions, events in db.session.execute(held):
        figures.competitions[year].update(held=int(competitions), events=int(events))
    person = EntryMember.person_id
    entered = (select(bucket, func.count(distinct(person)),
                      func.count(distinct(person)).filter(Result.award.is_not(None)),
                      func.count(distinct(person)).filter(Selection.id.is_not(None)))
               .select_from(EntryMember)
               .join(Entry, Entry.id == EntryMember.entry_id)
               .join(Event, Event.id == Entry.event_id)
               .join(Competition, Competition.id == Event.competition_id)
               .join(Person, Person.id == person)
               .outerjoin(Result, Result.entry_id == Entry.id)
               .outerjoin(Selection, Selection.result_id == Result.id)
               .where(in_years, Entry.status == EntryStatus.CONFIRMED.value,
                      Person.household_region_code.startswith(figures.region_code))
               .group_by(bucket))
    for year, contestants, awarded, selected in db.session.execute(entered):
        figures.competitions[year].update(contestants=int(contestants), awarded=int(awarded),
                                          selected=int(selected))
