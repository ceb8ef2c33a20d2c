"""Request fields that accept exactly what the OpenAPI document promises, for every domain's
API.

Marshmallow is lenient where JSON Schema is not: it reads "5" and 5.5 as integers, 1 and
"yes" as booleans, "20260302" and "2026-W10-1" as dates, and a pattern checked with
`re.match` lets a trailing newline through `$`. A client (or the conformance fuzzer) relying
on the document must get a 422 for anything the document refuses, so these fields are
strict."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from apiflask.fields import AwareDateTime, Boolean, Date, Integer, String
from apiflask.validators import Length, OneOf, Range, Regexp
from marshmallow import ValidationError

MAX_ID = 2**31 - 1  # row ids are 32-bit on PostgreSQL
# Amounts of one decision or payment are 32-bit integers: ¥21,474,836.47 at most.
MAX_FEN = 2**31 - 1


class FullMatch(Regexp):
    """A pattern the whole value must match (JSON Schema semantics), documented as such."""

    def __call__(self, value: Any) -> Any:
        pattern = cast("re.Pattern[str]", self.regex)
        if not isinstance(value, str) or pattern.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


# PostgreSQL cannot store NUL, and an unpaired surrogate (JSON "\ud800") cannot be encoded
# for it: refuse both at the door (422) rather than fail in the database. Only the NUL rule is
# a documented pattern; surrogates are no characters a JSON Schema pattern can name portably.
NO_NUL = FullMatch(r"^[^\x00]*$", error="NUL characters are not allowed.")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
REGION = FullMatch(r"^36([0-9]{2})?$", error="36 for the province, or a 4-digit city code.")
COUNTY = FullMatch(r"^36[0-9]{4}$", error="A Jiangxi county code (6 digits).")
ANY_REGION = FullMatch(r"^36([0-9]{2}){0,2}$",
                       error="A Jiangxi region code: 36, a city or a county.")


def encodable(value: str) -> None:
    if _SURROGATE.search(value):
        raise ValidationError("Unpaired surrogates are not allowed.")


def text(max_length: int, *, min_length: int = 0, **kwargs: Any) -> String:
    return String(validate=[Length(min=min_length, max=max_length), NO_NUL, encodable],
                  **kwargs)


def one_of(values: Sequence[str], **kwargs: Any) -> String:
    return String(validate=OneOf(list(values)), **kwargs)


class WholeNumber(Integer):
    """A JSON integer: 3 or 3.0 (JSON Schema counts both), never "3", 3.5 or true, which
    marshmallow would read as 3, 3 and 1."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if isinstance(value, bool) or not whole:
            raise self.make_error("invalid", input=value)
        return super()._deserialize(int(value), attr, data, **kwargs)


def integer(low: int, high: int, **kwargs: Any) -> Integer:
    return WholeNumber(validate=Range(min=low, max=high), **kwargs)


def row_id(**kwargs: Any) -> Integer:
    return integer(1, MAX_ID, **kwargs)


def fen(low: int = 0, high: int = MAX_FEN, **kwargs: Any) -> Integer:
    return integer(low, high, **kwargs)


class StrictBoolean(Boolean):
    """true or false, nothing else (1 == True in Python, so `truthy` cannot do this)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class StrictDate(Date):
    """An RFC 3339 full-date, YYYY-MM-DD."""

    SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        if not isinstance(value, str) or not self.SHAPE.fullmatch(value):
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        return super()._deserialize(value, attr, data, **kwargs)


class StrictDateTime(AwareDateTime):
    """An RFC 3339 date-time with its offset (Z or ±hh:mm); a time without one is refused,
    since a session's time means nothing without its zone."""

    SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}"
                       r"(\.[0-9]{1,6})?([Zz]|[+-][0-9]{2}:[0-9]{2})")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if not isinstance(value, str) or not self.SHAPE.fullmatch(value):
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        return super()._deserialize(value.upper(), attr, data, **kwargs)


def decimal_text(pattern: str, example: str, description: str, **kwargs: Any) -> String:
    """A decimal as a string ("7.5"): exact, unlike a JSON number."""
    return String(validate=FullMatch(pattern, error=f"Write it like {example}."),
                  metadata={"description": description, "example": example}, **kwargs)


HOURS_PATTERN = r"^[0-9]{1,2}(\.[0-9]{1,2})?$"


def hours_text(**kwargs: Any) -> String:
    """Teaching hours as a decimal string ("7.5", "8.00")."""
    return String(validate=FullMatch(HOURS_PATTERN, error="Hours are written like 7.5."),
                  metadata={"description": "Decimal hours as a string, at most two decimals",
                            "example": "7.50"}, **kwargs)
