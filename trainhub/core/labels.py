"""Template filters that show a code's label (a lazy msgid) in the reader's language.

A table of a thousand rows shows the same few statuses a thousand times; translating a lazy
string costs a catalogue lookup through Flask-Babel's context each time (issue 13: 870
lookups were a third of the attendance sheet's rendering). So each label is translated once
per rendering of a template, and the table's other cells reuse the text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

CACHE = "_trainhub_labels"


def label_filter(table: Mapping[Any, Any], *, empty: str | None = "") -> Callable[..., Any]:
    """A filter: `code` → its label from `table` as text, or the code itself when the table
    has none. With `empty` given (default ""), a falsy code shows as `empty`."""
    @pass_context
    def label(context: Context, code: Any) -> Any:
        if empty is not None and not code:
            return empty
        # one rendering runs under one locale (force_locale wraps a whole e-mail), so the
        # rendering's context is where a translation may be kept
        cache: dict[tuple[int, Any], Any] = context.__dict__.setdefault(CACHE, {})
        key = (id(table), code)
        try:
            return cache[key]
        except KeyError:
            found = cache[key] = _text(table.get(code, code))
            return found
    return label


def translated(context: Context, value: Any) -> Any:
    """A label already chosen (a lazy msgid) as text, translated once per rendering."""
    if not hasattr(value, "_func"):
        return value
    cache: dict[tuple[Any, ...], Any] = context.__dict__.setdefault(CACHE, {})
    key = ("lazy", value._args, tuple(sorted(value._kwargs.items())))
    try:
        return cache[key]
    except KeyError:
        found = cache[key] = str(value)
        return found


def _text(value: Any) -> Any:
    """A lazy string as the text it reads as now; anything else (a code) unchanged."""
    return str(value) if hasattr(value, "_func") else value
