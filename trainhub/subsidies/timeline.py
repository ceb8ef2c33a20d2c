"""A person's subsidies in the timeline of their page (core.people.timeline): each
decision with its kind, batch, state and amount granted, and its payment. One statement
however many there are."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import case, false, select

from trainhub.core import policy
from trainhub.core.accounts.models import User
from trainhub.core.people import timeline
from trainhub.core.people.models import Person
from trainhub.extensions import db
from trainhub.subsidies.models import Decision, Payment
from trainhub.training.models import Batch

DECISION = "subsidies/_timeline_decision.html"
PAID = "subsidies/_timeline_paid.html"


@timeline.source
def lines(person: Person, viewer: User) -> list[timeline.Line]:
    own = timeline.is_self(person, viewer)
    opens = false() if own else policy.where(viewer, "subsidies.view", Decision)
    rows = db.session.execute(
        select(Decision.id, Decision.kind, Decision.status, Decision.eligible,
               Decision.amount_fen, Decision.computed_at, Decision.decided_at,
               Batch.title, Payment.amount_fen.label("paid_fen"), Payment.paid_on,
               case((opens, True), else_=False).label("opens"))
        .join(Batch, Batch.id == Decision.batch_id)
        .outerjoin(Payment, Payment.decision_id == Decision.id)
        .where(Decision.person_id == person.id)
        .order_by(Decision.computed_at.desc(), Decision.id.desc())
        .limit(timeline.LIMIT)).all()
    mine = url_for("subsidies.mine") if own else None
    found = []
    for row in rows:
        href = mine or (url_for("subsidies.decision", decision_id=row.id) if row.opens
                        else None)
        granted = row.eligible and row.status != "rejected"  # as Decision.granted
        found.append(timeline.Line(row.decided_at or row.computed_at, DECISION, href, {
            "kind": row.kind, "title": row.title, "status": row.status,
            "granted_fen": row.amount_fen if granted else None}))
        if row.paid_on is not None:
            found.append(timeline.Line(timeline.on(row.paid_on), PAID, href, {
                "kind": row.kind, "title": row.title, "paid_fen": row.paid_fen}))
    return found
