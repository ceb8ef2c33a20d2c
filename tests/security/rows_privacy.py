"""Permission-matrix rows of 我的个人信息 (issue 15 item 5): a trainee's own consents and
copy of their data; the consent withdrawn belongs to the actor's own person, so another
trainee gets a 404."""

from __future__ import annotations

from tests.security.matrix import Row

TRAINEES = {"trainee_self", "trainee_other"}


def _own_consent(app, make, ids):
    from tests.core.privacy_world import consented
    from trainhub.extensions import db

    with app.app_context():
        made = consented(ids["person"])
        db.session.commit()
        return {"consent": made.id}


ROWS: dict[str, Row] = {
    "privacy.mine": Row("GET", lambda ids: "/account/privacy", TRAINEES),
    "privacy.give": Row("POST", lambda ids: "/account/privacy/consent", TRAINEES,
                        data={"consent": "y"}),
    "privacy.withdraw": Row("POST", lambda ids: f"/account/privacy/consents/{ids['consent']}"
                                                "/withdraw", {"trainee_self"},
                            prepare=_own_consent),
    "privacy.copy_json": Row("GET", lambda ids: "/account/privacy/copy.json", TRAINEES),
    "privacy.copy_summary": Row("GET", lambda ids: "/account/privacy/copy", TRAINEES),
    "privacy.renew": Row("GET", lambda ids: "/account/privacy/renew", TRAINEES),
}
