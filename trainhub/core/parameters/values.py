"""Parsing and checking parameter values: pure functions, no Flask, no database.

Values are stored as text and parsed by the parameter's type: `int`, `Decimal` (never a
float), text, or JSON whose numbers must be whole (amounts are in fen, rates in percent).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from trainhub.core.errors import N_, DomainError

Value = int | Decimal | str | dict[str, Any] | list[Any]

NUMERIC_UNITS = frozenset({"days", "months", "years", "age", "hours", "points", "fen",
                           "percent", "count", "mb"})
UNITS = NUMERIC_UNITS | {""}
MAX_TEXT = 20_000
# Whole numbers fit 64 bits (Python refuses to read more than 4,300 digits with a
# ValueError the callers did not expect: a 500).
MAX_DIGITS = 18

_INT = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_YUAN = re.compile(r"[0-9]+(\.[0-9]{1,2})?")
_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")


class InvalidValue(DomainError):
    """The value typed does not fit the parameter; `field` names the form input."""

    field = "value"


# --- parsing -------------------------------------------------------------------------

def _whole_numbers_only(text: str) -> int:
    raise InvalidValue(N_("Numbers inside a JSON value must be whole numbers (amounts in fen, "
                          "rates in percent)."))


def _too_many_digits() -> InvalidValue:
    return InvalidValue(N_("A number may have at most %(limit)s digits."), limit=MAX_DIGITS)


def _whole_number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _too_many_digits()
    return int(text)


def _no_constants(text: str) -> Any:
    raise InvalidValue(N_("NaN and Infinity are not allowed in a JSON value."))


def parse_int(text: str) -> int:
    text = text.strip()
    if not _INT.fullmatch(text):
        raise InvalidValue(N_("Enter a whole number, such as 7."))
    if len(text.lstrip("+-")) > MAX_DIGITS:
        raise _too_many_digits()
    return int(text)


def parse_decimal(text: str) -> Decimal:
    text = text.strip()
    if not _DECIMAL.fullmatch(text):
        raise InvalidValue(N_("Enter a number, such as 12.5."))
    if len(text.lstrip("+-").replace(".", "")) > MAX_DIGITS:
        raise _too_many_digits()
    return Decimal(text)


def parse_json(text: str) -> Any:
    try:
        return json.loads(text, parse_int=_whole_number, parse_float=_whole_numbers_only,
                          parse_constant=_no_constants)
    except json.JSONDecodeError as error:
        raise InvalidValue(N_("This is not valid JSON (line %(line)s, column %(column)s): "
                              "check the brackets, quotes and commas."),
                           line=error.lineno, column=error.colno) from None
    except RecursionError:  # brackets nested thousands deep: no parameter is shaped so
        raise InvalidValue(N_("This JSON is nested too deeply to be a parameter value.")) \
            from None


def parse(value_type: str, text: str) -> Value:
    """Stored text → value. Raises InvalidValue on text that does not fit the type."""
    if value_type == "int":
        return parse_int(text)
    if value_type == "decimal":
        return parse_decimal(text)
    if value_type == "json":
        return parse_json(text)
    return text


def to_text(value_type: str, value: Value) -> str:
    """Value → the canonical stored text."""
    if value_type == "json":
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def pretty(value_type: str, value: Value) -> str:
    """Value → text for a form field (JSON indented)."""
    if value_type == "json":
        return json.dumps(value, ensure_ascii=False, indent=2)
    return to_text(value_type, value)


# --- money ---------------------------------------------------------------------------

def yuan_to_fen(text: str) -> int:
    """'1,200.5' yuan → 120050 fen, exactly; more than two decimals is refused."""
    cleaned = (text or "").strip().replace(",", "").replace("，", "").lstrip("¥￥").strip()
    if not _YUAN.fullmatch(cleaned):
        raise InvalidValue(N_("Enter an amount in yuan with at most two decimals, such as "
                              "1200 or 1200.50."))
    return int(Decimal(cleaned) * 100)


def fen_to_yuan(fen: int) -> str:
    return format(Decimal(fen) / 100, ".2f")


# --- checks --------------------------------------------------------------------------

def _bound(constraints: Mapping[str, Any], name: str) -> Decimal | None:
    raw = constraints.get(name)
    if raw is None:
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def check_range(unit: str, constraints: Mapping[str, Any], number: int | Decimal) -> None:
    if unit in NUMERIC_UNITS and number < 0:
        raise InvalidValue(N_("The value cannot be negative."))
    if unit == "percent" and number > 100:
        raise InvalidValue(N_("A percentage must be between 0 and 100."))
    low, high = _bound(constraints, "min"), _bound(constraints, "max")
    if low is not None and number < low:
        raise InvalidValue(N_("The value must be at least %(min)s."), min=low)
    if high is not None and number > high:
        raise InvalidValue(N_("The value must be at most %(max)s."), max=high)


def check(value_type: str, unit: str, constraints: Mapping[str, Any], text: str) -> str:
    """Validate typed text for a parameter; return the canonical text to store."""
    text = (text or "").strip()
    if not text:
        raise InvalidValue(N_("Enter a value."))
    if len(text) > MAX_TEXT:
        raise InvalidValue(N_("The value is too long."))
    value = parse(value_type, text)
    if isinstance(value, int | Decimal):
        check_range(unit, constraints, value)
    shape = constraints.get("shape")
    if value_type == "json" and shape:
        SHAPES[shape](value, constraints)
    return to_text(value_type, value)


# --- shapes of JSON values -----------------------------------------------------------

def _whole(value: Any, minimum: int = 0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _list_of_objects(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        raise InvalidValue(N_("The value must be a non-empty JSON list of objects."))
    return value


def check_score_sheet(value: Any, constraints: Mapping[str, Any]) -> None:
    """[{item, max_points}] with distinct items; points add up to the sheet's total."""
    items = _list_of_objects(value)
    if not all(_text(i.get("item")) and _whole(i.get("max_points"), 1) for i in items):
        raise InvalidValue(N_("Each item of the score sheet needs a name (“item”) and a whole "
                              "number of points above zero (“max_points”)."))
    if len({i["item"].strip() for i in items}) != len(items):
        raise InvalidValue(N_("Each item of the score sheet must have a different name."))
    total, expected = sum(i["max_points"] for i in items), int(constraints.get("total", 100))
    if total != expected:
        raise InvalidValue(N_("The points of the score sheet must add up to %(expected)s "
                              "(now %(total)s)."), expected=expected, total=total)


