"""The helper every change calls. It adds to the current transaction and never commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from flask import g, has_request_context
from flask_login import current_user

from trainhub.core.audit import chain
from trainhub.core.audit.models import AuditEntry, Outcome
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db


class _Actor(Protocol):
    id: int
    username: str
    role: str


def _client_address() -> str:
    if has_request_context():
        return str(getattr(g, "client_address", "") or "")
    return ""


def _current_actor() -> _Actor | None:
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user
    return None


def _common(action: str, actor: _Actor | None, outcome: Outcome,
            region_code: str | None) -> dict[str, Any]:
    """The columns every row of one action shares: who, from where, with what outcome."""
    actor = actor or _current_actor()
    return {"actor_id": actor.id if actor else None,
            "actor_username": actor.username if actor else "",
            "actor_role": actor.role if actor else "", "action": action,
            "outcome": outcome.value, "region_code": region_code,
            "client_address": _client_address()}


def _object(object_type: str, object_id: object, details: dict[str, Any] | None
            ) -> dict[str, Any]:
    return {"object_type": object_type,
            "object_id": str(object_id) if object_id not in (None, "") else "",
            "details": details or {}}


def record(
    action: str,
    *,
    outcome: Outcome = Outcome.SUCCESS,
    actor: _Actor | None = None,
    object_type: str = "",
    object_id: object = "",
    region_code: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit row to the session; the caller's commit writes it with the change."""
    entry = AuditEntry(**_common(action, actor, outcome, region_code),
                       **_object(object_type, object_id, details))
    db.session.add(entry)
    return entry


def record_many(action: str, objects: Iterable[tuple[Any, ...]], *,
                region_code: str | None = None, outcome: Outcome = Outcome.SUCCESS,
                actor: _Actor | None = None) -> int:
    """One audit row per (object type, object id, details[, region code]), written by one
    bulk insert in the caller's transaction: what a set-based operation (a publication, an
    import) leaves, the same rows `record` would leave one at a time. A row's own region
    code, when given, stands instead of `region_code`."""
    common = {**_common(action, actor, outcome, region_code), "occurred_at": utcnow()}
    rows = [{**common, **_object(*row[:3]),
             **({"region_code": row[3]} if len(row) > 3 else {})} for row in objects]
    if rows:
        for row in rows:
            row["details"] = chain.stored_details(row["details"])
        # Rows the session still holds go first, so ids keep the order of the calls.
        db.session.flush()
        connection = db.session.connection()
        chain.link(connection, rows)
        chain.insert_rows(connection, rows, AuditEntry.__table__)
    return len(rows)
