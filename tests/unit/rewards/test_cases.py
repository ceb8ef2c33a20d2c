"""Every case file in cases/ (written as domain staff would) gives the reward it expects."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from trainhub.rewards.engine import compute
from trainhub.rewards.explain import explain, explain_person
from trainhub.rewards.values import RewardResult

from .casefile import case_paths, fen, load_case


def test_there_are_at_least_thirty_cases() -> None:
    assert len(case_paths()) >= 30


@pytest.mark.parametrize("path", case_paths(), ids=lambda p: p.stem)
def test_case(path: Path) -> None:
    case = load_case(path)
    expected = case.expected
    result = compute(case.declaration, case.parameters)
    label = f"{case.name} ({case.title})"
    assert sorted(r.value for r in result.refusals) == sorted(expected.refused), label
    assert result.accepted is not bool(expected.refused), label
    assert result.counted == expected.counted, label
    if expected.quota is not None:
        assert result.quota == expected.quota, label
    if expected.excess is not None:
        assert result.excess == expected.excess, label
    assert result.rewarded == expected.rewarded, label
    assert result.amount == expected.amount, label
    if result.accepted:
        assert result.amount == (
            result.rewarded * case.parameters.multiple * case.parameters.minimum_wage
        ), label
    for row, wanted in expected.persons.items():
        person = result.persons[row - 1]
        excluded = sorted(wanted.get("excluded") or ())
        assert sorted(e.value for e in person.exclusions) == excluded, f"{label}, person {row}"
        assert person.weight == wanted.get("weight", 0), f"{label}, person {row}"
    _uses(label, result, expected.uses)
    text = " ".join([explain(result).text, *(explain_person(p).text for p in result.persons)])
    for phrase in expected.explains:
        assert phrase in text, f"{label}: {phrase!r} not in {text!r}"


def _uses(label: str, result: RewardResult, uses: Mapping[str, Mapping[str, Any]]) -> None:
    used = {p.key: p for p in result.parameter_versions()}
    for key, wanted in uses.items():
        assert key in used, f"{label}: {key} not used"
        if "from" in wanted:
            assert used[key].effective_from == wanted["from"], f"{label}: {key}"
        if "yuan" in wanted:
            assert used[key].value == fen(wanted["yuan"]), f"{label}: {key}"
        if "value" in wanted:
            assert str(used[key].value) == str(wanted["value"]), f"{label}: {key}"
