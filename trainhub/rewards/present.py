"""A stored declaration's result in the reader's language: the engine's messages are kept
in its trace (msgid and values), so the explanation is rendered when shown, with the same
sentences `explain` gives a fresh result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from trainhub.core.i18n import local_date
from trainhub.rewards import explain
from trainhub.rewards.values import Message, Outcome
from trainhub.subsidies.explain import render
from trainhub.subsidies.values import format_yuan


@dataclass(frozen=True)
class Shown:
    headline: str
    details: tuple[str, ...]


def _sentence(step: dict[str, Any]) -> str:
    message = Message(step["msgid"], step.get("params") or {}, step.get("terms") or {})
    return render(message, gettext, local_date)


def result(stored: dict[str, Any] | None) -> Shown | None:
    """The amount and how it was reached (None before the declaration was decided)."""
    if not stored:
        return None
    values = {"year": str(stored["year"]), "amount": format_yuan(int(stored["amount"])),
              "rewarded": str(stored["rewarded"])}
    headline = gettext(explain.REWARDED if stored["rewarded"] else explain.NOT_REWARDED,
                       **values)
    return Shown(headline, tuple(_sentence(s) for s in stored["trace"]))


def persons(stored: dict[str, Any] | None) -> dict[int, Shown]:
    """Each declared person by row: counted as how many, or every condition not met."""
    shown: dict[int, Shown] = {}
    for person in (stored or {}).get("persons", []):
        values = {"row": str(person["row"]), "weight": str(person["weight"])}
        counted = not person["exclusions"]
        wanted = Outcome.APPLIED.value if counted else Outcome.FAILED.value
        headline = gettext(explain.COUNTED if counted else explain.NOT_COUNTED, **values)
        shown[person["row"]] = Shown(headline, tuple(
            _sentence(s) for s in person["trace"] if s["outcome"] == wanted))
    return shown
