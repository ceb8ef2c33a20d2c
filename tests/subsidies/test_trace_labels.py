"""Every rule and input a decision's trace can show has a name for the reader: the trace
showed paid_days (issue 12, item 8)."""

from __future__ import annotations

from tests.unit.subsidies.casefile import case_paths, load_case
from trainhub.subsidies.display import INPUT_LABELS, RULE_LABELS
from trainhub.subsidies.engine import compute


def test_every_rule_and_input_of_the_case_files_traces_has_a_label() -> None:
    rules, inputs = set(), set()
    for path in case_paths():
        case = load_case(path)
        results = compute(case.claim, case.parameters)
        for kind in case.expected:
            for step in getattr(results, kind).trace:
                rules.add(step.rule)
                inputs.update(step.inputs)
    assert inputs and rules
    assert sorted(inputs - set(INPUT_LABELS)) == []
    assert sorted(rules - set(RULE_LABELS)) == []
