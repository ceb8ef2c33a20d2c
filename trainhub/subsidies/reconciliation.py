"""The reconciliation report (对账): decisions counted and summed per institution, per region
and per month, for one calendar year within the reader's region. Reads only.

A decision counts in the month (China time) it was last computed: every decision has that
date, and it no longer moves once the decision is approved, paid or rejected (only open
decisions are recomputed, at the latest when the institution claims them). The columns
reconcile: computed = approved (paid included) + refused + awaiting.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from sqlalchemy import Integer, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from trainhub.core.organisations import Institution
from trainhub.core.regions import region_names
from trainhub.core.timeutil import LOCAL_TZ, from_local
from trainhub.extensions import db
from trainhub.subsidies import engine, versions
from trainhub.subsidies.models import Decision

Status = engine.DecisionStatus
LOCAL_ZONE = str(LOCAL_TZ)  # Asia/Shanghai
APPROVED = (Status.APPROVED.value, Status.PAID.value)


@dataclass
class Figures:
    computed: int = 0
    computed_fen: int = 0
    approved: int = 0  # approved or paid
    approved_fen: int = 0
    paid: int = 0
    paid_fen: int = 0
    refused: int = 0  # not eligible, or rejected by the federation
    refused_fen: int = 0
    awaiting: int = 0  # eligible and not yet decided
    awaiting_fen: int = 0

    def add(self, status: str, eligible: bool, amount: int, count: int = 1) -> None:
        """`count` decisions of one status and eligibility, `amount` fen between them."""
        self.computed += count
        self.computed_fen += amount
        if status in APPROVED:
            self.approved += count
            self.approved_fen += amount
        if status == Status.PAID:
            self.paid += count
            self.paid_fen += amount
        if status == Status.REJECTED or not eligible:
            self.refused += count
            self.refused_fen += amount
        elif status not in APPROVED:
            self.awaiting += count
            self.awaiting_fen += amount

    def counts_and_amounts(self) -> list[tuple[int, int]]:
        return [(self.computed, self.computed_fen), (self.approved, self.approved_fen),
                (self.paid, self.paid_fen), (self.refused, self.refused_fen),
                (self.awaiting, self.awaiting_fen)]


@dataclass(frozen=True)
class Line:
    key: str
    name: str
    figures: Figures


@dataclass(frozen=True)
class Report:
    year: int
    scope_code: str
    kind: str | None
    institutions: list[Line] = field(default_factory=list)
    regions: list[Line] = field(default_factory=list)
    months: list[Line] = field(default_factory=list)
    total: Figures = field(default_factory=Figures)


def region_width(scope_code: str) -> int:
    """How many digits of a county code group it: by city under the province, by county
    under a city, itself under a county."""
    return {2: 4, 4: 6}.get(len(scope_code), 6)


def _lines(groups: dict[str, Figures], names: dict[str, str]) -> list[Line]:
    return sorted((Line(key, names.get(key, key), figures) for key, figures in groups.items()),
                  key=lambda line: (line.name, line.key))


@dataclass(frozen=True)
class _Groups:
    """A report's figures, before the institutions are named."""

    by_institution: dict[int, Figures]
    by_region: dict[str, Figures]
    by_month: dict[int, Figures]
    total: Figures


# Each process keeps the figures of its last few reports, each under the state of its
# region's decisions (versions.region_version): a new decision, a recomputation, an
# approval or a payment anywhere in the region moves it, and the next reader recomputes.
MAX_KEPT = 64
_kept: OrderedDict[tuple[object, ...], _Groups] = OrderedDict()
_lock = threading.Lock()


def report(scope_code: str, year: int, kind: str | None = None) -> Report:
    """The year's figures of the region, computed by the database (_groups) once for each
    state of its decisions; the institutions' and regions' names read every time, so a
    renamed institution shows at once (two statements, three when recomputed)."""
    key = (str(db.engine.url), scope_code, year, kind, versions.region_version(scope_code))
    with _lock:
        groups = _kept.get(key)
        if groups is not None:
            _kept.move_to_end(key)
    if groups is None:
        groups = _groups(scope_code, year, kind)
        with _lock:
            _kept[key] = groups
            while len(_kept) > MAX_KEPT:
                _kept.popitem(last=False)
    names = {i: name for i, name in db.session.execute(
        select(Institution.id, Institution.name).where(
            Institution.id.in_(list(groups.by_institution))))} if groups.by_institution else {}
    return Report(
        year, scope_code, kind,
        institutions=_lines({str(k): v for k, v in groups.by_institution.items()},
                            {str(k): v for k, v in names.items()}),
        regions=_lines(groups.by_region, region_names()),
        months=[Line(f"{year}-{m:02d}", f"{year}-{m:02d}", f)
                for m, f in groups.by_month.items()],
        total=groups.total)


def forget() -> None:
    """Empty the kept figures (tests roll their data back; a deployment never needs to)."""
    with _lock:
        _kept.clear()


def _groups(scope_code: str, year: int, kind: str | None) -> _Groups:
    """One statement: the decisions of the year counted and summed by the database per
    institution, region, China-time month, status and eligibility (a few thousand groups
    for a province's 80,000 decisions of a year), folded into the report's figures."""
    since, until = (from_local(date(y, 1, 1), time(0)) for y in (year, year + 1))
    region = func.substr(Decision.region_code, 1, region_width(scope_code))
    month = LocalMonth(Decision.computed_at)
    stmt = (select(Decision.institution_id, region, month, Decision.status, Decision.eligible,
                   func.count(), func.coalesce(func.sum(Decision.amount_fen), 0))
            .where(Decision.region_code.startswith(scope_code),
                   Decision.computed_at >= since, Decision.computed_at < until)
            .group_by(Decision.institution_id, region, month, Decision.status,
                      Decision.eligible))
    if kind:
        stmt = stmt.where(Decision.kind == kind)
    groups = _Groups(defaultdict(Figures), defaultdict(Figures),
                     {m: Figures() for m in range(1, 13)}, Figures())
    for institution_id, area, in_month, status, eligible, count, amount in \
            db.session.execute(stmt):
        for figures in (groups.by_institution[institution_id], groups.by_region[area],
                        groups.by_month[int(in_month)], groups.total):
            figures.add(status, bool(eligible), int(amount), int(count))
    return groups


class LocalMonth(FunctionElement[int]):
    """The month (1–12) of a stored UTC time in China time, computed by the database."""

    type = Integer()
    inherit_cache = True


@compiles(LocalMonth, "sqlite")
def _local_month_sqlite(element: LocalMonth, compiler: Any, **kw: Any) -> str:
    # SQLite keeps the UTC time as naive text; China has had no daylight saving since 1991.
    return (f"CAST(strftime('%m', {compiler.process(element.clauses, **kw)}, '+8 hours') "
            "AS INTEGER)")


@compiles(LocalMonth, "postgresql")
def _local_month_postgresql(element: LocalMonth, compiler: Any, **kw: Any) -> str:
    return (f"CAST(EXTRACT(MONTH FROM ({compiler.process(element.clauses, **kw)}) "
            f"AT TIME ZONE '{LOCAL_ZONE}') AS INTEGER)")


