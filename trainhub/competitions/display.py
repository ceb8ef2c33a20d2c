"""Names of the competition codes in the reader's language, and the wording of stored
notes. Award names (一等奖…) stay Chinese: they are the legal names printed on certificates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from trainhub.competitions.drawing import CANCELLED_NOTE
from trainhub.core.display import CATEGORY_LABELS, GRADE_LABELS

EVENT_STATUS_LABELS = {
    "open": _l("Open for registration"), "cancelled": _l("Cancelled"),
    "drawn": _l("Drawn: marking open"), "locked": _l("Marks locked"),
    "published": _l("Results published"),
}
ENTRY_STATUS_LABELS = {
    "registered": _l("Registered, awaiting confirmation"), "confirmed": _l("Confirmed"),
    "refused": _l("Entry refused"), "withdrawn": _l("Withdrawn"),
}
KIND_LABELS = {"measurement": _l("Measurement (one objective mark)"),
               "judgement": _l("Judgement (every judge marks)")}
SCALE_LABELS = {"wsos": _l("0–3 scale (WorldSkills)"), "points": _l("Points")}
AWARD_RULE_LABELS = {"bands": _l("By the number of entries (parameter)"),
                     "ratio": _l("By shares of the entries")}
ENTRY_TYPE_LABELS = {"individual": _l("Individual"), "team": _l("Team")}


def number(value: Decimal | int | None) -> str:
    """20.00 → 20, 0.50 → 0.5."""
    return "" if value is None else f"{Decimal(value).normalize():f}"


def categories(codes: Iterable[int]) -> str:
    names = [str(CATEGORY_LABELS.get(c, c)) for c in codes]
    return "、".join(names) if names else gettext("any category")


def grades(codes: Iterable[int]) -> str:
    names = [str(GRADE_LABELS.get(c, c)) for c in codes]
    return "、".join(names) if names else gettext("any grade")


def team(size: int) -> str:
    return gettext("Team of %(size)s", size=size) if size > 1 else gettext("Individual")


_CANCELLED = re.compile(re.escape(CANCELLED_NOTE).replace(re.escape("%(min)s"), r"(\d+)"))


def cancellation_note(note: str) -> str:
    """The stored note is the English sentence with its number filled in (it is kept as
    written for the record); shown in the reader's language when it is that sentence."""
    if not note:
        return ""
    found = _CANCELLED.fullmatch(note)
    return gettext(CANCELLED_NOTE, min=found.group(1)) if found else gettext(note)


def reasons(rows: Iterable[dict[str, Any]]) -> str:
    """Stored refusal reasons ({msgid, params}) in the reader's language."""
    return "；".join(gettext(r["msgid"], **r.get("params", {})) for r in rows)


def aspect_scale(aspect: Any) -> str:
    if aspect.kind == "measurement":
        return str(KIND_LABELS["measurement"])
    return f"{KIND_LABELS['judgement']} · {SCALE_LABELS.get(aspect.scale, aspect.scale)}"


def _label(table: dict[str, Any]) -> Any:
    return lambda code: table.get(code, code) if code else ""


FILTERS: dict[str, Any] = {
    "event_status": _label(EVENT_STATUS_LABELS),
    "entry_status": _label(ENTRY_STATUS_LABELS),
    "award_rule": _label(AWARD_RULE_LABELS),
    "mark_number": number,
    "event_categories": categories,
    "event_grades": grades,
    "event_team": team,
    "cancellation_note": cancellation_note,
    "refusal_reasons": reasons,
    "aspect_scale": aspect_scale,
}
