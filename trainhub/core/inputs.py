"""Request-wide input guards (SECURITY §1 入侵防范, §3 V5): what no page or operation
accepts is refused with a 400 and a message before a view sees it, so no view has to
remember it and no database error becomes a 500.

- a NUL character anywhere in the path, the query string or a form field (names and
  values, file names included): PostgreSQL text cannot hold one (SQLite can, so only
  PostgreSQL showed the 500s). In a JSON body the operation's schema refuses it on the
  field (api_fields.NO_NUL: a 422 naming the field);
- a JSON body nested deeper than any operation's input, or with a number longer than any
  field takes (Python refuses to convert more than 4,300 digits, and a ValueError that is
  not a JSONDecodeError escaped webargs as a 500);
- a number of more than 32 digits in the query string or a form (WTForms' NumberRange
  raised OverflowError past 309), and an integer in the query string or a form beyond the
  database's 32-bit ids and counts: views read them with `bounded_int` (never `type=int`,
  see tests/security).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from apiflask import APIFlask
from flask import request

from trainhub.core.errors import N_, DomainError

NUL = "\x00"
MAX_JSON_DEPTH = 32  # the deepest operation input is 4 levels (a claim with its sessions)
MAX_NUMBER_CHARS = 32  # 64-bit fen are 19 digits; a decimal gets room for its places
DB_INT_MAX = 2**31 - 1  # ids, years, counts: 32-bit integers on PostgreSQL


class BadInput(DomainError):
    """A request no field accepts: a 400 with the reason, in the asker's language and
    format (an error page, or the API's JSON error)."""


def _refuse_nul() -> None:
    raise BadInput(N_("The request contains a NUL character (\\0), which no field accepts."))


def bounded_int(text: str) -> int:
    """The `type=` of request.args/form `.get` for an id, a year or a count: text that is
    not a whole number gives the default (as `type=int` does); one beyond what the
    database stores is a 400 rather than an overflow in the query."""
    value = int(text)
    if abs(value) > DB_INT_MAX:
        raise BadInput(N_("A number in the request is out of range (at most %(limit)s)."),
                       limit=DB_INT_MAX)
    return value


def _has_nul(texts: Iterable[str | None]) -> bool:
    return any(text and NUL in text for text in texts)


def _too_long_a_number(values: Iterable[str]) -> bool:
    return any(len(value) > MAX_NUMBER_CHARS and value.strip().lstrip("+-").isdigit()
               for value in values)


def _check_values(keys: Iterable[str], values: list[str]) -> None:
    if _has_nul(keys) or _has_nul(values):
        _refuse_nul()
    # WTForms' NumberRange converts an integer to a float (OverflowError past 309 digits)
    if _too_long_a_number(values):
        raise BadInput(N_("A number in the request has more than %(limit)s digits."),
                       limit=MAX_NUMBER_CHARS)


def _check_fields() -> None:
    if NUL in request.path:
        _refuse_nul()
    args = request.args
    _check_values(args.keys(), [v for _, v in args.items(multi=True)])
    if request.method in ("GET", "HEAD", "OPTIONS") or request.is_json:
        return
    form, files = request.form, request.files
    _check_values(form.keys(), [v for _, v in form.items(multi=True)])
    if _has_nul(files.keys()) or _has_nul(f.filename for _, f in files.items(multi=True)):
        _refuse_nul()


# --- JSON ----------------------------------------------------------------------------------

def _number(text: str) -> str:
    if len(text) > MAX_NUMBER_CHARS:
        raise BadInput(N_("A number in the JSON has more than %(limit)s characters."),
                       limit=MAX_NUMBER_CHARS)
    return text


def _int(text: str) -> int:
    return int(_number(text))


def _float(text: str) -> float:
    value = float(_number(text))
    if not math.isfinite(value):
        raise BadInput(N_("A number in the JSON is too large."))
    return value


def _constant(text: str) -> Any:
    raise BadInput(N_("NaN and Infinity are not JSON numbers."))


def _walk(data: Any) -> None:
    """The depth, without recursion (the data may be hundreds of levels deep)."""
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)) and depth > MAX_JSON_DEPTH:
            raise BadInput(N_("The JSON is nested more than %(limit)s levels deep."),
                           limit=MAX_JSON_DEPTH)
        if isinstance(item, dict):
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)


def loads(text: str | bytes) -> Any:
    """json.loads within the limits above: raises BadInput beyond them, and
    json.JSONDecodeError (a ValueError) or UnicodeDecodeError on what is not JSON."""
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:  # the C parser gives up about a thousand levels down
        raise BadInput(N_("The JSON is nested more than %(limit)s levels deep."),
                       limit=MAX_JSON_DEPTH) from None
    _walk(data)
    return data


def _check_json() -> None:
    if not request.is_json:
        return
    body = request.get_data(cache=True)
    if not body:
        return
    try:
        loads(body)
    except (ValueError, UnicodeDecodeError):
        return  # not JSON at all: the operation's parser answers that with its own 400


def check_request() -> None:
    _check_fields()
    _check_json()


BAD_INPUT_RESPONSE = {
    "description": "The request holds a NUL character, JSON nested too deep or a number too "
                   "long, or an integer out of range (refused before any rule is checked)",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
}


def document(spec: dict[str, Any] | str) -> dict[str, Any] | str:
    """Every operation may answer the guards' 400: the operations without a 400 of their
    own (reads) get it in the OpenAPI document."""
    if isinstance(spec, str):
        return spec
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("400", BAD_INPUT_RESPONSE)
    return spec


def init_app(app: APIFlask) -> None:
    app.before_request(check_request)
    earlier = app.spec_callback  # the app's own processing of the document, then this
    app.spec_processor(lambda spec: document(earlier(spec) if earlier else spec))
