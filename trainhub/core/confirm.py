"""A confirmation step for what cannot be undone, the same everywhere and without
JavaScript: the first POST of the action (without `confirmed=1`) is answered with a page
that says what will happen, carries the posted values on, and offers 确认 (the same POST,
now with `confirmed=1`) and 返回 (a link back). Only the confirmed POST acts.

    if not confirm.confirmed():
        return confirm.ask(Confirmation(heading=..., effects=[...], back=url))
    attempt(...)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import render_template, request

CONFIRMED = "confirmed"
NOT_CARRIED = frozenset({"csrf_token", CONFIRMED})


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation page says. `heading`: the question (translated); `effects`:
    what will happen, each a sentence; `facts`: (label, value) of what it acts on; `back`:
    where 返回 leads; `confirm_label`: the button (default 确认); `form`: a form whose
    fields are asked on the page (e.g. a required reason), shown with its errors."""

    heading: str
    effects: Sequence[str]
    back: str
    facts: Sequence[tuple[str, str]] = ()
    confirm_label: str | None = None
    form: Any = None
    action: str | None = None  # default: the address that was posted to
    extra: dict[str, Any] = field(default_factory=dict)


def confirmed() -> bool:
    """The request is the confirmed POST (the confirmation page's 确认)."""
    return request.method == "POST" and request.form.get(CONFIRMED) == "1"


def carried(confirmation: Confirmation) -> list[tuple[str, str]]:
    """The posted values to send again with 确认, except the token (the page has its own),
    the confirmation flag and the fields the page asks itself."""
    own = set(confirmation.form._fields) if confirmation.form is not None else set()
    return [(name, value) for name in request.form if name not in NOT_CARRIED | own
            for value in request.form.getlist(name)]


def ask(confirmation: Confirmation, status: int = 200) -> tuple[str, int]:
    """The confirmation page (400 when it shows the errors of its form)."""
    return render_template("confirm.html", confirmation=confirmation,
                           carried=carried(confirmation),
                           action=confirmation.action or request.path), status
