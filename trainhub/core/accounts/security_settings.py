"""Security parameters the security administrator sets in the application: the lock-out
threshold and duration, the session timeouts and the password's maximum age.

The configuration gives the defaults; a value saved here wins over it. Each change is
audited with the value before and after.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import g, has_app_context, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from trainhub.core.accounts.models import User
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks
from trainhub.core.timeutil import utcnow
from trainhub.core.types import UTCDateTime
from trainhub.extensions import Model, db

S = TypeVar("S")
_SAVED = "security_parameters_saved"  # flask.g: the values saved, as this request read them


class SecurityParameter(Model):
    __tablename__ = "security_parameters"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


@dataclass(frozen=True)
class Knob:
    """One parameter: the SecuritySettings field it sets, its unit and allowed range."""

    key: str
    field: str
    label: Any
    unit: timedelta | None  # None: a plain count
    low: int
    high: int

    def to_setting(self, value: int) -> Any:
        return value if self.unit is None else self.unit * value

    def from_setting(self, setting: Any) -> int:
        return int(setting) if self.unit is None else int(setting / self.unit)


MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
# Ranges keep to what 等保 evaluators accept: idle 15–30 min, absolute 8–12 h in practice.
KNOBS = (
    Knob("max_failures", "max_failures", _l("Failed sign-ins before the account locks"),
         None, 3, 10),
    Knob("lock_minutes", "lock_duration", _l("Lock-out duration (minutes)"), MINUTE, 5, 1440),
    Knob("idle_minutes", "idle_timeout", _l("Idle session timeout (minutes)"), MINUTE, 5, 60),
    Knob("absolute_hours", "absolute_timeout", _l("Longest session (hours)"), HOUR, 1, 24),
    Knob("password_max_age_days", "password_max_age", _l("Password maximum age (days)"),
         DAY, 30, 365),
)
BY_KEY = {knob.key: knob for knob in KNOBS}


def saved() -> dict[str, int]:
    """The values saved here; read once a request, which asks for them twice (the session's
    timeouts as the user is loaded, the password's age before the page)."""
    if has_request_context() and _SAVED in g:
        return dict(g.get(_SAVED))
    rows = db.session.execute(select(SecurityParameter.key, SecurityParameter.value))
    found = {key: value for key, value in rows}
    if has_request_context():
        setattr(g, _SAVED, found)
    return dict(found)


def apply(settings: S) -> S:
    """`settings` with the values saved here in place of the configuration's."""
    if not has_app_context():
        return settings
    changes = {BY_KEY[key].field: BY_KEY[key].to_setting(value)
               for key, value in saved().items() if key in BY_KEY}
    return dataclasses.replace(settings, **changes) if changes else settings  # type: ignore[type-var]


def current_values(settings: Any) -> dict[str, int]:
    """Each knob's value in force, in its unit."""
    return {knob.key: knob.from_setting(getattr(settings, knob.field)) for knob in KNOBS}


def update_values(new: dict[str, int], settings: Any, by: User) -> dict[str, tuple[int, int]]:
    """Save the values that changed; returns them as key → (before, after). Every value
    out of range is answered together, on its field."""
    checks = Checks()
    for key, value in new.items():
        knob = BY_KEY[key]
        if not knob.low <= value <= knob.high:
            checks.add(N_("Enter a value from %(low)s to %(high)s."), field=key,
                       low=knob.low, high=knob.high)
    checks.done()
    before = current_values(settings)
    changed = {k: (before[k], v) for k, v in new.items() if before[k] != v}
    for key, (_old, value) in changed.items():
        row = db.session.get(SecurityParameter, key) or SecurityParameter(key=key, value=value)
        row.value, row.updated_at, row.updated_by_id = value, utcnow(), by.id
        db.session.add(row)
    if changed:
        db.session.flush()
        if has_request_context():
            g.pop(_SAVED, None)  # what this request reads next is the new values
        record("security.settings_change", actor=by, object_type="security_parameters",
               details={k: f"{b} → {a}" for k, (b, a) in changed.items()})
    return changed
