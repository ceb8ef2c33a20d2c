"""Every case file in cases/ (written as domain staff would) gives the amounts it expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainhub.subsidies.engine import Payee, compute
from trainhub.subsidies.explain import explain

from .casefile import case_paths, load_case

PAYEES = {"fee": Payee.INSTITUTION, "living": Payee.TRAINEE}


def test_there_are_at_least_forty_cases() -> None:
    assert len(case_paths()) >= 40


@pytest.mark.parametrize("path", case_paths(), ids=lambda p: p.stem)
def test_case(path: Path) -> None:
    case = load_case(path)
    results = compute(case.claim, case.parameters)
    for kind, expected in case.expected.items():
        result = getattr(results, kind)
        label = f"{case.name} ({case.title}), {kind}"
        assert sorted(r.value for r in result.reasons) == sorted(expected.reasons), label
        assert result.eligible is not bool(expected.reasons), label
        assert result.amount == expected.amount, label
        assert result.payee is Payee(expected.payee or PAYEES[kind]), label
        used = {p.key: p for p in result.parameter_versions()}
        for key, wanted in expected.uses.items():
            assert key in used, f"{label}: {key} not used"
            if "from" in wanted:
                assert used[key].effective_from == wanted["from"], f"{label}: {key}"
            if "scope" in wanted:
                assert used[key].scope == str(wanted["scope"]), f"{label}: {key}"
        text = explain(result).text
        for phrase in expected.explains:
            assert phrase in text, f"{label}: {phrase!r} not in {text!r}"
