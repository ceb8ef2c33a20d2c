"""Computing the subsidies of 10,000 enrolments with the pure engine, and explaining them.

No database: the time is the engine's own (eligibility, caps across institutions, the fee
subsidy with the day rule, the living allowance, the trace) plus the explanations in Chinese.
The enrolments are varied: ages around the working-age limits, all four training types, mixed
delivery, absences, failed assessments, earlier subsidies, a parameter changing during the
year and a city override. Run alone with `python -m benchmarks.subsidy_engine`, or with the
others by `make bench`.
"""

from __future__ import annotations

import os
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import support

from benchmarks.harness import Report, compare
from benchmarks.plain_subsidy import plain_subsidies
from trainhub.core.parameters.defaults import SUBSIDIES
from trainhub.subsidies.engine import (
    Attendance,
    AttendanceStatus,
    Batch,
    CertificateType,
    Claim,
    Completion,
    DatedValue,
    DecisionStatus,
    EarlierSubsidy,
    Level,
    Parameters,
    Person,
    Session,
    Sex,
    Subsidies,
    SubsidyKind,
    TrainingType,
    compute,
    compute_many,
)
from trainhub.subsidies.explain import explain

ENROLMENTS = int(os.environ.get("BENCH_ENROLMENTS", "10000"))
COUNTIES = ["360102", "360111", "360402", "360502", "360702", "360802", "361102"]
OCCUPATIONS = ["中式面点师", "保健按摩师", "电子商务师", "手工编织工", "茶艺师"]
STATUSES = [AttendanceStatus.PRESENT] * 8 + [AttendanceStatus.LATE, AttendanceStatus.ABSENT,
                                              AttendanceStatus.EXCUSED]
TRANSLATIONS = Path(__file__).resolve().parents[1] / "trainhub" / "translations"


def _parameters() -> Parameters:
    province: dict[str, list[DatedValue]] = {
        s.key: [DatedValue(s.effective_from, s.default, f"{s.key}@1")] for s in SUBSIDIES
        if isinstance(s.default, int | Decimal)}
    province["subsidies.fee_intermediate"].append(
        DatedValue(date(2024, 7, 1), 160000, "subsidies.fee_intermediate@2"))
    cities = {"3601": {"subsidies.living_per_day": [
        DatedValue(date(2023, 1, 1), 7000, "subsidies.living_per_day@3601")]}}
    return Parameters(province, cities)


def _completion(rng: random.Random, end: date) -> Completion:
    if rng.random() < 0.1:
        return Completion(passed=False)
    kind = rng.choice(list(CertificateType))
    level = (rng.choice(list(Level)) if kind in (CertificateType.QUALIFICATION,
                                                 CertificateType.SKILL_LEVEL) else None)
    return Completion(True, kind, level, end + timedelta(days=rng.randint(3, 30)))


def _earlier(rng: random.Random, end: date) -> tuple[EarlierSubsidy, ...]:
    return tuple(EarlierSubsidy(
        kind=rng.choice(list(SubsidyKind)), occupation=rng.choice(OCCUPATIONS),
        level=rng.choice(list(Level)), certificate_date=end - timedelta(days=rng.randint(30, 900)),
        batch_end_date=end - timedelta(days=rng.randint(40, 900)),
        status=rng.choice(list(DecisionStatus))) for _ in range(rng.randint(0, 4)))


def _claim(rng: random.Random, index: int) -> Claim:
    start = date(2024, 1, 8) + timedelta(days=rng.randint(0, 330))
    days = rng.randint(5, 35)
    end = start + timedelta(days=days - 1)
    sex = rng.choice(list(Sex))
    person = Person(key=f"p{index}", sex=sex,
                    birth_date=start - timedelta(days=rng.randint(15 * 365, 61 * 365)),
                    has_valid_certificate=rng.random() < 0.97,
                    household_in_jiangxi=rng.random() < 0.97,
                    employed_at_enrolment=rng.random() < 0.3)
    batch = Batch(start, end, rng.choice(COUNTIES), rng.choice(list(TrainingType)),
                  rng.choice(OCCUPATIONS), rng.randint(80, 600) * 1000, Decimal(days * 8),
                  f"inst{index % 200}")
    online_share = rng.choice([0, 0, 0.3, 1])
    sessions = tuple(Session(start + timedelta(days=d), Decimal(8), rng.random() >= online_share,
                             rng.choice(STATUSES)) for d in range(days))
    completion = _completion(rng, end)
    claimed = (completion.certificate_date or end) + timedelta(days=rng.randint(1, 400))
    return Claim(person, batch, Attendance(sessions, withdrew=rng.random() < 0.03), completion,
                 claimed, _earlier(rng, end))


def figures(report: Report, scale: float) -> None:
    """The engine on 10,000 varied claims (× scale, at least 1,000) beside the plain
    function; they must agree on every claim before either is timed."""
    count = max(1000, int(ENROLMENTS * min(scale * 10, 1)))
    rng = random.Random(2024)
    claims = [_claim(rng, i) for i in range(count)]
    parameters = _parameters()
    results = [compute(c, parameters) for c in claims]
    disagree = [i for i, (c, r) in enumerate(zip(claims, results, strict=True))
                if plain_subsidies(c, parameters) != (r.fee.amount, r.living.amount)]
    if disagree:
        raise AssertionError(f"the engine and the plain function disagree on {len(disagree)} "
                             f"claims, first {disagree[:5]}")
    granted = sum(r.fee.eligible for r in results), sum(r.living.eligible for r in results)
    report.add(compare(
        f"subsidy engine, {count} claims", lambda: _engine(claims, parameters),
        lambda: _plain(claims, parameters), goal=2,
        notes={"fee granted": granted[0], "living granted": granted[1],
               "agree": f"{count}/{count}"}))
    gettext = support.Translations.load(str(TRANSLATIONS), ["zh_Hans_CN"]).gettext
    report.add(compare(
        f"explain {count} decisions in Chinese",
        lambda: [(explain(r.fee, gettext), explain(r.living, gettext)) for r in results],
        lambda: _plain(claims, parameters), goal=None))


def _engine(claims: list[Claim], parameters: Parameters) -> list[Subsidies]:
    """compute_many as a request runs it, on parameters whose engine memo (the views of the
    values in force, the steps already made) starts empty, as `_plain` starts its own cache
    empty; the look-ups both read through (Parameters.found) stay warm for both. Kept from
    the agreement check or an earlier run, the memo would spare the timed run work that
    every request does."""
    parameters.views.clear()
    parameters.made.clear()
    return compute_many(claims, parameters)


def _plain(claims: list[Claim], parameters: Parameters) -> list[tuple[int, int]]:
    cache: dict[Any, Any] = {}
    return [plain_subsidies(c, parameters, cache) for c in claims]


def main() -> None:
    figures(Report("none", 1.0), 1.0)


if __name__ == "__main__":
    main()
