"""New recovery codes from the account's second-factor page (issue 15): confirmed with a
current code, the old codes stop working, audited; and the administrators' list links to
the reset page of accounts with an authenticator app."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import csrf_token, enrol, next_code, password_step, post_form, sign_in
from trainhub.core.accounts.models import User
from trainhub.core.audit.models import AuditEntry
from trainhub.extensions import db

CODE = re.compile(r"[A-Z0-9]{5}-[A-Z0-9]{5}")
PATH = "/account/second-factor/recovery-codes"


def _recovery_sign_in(app, username: str, code: str) -> int:
    other = app.test_client()
    password_step(other, username)
    return other.post(
        "/login/code", data={"recovery_code": code, "csrf_token": csrf_token(other, "/login/code")}
    ).status_code


def _audited(app) -> list[tuple[str, dict]]:
    with app.app_context():
        return [
            (r.outcome, r.details or {})
            for r in db.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "auth.recovery_codes_regenerate")
                .order_by(AuditEntry.id)
            )
        ]


def test_new_codes_need_a_current_code_and_replace_the_old_ones(app, client, make):
    username = make.user("federation_officer", second_factor=False)
    password_step(client, username)
    old = CODE.findall(enrol(client, username).get_data(as_text=True))
    assert len(old) == 10
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert 'id="regenerate-code"' in page and f'action="{PATH}"' in page
    refused = post_form(client, PATH, {"regenerate-code": "000000"})
    assert refused.status_code == 400
    assert 'id="regenerate-code-error"' in refused.get_data(as_text=True)
    made = post_form(client, PATH, {"regenerate-code": next_code(app, username)})
    assert made.status_code == 200
    new = CODE.findall(made.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert _recovery_sign_in(app, username, old[0]) == 400  # the old codes stopped working
    assert _recovery_sign_in(app, username, new[0]) == 302
    assert _audited(app) == [
        ("failure", {"reason": "bad_code"}),
        ("success", {"replaced_unused": 10}),
    ]


def test_without_an_app_there_is_nothing_to_regenerate(app, client, make):
    sign_in(client, make.user("trainee"))
    response = post_form(client, PATH, {"regenerate-code": "123456"})
    assert response.status_code == 302 and response.headers["Location"] == "/account/second-factor"
    assert _audited(app) == []


def test_the_users_list_links_to_the_reset_for_the_administrator_only(app, client, make):
    target = make.user("federation_officer")  # with an authenticator app
    plain = make.user("institution_staff", second_factor=False)
    with app.app_context():
        ids = {
            name: id_
            for name, id_ in db.session.execute(
                select(User.username, User.id).where(User.username.in_([target, plain]))
            )
        }
    sign_in(client, make.user("admin"))
    page = client.get("/admin/users").get_data(as_text=True)
    assert f'href="/admin/users/{ids[target]}/second-factor"' in page
    assert f'href="/admin/users/{ids[plain]}/second-factor"' not in page
    security = app.test_client()
    sign_in(security, make.user("security_admin"))
    listed = security.get("/admin/users")  # the security administrator keeps no accounts
    assert listed.status_code == 403
    assert f"/admin/users/{ids[target]}/second-factor" not in listed.get_data(as_text=True)
