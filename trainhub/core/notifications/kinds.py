"""The kinds of notification and their templates, registered by the domain that announces
each state change (so the core names nothing of a domain).

A template may use only the parameters of PARAMETERS: facts about the thing that changed
(a course's or an event's title, a date, an amount, a rank), never about the person. An ID
number or a disability cannot reach a message through a parameter, and `check_params`
refuses a value that looks like an identity or certificate number all the same, should a
title be typed with one in it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext

from trainhub.core.i18n import local_date, money_fen

# name → how its value is kept (JSON) and shown
PARAMETERS: dict[str, str] = {
    "course": "text",  # a training batch's title
    "competition": "text",  # a competition's name
    "event": "text",  # a competition event's name
    "start": "date",  # ISO dates, shown in the reader's format
    "end": "date",
    "amount": "money",  # fen
    "rank": "int",
    "year": "int",  # the year a declaration or report is for
}
MAX_TEXT = 120
# 15 or more digits in a row (with an X at the end): an ID or certificate number
NUMBER_LIKE = re.compile(r"[0-9]{15,}|[0-9]{14,}[Xx]")


class UnknownKind(LookupError):
    pass


@dataclass(frozen=True)
class Kind:
    key: str
    title: str  # an English msgid
    body: str  # an English msgid with %(name)s placeholders of `params`
    params: tuple[str, ...]


KINDS: dict[str, Kind] = {}


def register(key: str, title: str, body: str, params: tuple[str, ...] = ()) -> Kind:
    """Declare a kind; its parameters must be among PARAMETERS (checked at start-up)."""
    unknown = set(params) - set(PARAMETERS)
    if unknown:
        raise ValueError(f"notification {key!r}: parameters {sorted(unknown)} are not "
                         "in the closed list core.notifications.kinds.PARAMETERS")
    kind = Kind(key, title, body, tuple(params))
    KINDS[key] = kind
    return kind


def kind_of(key: str) -> Kind:
    try:
        return KINDS[key]
    except KeyError:
        raise UnknownKind(key) from None


def check_params(kind: Kind, params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters as stored: exactly the kind's, each of its declared form."""
    if set(params) != set(kind.params):
        raise ValueError(f"notification {kind.key!r} takes {sorted(kind.params)}, "
                         f"got {sorted(params)}")
    checked: dict[str, Any] = {}
    for name, value in params.items():
        form = PARAMETERS[name]
        if form == "text":
            text = str(value)[:MAX_TEXT]
            if NUMBER_LIKE.search(text):
                raise ValueError(f"notification {kind.key!r}: {name} looks like a number "
                                 "that identifies a person")
            checked[name] = text
        elif form == "date":
            checked[name] = (value if isinstance(value, date)
                             else date.fromisoformat(str(value))).isoformat()
        else:  # money, int
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"notification {kind.key!r}: {name} must be an integer")
            checked[name] = value
    return checked


def _shown(name: str, value: Any) -> str:
    form = PARAMETERS.get(name)
    if form == "date":
        return local_date(date.fromisoformat(str(value)))
    if form == "money":
        return money_fen(int(value))
    return str(value)


def render(key: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """(title, body) in the current locale. A kind no longer registered (code removed
    since the row was written) still shows as a notification, without its text."""
    kind = KINDS.get(key)
    if kind is None:
        return gettext("Something changed"), gettext("Open the page to see what changed.")
    values = {name: _shown(name, params.get(name, "")) for name in kind.params}
    return gettext(kind.title), gettext(kind.body, **values)
