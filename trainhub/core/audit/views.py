"""Officers search the audit log within their region; the admin searches all of it."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import Select, func, select

from trainhub.core import policy
from trainhub.core.audit import labels
from trainhub.core.audit.models import AuditEntry, Outcome
from trainhub.core.timeutil import LOCAL_TZ
from trainhub.core.web import page_number
from trainhub.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/audit")

PAGE_SIZE = 50


def _scoped(stmt: Select[AuditEntry]) -> Select[AuditEntry]:
    region = policy.officer_region(current_user)
    if region is not None:
        stmt = stmt.where(AuditEntry.region_code.startswith(region))
    return stmt


def _day(value: str | None, end: bool = False) -> datetime | None:
    try:
        day = datetime.strptime(value or "", "%Y-%m-%d").date()
    except ValueError:
        return None
    moment = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    return moment + timedelta(days=1) if end else moment


@bp.get("/")
@policy.permission("audit.search")
def search() -> str:
    args = request.args
    stmt = _scoped(select(AuditEntry))
    # One of the named actions offered on the page (with any other code of its name); a
    # code the page does not offer filters nothing.
    action = args.get("action", "")
    if codes := labels.same_actions(action):
        stmt = stmt.where(AuditEntry.action.in_(codes))
    outcome = args.get("outcome", "")
    if outcome in {o.value for o in Outcome}:
        stmt = stmt.where(AuditEntry.outcome == outcome)
    if actor := args.get("actor", "").strip().lower():
        stmt = stmt.where(AuditEntry.actor_username == actor)
    if obj := args.get("object", "").strip():
        kind, _, ident = obj.partition(":")
        stmt = stmt.where(AuditEntry.object_type == kind)
        if ident:
            stmt = stmt.where(AuditEntry.object_id == ident)
    if start := _day(args.get("from")):
        stmt = stmt.where(AuditEntry.occurred_at >= start)
    if end := _day(args.get("to"), end=True):
        stmt = stmt.where(AuditEntry.occurred_at < end)
    page = page_number(args)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(AuditEntry.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    pages = max(1, -(-total // PAGE_SIZE))
    return render_template("audit/search.html", rows=labels.shown(list(rows)), total=total,
                           page=page, pages=pages, args=args, outcomes=list(Outcome),
                           action_groups=labels.action_groups(),
                           action=codes[0] if codes else "")
