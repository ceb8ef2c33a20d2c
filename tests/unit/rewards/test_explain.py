"""The reward's explanations: the amount and how it was reached, each person apart (by their
place in the declaration, never by name or number), and every problem of a refused one."""

from __future__ import annotations

import json

from trainhub.rewards.engine import compute
from trainhub.rewards.explain import explain, explain_person, explain_trace
from trainhub.rewards.values import RewardResult

from .casefile import CASES, load_case


def _result(name: str) -> RewardResult:
    case = load_case(CASES / f"{name}.yaml")
    return compute(case.declaration, case.parameters)


def test_a_reward_says_the_amount_then_each_step() -> None:
    explained = explain(_result("01_worked_example"))
    assert explained.sentences == (
        "The over-quota employment reward for 2024 is 11,100.00 yuan, for 2 persons employed "
        "above the quota.",
        "4 persons are counted, of the 4 persons declared.",
        "The quota is the average staff count of 120 × 1.5% = 1.8 persons, not rounded.",
        "The persons counted exceed the quota by 4 − 1.8 = 2.2.",
        "An excess of 2.2 gives 2 rewarded persons: whole persons only.",
        "2 persons × 3 × the monthly minimum wage of 1,850.00 yuan (tier 1, in force on "
        "2023-12-31) = 11,100.00 yuan.",
    )


def test_dates_are_written_as_the_reader_writes_them() -> None:
    shown = explain(
        _result("01_worked_example"), show_date=lambda d: f"{d.year}年{d.month}月{d.day}日"
    )
    assert "(tier 1, in force on 2023年12月31日)" in shown.text


def test_a_person_not_counted_is_told_every_condition_missed() -> None:
    person = _result("37_several_exclusions_for_one_person").persons[0]
    explained = explain_person(person)
    assert explained.headline == "Person 1 is not counted."
    assert len(explained.details) == 4
    assert explained.details[-1].startswith("The monthly wage of 1,500.00 yuan is below")


def test_a_counted_person_says_what_they_count_as() -> None:
    person = _result("06_grade_one_counts_twice").persons[1]
    assert explain_person(person).sentences == (
        "Person 2 counts as 2.",
        "With a disability of grade 1, the employee counts as 2 persons.",
    )


def test_a_refusal_lists_every_problem_and_names_no_one() -> None:
    result = _result("49_every_problem_at_once")
    explained = explain(result)
    assert explained.headline.startswith("The declaration cannot be decided as it stands")
    assert len(explained.details) == 3
    assert "Persons 1, 2 are the same person" in explained.text
    assert '"A"' not in explained.text and " A " not in explained.text
    assert result.persons == () and result.amount == 0


def test_the_officers_trace_has_every_condition_met() -> None:
    sentences = explain_trace(_result("01_worked_example"))
    assert sum("valid throughout 2024" in s for s in sentences) == 4
    assert sentences[-1].endswith("= 11,100.00 yuan.")


def test_a_result_is_kept_as_plain_json_without_the_persons_keys() -> None:
    result = _result("11_expired_certificate")
    stored = json.loads(json.dumps(result.as_dict()))
    assert (stored["quota"], stored["excess"], stored["amount"]) == ("1.8", "1.2", 555000)
    assert stored["persons"][2]["exclusions"] == ["certificate_not_valid"]
    assert "person-3" not in json.dumps(stored)
    assert {p["key"] for p in stored["parameters"]} >= {
        "rewards.quota_percent",
        "rewards.multiple",
        "core.min_wage_tier1",
    }
