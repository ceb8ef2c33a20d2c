"""Reading the subsidy case files (cases/*.yaml) into engine inputs and expectations.

The format is described in cases/README.md; every case starts from cases/_defaults.yaml and
states only what differs. Amounts in the files are in yuan, converted here to fen exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from trainhub.core.parameters.defaults import SUBSIDIES
from trainhub.subsidies.engine import (
    PROVINCE,
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
)

CASES = Path(__file__).parent / "cases"
SPECS = {spec.key: spec for spec in SUBSIDIES}
MERGED = ("person", "batch", "attendance")  # merged key by key; everything else is replaced


@dataclass(frozen=True)
class Expected:
    amount: int  # fen
    reasons: tuple[str, ...]  # empty: granted
    payee: str | None
    uses: Mapping[str, Mapping[str, Any]]
    explains: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    claim: Claim
    parameters: Parameters
    expected: Mapping[str, Expected]


def case_paths() -> list[Path]:
    return sorted(p for p in CASES.glob("*.yaml") if not p.name.startswith("_"))


def fen(yuan: Any) -> int:
    exact = Decimal(str(yuan)) * 100
    if exact != exact.to_integral_value():
        raise ValueError(f"{yuan} yuan is not a whole number of fen")
    return int(exact)


def load_case(path: Path) -> Case:
    defaults = yaml.safe_load((CASES / "_defaults.yaml").read_text(encoding="utf-8"))
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    data = {**defaults, **case}
    for key in MERGED:
        data[key] = {**defaults[key], **case.get(key, {})}
    expected = case["expected"]
    if set(expected) != {"fee", "living"}:
        raise ValueError(f"{path.name}: expected must state both fee and living")
    claim = Claim(person=_person(data["person"]), batch=_batch(data["batch"]),
                  attendance=_attendance(data["attendance"]),
                  completion=_completion(data["completion"]), claim_date=data["claim_date"],
                  earlier=tuple(_earlier(e) for e in data.get("earlier") or ()))
    return Case(path.stem, case["title"], claim, _parameters(data.get("parameters") or ()),
                {kind: _expected(value) for kind, value in expected.items()})


def _person(d: Mapping[str, Any]) -> Person:
    return Person(key=str(d["key"]), sex=Sex(d["sex"]), birth_date=d["birth_date"],
                  has_valid_certificate=d["has_valid_certificate"],
                  household_in_jiangxi=d["household_in_jiangxi"],
                  employed_at_enrolment=d["employed_at_enrolment"],
                  family_member=d["family_member"])


def _batch(d: Mapping[str, Any]) -> Batch:
    return Batch(start_date=d["start_date"], end_date=d["end_date"],
                 region_code=str(d["region_code"]),
                 training_type=TrainingType(d["training_type"]), occupation=str(d["occupation"]),
                 fee_charged=fen(d["fee_charged"]), planned_hours=Decimal(str(d["planned_hours"])),
                 institution_id=str(d["institution_id"]))


def _attendance(d: Mapping[str, Any]) -> Attendance:
    sessions: list[Session] = []
    for entry in d["sessions"]:
        first: date = entry.get("from", entry.get("date"))
        for offset in range(entry.get("days", 1)):
            sessions.append(Session(date=first + timedelta(days=offset),
                                    hours=Decimal(str(entry.get("hours", 8))),
                                    in_person=not entry.get("online", False),
                                    status=AttendanceStatus(entry.get("status", "present"))))
    return Attendance(tuple(sessions), withdrew=d.get("withdrew", False))


def _completion(d: Mapping[str, Any]) -> Completion:
    kind = d.get("certificate")
    return Completion(passed=d["passed"],
                      certificate_type=None if kind is None else CertificateType(kind),
                      level=None if d.get("level") is None else Level(d["level"]),
                      certificate_date=d.get("certificate_date"))


def _earlier(d: Mapping[str, Any]) -> EarlierSubsidy:
    return EarlierSubsidy(kind=SubsidyKind(d["kind"]), occupation=str(d["occupation"]),
                          level=None if d.get("level") is None else Level(d["level"]),
                          certificate_date=d.get("certificate_date"),
                          batch_end_date=d["batch_end"], status=DecisionStatus(d["status"]),
                          granted=d.get("granted", True))


def _parameters(overrides: Any) -> Parameters:
    province: dict[str, list[DatedValue]] = {
        s.key: [DatedValue(s.effective_from, _typed(s.key, s.default), f"36:{s.key}:default")]
        for s in SPECS.values()}
    cities: dict[str, dict[str, list[DatedValue]]] = {}
    for o in overrides:
        key, scope = o["key"], str(o.get("city", PROVINCE))
        since = o.get("from", SPECS[key].effective_from)
        value = fen(o["yuan"]) if "yuan" in o else _typed(key, o["value"])
        table = province if scope == PROVINCE else cities.setdefault(scope, {})
        dated = [v for v in table.get(key, []) if v.effective_from != since]
        table[key] = [*dated, DatedValue(since, value, f"{scope}:{key}:{since}")]
    return Parameters(province, cities)


def _typed(key: str, value: Any) -> int | Decimal:
    spec = SPECS[key]
    if spec.unit == "fen" and not isinstance(value, int):
        raise ValueError(f"{key}: write money as `yuan:`")
    return Decimal(str(value)) if spec.value_type == "decimal" else int(value)


def _expected(value: Any) -> Expected:
    if not isinstance(value, Mapping):
        value = {"amount": value}
    reasons = tuple(value.get("refused") or ())
    if reasons and value.get("amount", 0) != 0:
        raise ValueError("a refused subsidy has no amount")
    return Expected(amount=fen(value.get("amount", 0)), reasons=reasons,
                    payee=value.get("payee"), uses=value.get("uses") or {},
                    explains=tuple(value.get("explains") or ()))