CRITERION_KINDS = ("number", "boolean", "text")


def _criterion_ok(c: dict[str, Any]) -> bool:
    if not (isinstance(c.get("code"), str) and _CODE.fullmatch(c["code"])):
        return False
    if not _text(c.get("question")) or c.get("kind") not in CRITERION_KINDS:
        return False
    if not isinstance(c.get("unit", ""), str) or "min" not in c:
        return False
    if c["kind"] == "number":
        # at_least / at_most: the threshold of the criterion (bases.criteria.judge), optional
        return (_whole(c["min"]) and (c.get("max") is None or _whole(c["max"], c["min"]))
                and all(_threshold_ok(c.get(key)) for key in ("at_least", "at_most")))
    if "at_least" in c or "at_most" in c:
        return False
    if c["kind"] == "boolean":  # min 1: the answer must be yes
        return c["min"] is None or (_whole(c["min"]) and c["min"] == 1)
    return c["min"] is None


def _threshold_ok(value: Any) -> bool:
    return value is None or _whole(value)


def check_criteria(value: Any, constraints: Mapping[str, Any]) -> None:
    """[{code, question, kind, unit, min[, max][, at_least][, at_most]}]: a number's min is a
    whole number; at_least and at_most, a number's threshold, are whole numbers."""
    items = _list_of_objects(value)
    if not all(_criterion_ok(c) for c in items):
        raise InvalidValue(N_("Each criterion needs a code (lower-case letters, digits and _), "
                              "a question, a kind (number, boolean or text), a unit and a "
                              "minimum: a whole number for a number, 1 or null for yes/no "
                              "(1: the answer must be yes), null for text. A number may have "
                              "a threshold to meet, “at_least” or “at_most” (a whole "
                              "number)."))
    if len({c["code"] for c in items}) != len(items):
        raise InvalidValue(N_("Each criterion must have a different code."))


def _band_ok(b: dict[str, Any]) -> bool:
    awards = b.get("awards")
    upper = b.get("max_entries")
    return (_whole(b.get("min_entries"), 1) and (upper is None or _whole(upper, b["min_entries"]))
            and isinstance(awards, list) and bool(awards) and all(_text(a) for a in awards))


def check_award_bands(value: Any, constraints: Mapping[str, Any]) -> None:
    """[{min_entries, max_entries|null, awards: [...]}], ranges not overlapping."""
    bands = _list_of_objects(value)
    if not all(_band_ok(b) for b in bands):
        raise InvalidValue(N_("Each award band needs “min_entries” (a whole number, at least 1), "
                              "“max_entries” (a whole number or null) and a non-empty list of "
                              "“awards”."))
    ordered = sorted(bands, key=lambda b: b["min_entries"])
    for lower, upper in zip(ordered, ordered[1:], strict=False):
        if lower["max_entries"] is None or lower["max_entries"] >= upper["min_entries"]:
            raise InvalidValue(N_("Award bands must not overlap."))


_COUNTY = re.compile(r"36[0-9]{4}")


def check_wage_tiers(value: Any, constraints: Mapping[str, Any]) -> None:
    """[{tier: 1 or 2, counties: [6-digit codes]}]: each tier once, each county in one tier
    (the counties not listed have tier 3)."""
    items = _list_of_objects(value)
    if not all(i.get("tier") in (1, 2) and not isinstance(i.get("tier"), bool)
               and isinstance(i.get("counties"), list)
               and all(isinstance(c, str) and _COUNTY.fullmatch(c) for c in i["counties"])
               for i in items):
        raise InvalidValue(N_("Each item needs a “tier” (1 or 2) and a list of “counties” "
                              "(6-digit codes of counties of Jiangxi, such as \"360102\")."))
    counties = [c for i in items for c in i["counties"]]
    if len({i["tier"] for i in items}) != len(items) or len(set(counties)) != len(counties):
        raise InvalidValue(N_("Each tier may be listed once, and each county in one tier."))


def wage_tier(tiers: Any, county: str) -> int:
    """The tier of a county in a core.min_wage_tiers value: 3 when it is not listed."""
    return next((int(i["tier"]) for i in tiers if county in i["counties"]), 3)


SHAPES: dict[str, Callable[[Any, Mapping[str, Any]], None]] = {
    "score_sheet": check_score_sheet,
    "criteria": check_criteria,
    "award_bands": check_award_bands,
    "wage_tiers": check_wage_tiers,
}
