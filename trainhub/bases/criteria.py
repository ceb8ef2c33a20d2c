"""Each certification criterion's answer against its threshold (DESIGN §3; the thresholds
are part of the criteria parameter, bases.criteria.*: a number's at_least / at_most, a
yes/no question's min 1). Pure: the criteria and the answers in, one result per criterion.

The application page shows every result to the applicant and to the reviewers: the answer,
the threshold, and 达标 / 未达标 (or no verdict where the criteria set no threshold, as
criteria entered before thresholds existed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True)
class Result:
    code: str
    question: str
    kind: str                   # number, boolean or text
    answer: str                 # as stored: a number's text, "yes" / "no", or text
    unit: str
    at_least: Decimal | None    # a number's threshold
    at_most: Decimal | None
    must_be_yes: bool           # a yes/no question's threshold
    passed: bool | None         # None: no threshold to compare with

    @property
    def has_threshold(self) -> bool:
        return self.at_least is not None or self.at_most is not None or self.must_be_yes


def _number(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def judge_one(criterion: Mapping[str, Any], answer: str) -> Result:
    kind = str(criterion.get("kind", "text"))
    at_least = _number(criterion.get("at_least")) if kind == "number" else None
    at_most = _number(criterion.get("at_most")) if kind == "number" else None
    must_be_yes = kind == "boolean" and criterion.get("min") == 1
    passed: bool | None = None
    if must_be_yes:
        passed = answer == "yes"
    elif at_least is not None or at_most is not None:
        value = _number(answer)
        passed = value is not None and (at_least is None or value >= at_least) and (
            at_most is None or value <= at_most)
    return Result(code=str(criterion["code"]), question=str(criterion["question"]), kind=kind,
                  answer=answer, unit=str(criterion.get("unit") or ""), at_least=at_least,
                  at_most=at_most, must_be_yes=must_be_yes, passed=passed)


def judge(criteria: Sequence[Mapping[str, Any]], answers: Mapping[str, str]) -> list[Result]:
    """One result per criterion, in the criteria's order."""
    return [judge_one(c, str(answers.get(str(c["code"]), ""))) for c in criteria]
