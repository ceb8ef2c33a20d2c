"""A decision's trace as stored (pure): compact, and read back as the engine's steps.

A step is stored as `[rule, variant, args, parameters]`: the rule's name, the index of the
sentence it said among the rule's variants (`engine.RULES`: outcome, msgid, refusal reason),
its raw values as JSON (dates as ISO text, decimals as text) and the indexes of the parameter
versions it used in the decision's own list of them (`SubsidyResult.parameter_versions`,
stored once per decision). Its text is written by the rule's form when shown, with the same
code as for a fresh result. A trace stored before (each step in full: `Step.as_dict()`) is
still read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from trainhub.subsidies.engine import (
    RULES,
    Message,
    Outcome,
    Payee,
    Reason,
    Step,
    SubsidyKind,
    SubsidyResult,
    UsedParameter,
)


def _json(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode(result: SubsidyResult,
           versions: Sequence[UsedParameter] | None = None) -> list[list[Any]]:
    """The compact trace of a result (`parameter_versions()` is the list it indexes; pass
    it when already at hand)."""
    if versions is None:
        versions = result.parameter_versions()
    index = {id(p): i for i, p in enumerate(versions)}
    by_key = {p.key: i for i, p in enumerate(versions)}
    stored = []
    for step in result.trace:
        variant = RULES[step.rule].variant_of(step)
        used = [index[id(p)] if id(p) in index else by_key[p.key] for p in step.parameters]
        stored.append([step.rule, variant,
                       [a if a is None or isinstance(a, str | int) else _json(a)
                        for a in step.args], used])
    return stored


def _number(text: str) -> int | Decimal:
    try:
        return int(text)
    except ValueError:
        return Decimal(text)


def used_parameter(raw: Mapping[str, str]) -> UsedParameter:
    """A parameter version as `UsedParameter.as_dict()` stores it."""
    return UsedParameter(raw["key"], _number(raw["value"]),
                         date.fromisoformat(raw["effective_from"]), raw["version"],
                         raw["scope"])


def _full(raw: Mapping[str, Any]) -> Step:
    """A step stored in full (`Step.as_dict()`), before traces were compact."""
    return Step.given(
        raw["rule"], Outcome(raw["outcome"]),
        Message(raw["msgid"], dict(raw.get("params") or {}), dict(raw.get("terms") or {})),
        dict(raw.get("inputs") or {}),
        tuple(used_parameter(p) for p in raw.get("parameters") or ()),
        Reason(raw["reason"]) if raw.get("reason") else None)


def decode(trace: Sequence[Any], parameters: Sequence[Mapping[str, str]]) -> tuple[Step, ...]:
    """The steps of a stored trace; `parameters`: the decision's parameter versions."""
    used = [used_parameter(p) for p in parameters]
    steps = []
    for raw in trace:
        if isinstance(raw, Mapping):
            steps.append(_full(raw))
            continue
        name, variant, args, indexes = raw
        rule = RULES[name]
        steps.append(rule.step(variant, tuple(args), tuple(used[i] for i in indexes)))
    return tuple(steps)


def result(kind: str, eligible: bool, amount: int, payee: str, reasons: Sequence[str],
           trace: Sequence[Any], parameters: Sequence[Mapping[str, str]]) -> SubsidyResult:
    """The engine's answer as a decision keeps it."""
    return SubsidyResult(SubsidyKind(kind), eligible, amount, Payee(payee),
                         tuple(Reason(r) for r in reasons), decode(trace, parameters))
