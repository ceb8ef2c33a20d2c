"""Explanations in plain language, in English msgids and in the Chinese catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel import support

from trainhub.subsidies.engine import compute
from trainhub.subsidies.explain import explain, explain_trace, join_sentences

from .casefile import CASES, load_case

TRANSLATIONS = Path(__file__).resolve().parents[3] / "trainhub" / "translations"


@pytest.fixture(scope="module")
def zh() -> support.Translations:
    catalog = support.Translations.load(str(TRANSLATIONS), ["zh_Hans_CN"])
    assert isinstance(catalog, support.Translations), "compile the catalog: scripts/i18n.sh compile"
    return catalog


def _results(name: str):
    case = load_case(CASES / f"{name}.yaml")
    return compute(case.claim, case.parameters)


def test_fee_subsidy_in_chinese(zh: support.Translations) -> None:
    text = explain(_results("10_attendance_exactly_80").fee, zh.gettext).text
    assert text.startswith("您的培训费补贴为 1,500.00 元，因为您取得了中级职业技能等级证书，"
                           "且出勤率达到 80%。")
    assert "计划 80 学时，您出勤 64 学时，出勤率为 80%" in text
    assert text.endswith("该补贴拨付给先行垫付培训费用的培训机构。")


def test_day_rule_in_chinese(zh: support.Translations) -> None:
    text = explain(_results("13_day_rule_cap_reached").fee, zh.gettext).text
    assert "您的培训费补贴为 900.00 元" in text
    assert "按天计算的补贴最高不超过补贴标准的 60%，即 900.00 元。" in text


def test_a_refusal_names_the_condition_in_chinese(zh: support.Translations) -> None:
    results = _results("22_man_turns_60_on_start_date")
    assert explain(results.fee, zh.gettext).text == (
        "您未获得培训费补贴。"
        "培训开班之日（2024-03-04）您已满 60 周岁；男性劳动年龄须未满 60 周岁。")
    # the reader's pages write dates as 2024年3月4日 (issue 12, item 8)
    shown = explain(results.fee, zh.gettext, lambda day: f"{day.year}年{day.month}月{day.day}日")
    assert "培训开班之日（2024年3月4日）您已满 60 周岁" in shown.text
    living = explain(_results("57_withdrew").living, zh.gettext)
    assert living.sentences == ("您未获得生活费补贴（含交通费）。",
                                "您中途退学；退学学员不发放生活费补贴。")


def test_a_family_members_refusal_says_why_in_chinese(zh: support.Translations) -> None:
    results = _results("72_family_member")
    why = "您作为残疾人家庭成员参加培训，不享受培训补贴和生活补贴。"
    assert explain(results.fee, zh.gettext).sentences == ("您未获得培训费补贴。", why)
    assert explain(results.living, zh.gettext).sentences == (
        "您未获得生活费补贴（含交通费）。", why)
    assert results.fee.trace[0].rule == "eligibility.family_member"


def test_living_allowance_in_chinese(zh: support.Translations) -> None:
    text = explain(_results("52_mixed_delivery").living, zh.gettext).text
    assert text.startswith("您的生活费补贴（含交通费）为 480.00 元，因为您参加面授培训 6 天。")
    assert "6 天 × 80.00 元（生活费 60.00 元、交通费 20.00 元）= 480.00 元。" in text


def test_every_step_of_a_trace_renders_in_both_languages(zh: support.Translations) -> None:
    for path in sorted(CASES.glob("[0-9]*.yaml")):
        case = load_case(path)
        results = compute(case.claim, case.parameters)
        for result in (results.fee, results.living):
            for english, chinese in zip(explain_trace(result), explain_trace(result, zh.gettext),
                                        strict=True):
                assert english != chinese, f"{path.stem}: untranslated {english!r}"
                assert "%(" not in chinese


def test_a_refusal_lists_every_failed_condition_in_english() -> None:
    explanation = explain(_results("33_two_conditions_fail").fee)
    assert explanation.headline == "You receive no training-fee subsidy."
    assert len(explanation.details) == 2
    assert "working age of men" in explanation.details[0]
    assert "not registered in Jiangxi" in explanation.details[1]


def test_sentences_are_joined_by_a_space_in_english_and_directly_in_chinese() -> None:
    assert join_sentences(["One.", "Two."]) == "One. Two."
    assert join_sentences(["一。", "二。"]) == "一。二。"


def test_results_serialise_for_storage() -> None:
    results = _results("62_parameter_changes_in_the_middle_of_the_batch")
    stored = json.loads(json.dumps(results.fee.as_dict(), ensure_ascii=False))
    assert stored["amount"] == 150000 and stored["payee"] == "institution"
    versions = {p["key"]: p for p in stored["parameters"]}
    assert versions["subsidies.fee_intermediate"] == {
        "key": "subsidies.fee_intermediate", "value": "150000", "effective_from": "2022-01-01",
        "version": "36:subsidies.fee_intermediate:default", "scope": "36"}
    assert stored["trace"][0]["rule"] == "eligibility.disability_certificate"
