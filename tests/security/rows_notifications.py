"""Permission-matrix rows of the notification centre and the channel settings: every
signed-in account, its own notifications only (another's is answered 404)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.security.matrix import EVERYONE, Row


def _told(app: Any, make: Any, ids: dict[str, Any]) -> dict[str, Any]:
    """A notification of trainee_self (the account of the matrix's person)."""
    from trainhub.core.accounts.models import User
    from trainhub.core.notifications import service
    from trainhub.core.notifications.models import Notification
    from trainhub.extensions import db

    with app.app_context():
        service.notify_people([ids["person"]], "training.admitted", {"course": "矩阵课程"},
                              "/training/mine")
        user_id = db.session.scalar(select(User.id).where(User.person_id == ids["person"]))
        found = db.session.scalar(select(Notification.id).where(
            Notification.user_id == user_id).order_by(Notification.id.desc()))
        db.session.commit()
    return {"notification": found}


ROWS: dict[str, Row] = {
    "notifications.index": Row("GET", lambda ids: "/notifications", EVERYONE),
    "notifications.mark_read": Row(
        "POST", lambda ids: f"/notifications/{ids['notification']}/read", {"trainee_self"},
        prepare=_told),
    "notifications.mark_all_read": Row("POST", lambda ids: "/notifications/read-all",
                                       EVERYONE),
    "notifications.settings": Row("GET", lambda ids: "/account/notifications/settings",
                                  EVERYONE),
}
