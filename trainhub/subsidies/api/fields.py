"""Request fields that accept exactly what the OpenAPI document promises.

Marshmallow is lenient where JSON Schema is not: it reads "5" and 5.5 as integers, 1 and
"yes" as booleans, "20260302" as a date, and a pattern checked with `re.match` lets a
trailing newline through `$`. A client (or the conformance fuzzer) relying on the document
must get a 422 for anything the document refuses, so these fields are strict."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from apiflask.fields import Boolean, Date, Integer, String
from apiflask.validators import Length, OneOf, Range, Regexp
from marshmallow import ValidationError

MAX_ID = 2**31 - 1  # row ids are 32-bit on PostgreSQL
# Amount columns are 32-bit integers too: ¥21,474,836.47 is the most one can hold.
MAX_FEN = 2**31 - 1


class FullMatch(Regexp):
    """A pattern the whole value must match (JSON Schema semantics), documented as such."""

    def __call__(self, value: Any) -> Any:
        pattern = cast("re.Pattern[str]", self.regex)
        if not isinstance(value, str) or pattern.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


# PostgreSQL cannot store NUL, and an unpaired surrogate (JSON "\ud800") cannot be encoded
# for it: refuse both at the door (422) rather than fail in the database.
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
    """A JSON integer: 3 or 3.0 (JSON Schema counts both), never "3", 3.5 or true."""

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


def decimal_text(pattern: str, example: str, description: str, **kwargs: Any) -> String:
    """A decimal as a string ("7.5"): exact, unlike a JSON number."""
    return String(validate=FullMatch(pattern, error=f"Write it like {example}."),
                  metadata={"description": description, "example": example}, **kwargs)
