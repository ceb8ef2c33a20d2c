"""Permission matrix rows for the public certificate check (core.documents)."""

from __future__ import annotations

from typing import Any

from tests.security.matrix import ACTORS, Row


def _verification(app: Any, make: Any) -> dict[str, Any]:
    from trainhub.core.documents import service
    from trainhub.extensions import db

    with app.app_context():
        verification = service.issue("training_certificate", [("Name", "矩阵学员")])
        db.session.commit()
        return {"code": verification.code}


ROWS: dict[str, Row] = {
    "documents.lookup": Row("GET", lambda ids: "/verify", set(ACTORS), public=True),
    "documents.verify": Row("GET", lambda ids: f"/verify/{ids['code']}", set(ACTORS),
                            public=True, prepare=_verification),
}
