"""Reading the reward case files (cases/*.yaml) into engine inputs and expectations.

The format is described in cases/README.md; every case starts from cases/_defaults.yaml and
states only what differs. Amounts in the files are in yuan, converted here to fen exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from trainhub.core.parameters.defaults import CORE, REWARDS, SUBSIDIES
from trainhub.rewards.engine import TIERS_KEY, resolve
from trainhub.rewards.values import (
    Declaration,
    DeclaredPerson,
    RewardParameters,
    Sex,
    UsedParameter,
)
from trainhub.subsidies.values import PROVINCE, DatedValue, Parameters

CASES = Path(__file__).parent / "cases"
# The shipped values the reward reads: its own, the working age (DESIGN §5) and the
# minimum wage tiers. The county → tier table is written in a case as the county's tier.
SPECS = {
    spec.key: spec
    for spec in (*REWARDS, *SUBSIDIES, *CORE)
    if spec.key.startswith(("rewards.", "subsidies.working_age", "core.min_wage_tier"))
}


@dataclass(frozen=True)
class Expected:
    refused: tuple[str, ...]
    counted: int
    quota: Decimal | None
    excess: Decimal | None
    rewarded: int
    amount: int  # fen
    persons: Mapping[int, Mapping[str, Any]]
    uses: Mapping[str, Mapping[str, Any]]
    explains: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    declaration: Declaration
    parameters: RewardParameters
    expected: Expected


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
    person = {**defaults["person"], **case.get("person", {})}
    persons = tuple(
        _person(row, {**person, **entry}) for row, entry in enumerate(data["persons"], start=1)
    )
    declaration = Declaration(
        year=data["year"],
        staff=Decimal(str(data["staff"])),
        persons=persons,
        declared_on=data["declared_on"],
    )
    overrides = [*(defaults.get("parameters") or ()), *(case.get("parameters") or ())]
    table = _parameters(overrides)
    county = str(data["county"])

    def find(key: str, on: date) -> UsedParameter:
        return table.in_force(key, on, county)

    return Case(
        path.stem,
        case["title"],
        declaration,
        resolve(declaration.year, find),
        _expected(case["expected"]),
    )


def _person(row: int, d: Mapping[str, Any]) -> DeclaredPerson:
    return DeclaredPerson(
        key=str(d.get("key", f"person-{row}")),
        sex=Sex(d["sex"]),
        birth_date=d["birth_date"],
        grade=int(d["grade"]),
        certificate_valid_from=d["certificate_valid_from"],
        certificate_valid_until=d["certificate_valid_until"],
        contract_start=d["contract_start"],
        contract_end=d["contract_end"],
        insurance_months=int(d["insurance_months"]),
        monthly_wage=fen(d["monthly_wage"]),
    )


def _parameters(overrides: Any) -> Parameters:
    province: dict[str, list[DatedValue]] = {
        key: [DatedValue(s.effective_from, _typed(key, s.default), f"36:{key}:default")]
        for key, s in SPECS.items()
        if key != TIERS_KEY
    }
    # The shipped table lists no county: every county has tier 3.
    province[TIERS_KEY] = [DatedValue(date(2021, 4, 1), 3, f"36:{TIERS_KEY}:default")]
    cities: dict[str, dict[str, list[DatedValue]]] = {}
    for o in overrides:
        key, scope = o["key"], str(o.get("city", PROVINCE))
        since = o.get("from", date(2021, 4, 1) if key == TIERS_KEY else SPECS[key].effective_from)
        value = fen(o["yuan"]) if "yuan" in o else _typed(key, o["value"])
        table = province if scope == PROVINCE else cities.setdefault(scope, {})
        dated = [v for v in table.get(key, []) if v.effective_from != since]
        table[key] = [*dated, DatedValue(since, value, f"{scope}:{key}:{since}")]
    return Parameters(province, cities)


def _typed(key: str, value: Any) -> int | Decimal:
    if key == TIERS_KEY:
        return int(value)
    spec = SPECS[key]
    if spec.unit == "fen" and not isinstance(value, int):
        raise ValueError(f"{key}: write money as `yuan:`")
    return Decimal(str(value)) if spec.value_type == "decimal" else int(value)


def _expected(value: Mapping[str, Any]) -> Expected:
    refused = tuple(value.get("refused") or ())
    if refused and set(value) - {"refused", "explains"}:
        raise ValueError("a refused declaration has no figures")

    def number(name: str) -> Decimal | None:
        return None if name not in value else Decimal(str(value[name]))

    return Expected(
        refused=refused,
        counted=int(value.get("counted", 0)),
        quota=number("quota"),
        excess=number("excess"),
        rewarded=int(value.get("rewarded", 0)),
        amount=fen(value.get("amount", 0)),
        persons={int(row): p for row, p in (value.get("persons") or {}).items()},
        uses=value.get("uses") or {},
        explains=tuple(value.get("explains") or ()),
    )
