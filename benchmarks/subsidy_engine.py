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
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from babel import support

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
    SubsidyKind,
    TrainingType,
    compute,
)
from trainhub.subsidies.explain import explain

ENROLMENTS = int(os.environ.get("BENCH_ENROLMENTS", "10000"))
RUNS = 5
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


def _time(label: str, call: Callable[[], object]) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    median = statistics.median(samples)
    print(f"{label:<34} median {median * 1000:7.0f} ms  max {max(samples) * 1000:7.0f} ms  "
          f"({median / ENROLMENTS * 1e6:.0f} µs per enrolment)")
    return median


def main() -> None:
    rng = random.Random(2024)
    claims = [_claim(rng, i) for i in range(ENROLMENTS)]
    parameters = _parameters()
    gettext = support.Translations.load(str(TRANSLATIONS), ["zh_Hans_CN"]).gettext
    results = [compute(c, parameters) for c in claims]
    granted = sum(r.fee.eligible for r in results), sum(r.living.eligible for r in results)
    print(f"subsidies: {ENROLMENTS} enrolments, fee granted {granted[0]}, living granted "
          f"{granted[1]}")
    _time("compute fee and living allowance", lambda: [compute(c, parameters) for c in claims])
    _time("explain both in Chinese", lambda: [
        (explain(r.fee, gettext), explain(r.living, gettext)) for r in results])


if __name__ == "__main__":
    main()
